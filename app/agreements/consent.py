"""The consent to sign electronically, versioned: each signature stores the version agreed to.

Never edit a published version's text: add a new version and make it current, so that every
signed agreement still shows exactly the words its signer agreed to.
"""

from __future__ import annotations

CONSENT_TEXTS: dict[str, str] = {
    "2026-11-v1": (
        "I agree to sign this agreement electronically, and that my electronic signature "
        "(my typed full legal name, together with the time, my IP address and my browser) has "
        "the same effect as my handwritten signature. I understand that I can ask HR for a "
        "paper copy of this agreement at any time, free of charge, and that I can sign it on "
        "paper instead. I can withdraw this consent at any time before I sign by telling HR "
        "in writing; withdrawing it does not affect agreements I have already signed."
    ),
}
CURRENT_CONSENT_VERSION = "2026-11-v1"


def consent_text(version: str = CURRENT_CONSENT_VERSION) -> str:
    return CONSENT_TEXTS[version]
