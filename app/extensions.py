"""Extensions created unbound; ``create_app`` binds them to an app."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
# Storage and limits come from the app's config (RATELIMIT_*); see app/accounts/sign_in_guard.py.
limiter = Limiter(key_func=get_remote_address)
# Flask-Mailman builds and sends the messages; connections are made per send (app/mail).
mail = Mail()
