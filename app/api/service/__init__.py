"""Personal API tokens and what the API reads that no feature's service reads for it.

Who may do what (enforced here, whatever the pages show):

* everyone active makes, lists and revokes their own tokens; a token acts as its owner, with
  exactly the owner's rights, and stops working when the owner is deactivated;
* admins see every token (never a secret: only its first characters) and revoke any.

Modules: ``tokens`` (making, revoking, listing, and finding the owner of a presented token)
and ``people`` (the people a token's owner may see, a page at a time). What the API shows of a
rep (plan, certifications, commitments, activity, agreements) comes from each feature's own
service, with that feature's rules.
"""

from app.api.service.people import people_page
from app.api.service.tokens import (
    MAX_EXPIRY_DAYS,
    NewToken,
    TokenRefused,
    all_tokens_page,
    authenticate,
    create_token,
    now,
    revoke_token,
    tokens_of,
)

__all__ = [
    "MAX_EXPIRY_DAYS",
    "NewToken",
    "TokenRefused",
    "all_tokens_page",
    "authenticate",
    "create_token",
    "now",
    "people_page",
    "revoke_token",
    "tokens_of",
]
