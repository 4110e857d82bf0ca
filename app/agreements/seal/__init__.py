"""Sealing agreement PDFs with the organisation's certificate: the only package importing pyHanko.

``keys``: the organisation's seal key (configured, or generated for this instance; RSA).
``pades``: sealing (PAdES B-B, or B-LT with a time-stamping authority) and checking a seal.
"""

from app.agreements.seal.keys import (
    GENERATED_P12,
    GENERATED_PASSPHRASE,
    RETIRED_PREFIX,
    SealKey,
    configured_key_problem,
    load_seal_key,
    retired_seal_keys,
    self_signed_p12,
)
from app.agreements.seal.pades import (
    REASON_PREFIX,
    SEAL_FIELD,
    SealCheck,
    SealTimestamp,
    TimestampAuthority,
    certificates_in,
    check_seal,
    seal_pdf,
)

__all__ = [
    "GENERATED_P12",
    "GENERATED_PASSPHRASE",
    "REASON_PREFIX",
    "RETIRED_PREFIX",
    "SEAL_FIELD",
    "SealCheck",
    "SealKey",
    "SealTimestamp",
    "TimestampAuthority",
    "certificates_in",
    "check_seal",
    "configured_key_problem",
    "load_seal_key",
    "retired_seal_keys",
    "seal_pdf",
    "self_signed_p12",
]
