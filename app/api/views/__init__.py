"""The API's blueprints: ``/api/v1`` (bearer tokens, JSON) and the token pages (signed in)."""

from app.api.views.tokens import bp as tokens_bp
from app.api.views.v1 import bp as api_bp

__all__ = ["api_bp", "tokens_bp"]
