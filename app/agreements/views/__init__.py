"""Agreements pages, one module per part of the work; the blueprint is in ``blueprint.py``.

Importing the modules registers their routes on the one ``agreements`` blueprint.
"""

from app.agreements.views import documents, drafting, lists, signing
from app.agreements.views.blueprint import bp

__all__ = ["bp", "documents", "drafting", "lists", "signing"]
