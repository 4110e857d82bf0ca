"""The consent to sign electronically, versioned: each signature stores the version agreed to.

Never edit a published version's text: add a new version and make it current, so that every
signed agreement still shows exactly the words its signer agreed to.
"""

from __future__ import annotations

from app.agreements.models import SignerRole

CONSENT_TEXTS: dict[str, str] = {
    "2026-11-v1": (
        "I agree to sign this agreement electronically, and that my electronic signature "
        "(my typed full legal name, together with the time, my IP address and my browser) has "
        "the same effect as my handwritten signature. I understand that I can ask HR for a "
        "paper copy of this agreement at any time, free of charge, and that I can sign it on "
        "paper instead. I can withdraw this consent at any time before I sign by telling HR "
        "in writing; withdrawing it does not affect agreements I have already signed."
    ),
    # HR signs for the organisation: its text cannot send HR to "ask HR".
    "2026-11-hr-v1": (
        "I agree to sign this agreement electronically on behalf of the organisation, and that "
        "my electronic signature (my typed full legal name, together with the time, my IP "
        "address and my browser) has the same effect as my handwritten signature. I can sign it "
        "on paper instead, and I can withdraw this consent at any time before I sign; "
        "withdrawing it does not affect agreements I have already signed."
    ),
}
CURRENT_CONSENT_VERSION = "2026-11-v1"  # what reps and coaches agree to
HR_CONSENT_VERSION = "2026-11-hr-v1"


def consent_version_for(role: SignerRole) -> str:
    """The consent text a signer in ``role`` is shown, and must have agreed to."""
    return HR_CONSENT_VERSION if role == SignerRole.HR else CURRENT_CONSENT_VERSION


def consent_text(version: str = CURRENT_CONSENT_VERSION) -> str:
    return CONSENT_TEXTS[version]
