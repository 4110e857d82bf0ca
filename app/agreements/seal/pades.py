"""Sealing a PDF with PAdES, and checking a seal (with ``keys``, all of pyHanko in the app).

A seal is a certification signature (SHA-256, DocMDP "no changes permitted") over the whole file:
B-B, or B-LT with a time-stamping authority configured (its timestamp on the signature, then a
revision adding the data to validate it). The sealed file stays what WeasyPrint made it,
PDF/A-3b: PDF 1.7, with Info and XMP in agreement.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata import model as pdf_metadata
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError

from app.agreements.seal.keys import SealKey

SEAL_FIELD = "SalesRampSeal"
REASON_PREFIX = "SalesRamp agreement "
CREATOR = "SalesRamp"
SYSTEM_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")  # Debian's and Ubuntu's


class _FindingsAtDebug(logging.Filter):
    """pyHanko logs what a changed file or an unknown TSA root looks like as a warning with a
    traceback; our verdict already says it in words, so it is logged again at DEBUG, briefly.
    """

    EXPECTED = (SuspiciousModification, PathBuildingError)

    def filter(self, record: logging.LogRecord) -> bool:
        found = record.exc_info[1] if record.exc_info else None
        if not isinstance(found, self.EXPECTED):
            return True
        logging.getLogger(record.name).debug("%s: %s", record.getMessage(), found)
        return False


for _logger_name in ("pyhanko.sign.diff_analysis.policies", "pyhanko.sign.validation.generic_cms"):
    logging.getLogger(_logger_name).addFilter(_FindingsAtDebug())


# The cached key's certificate objects (asn1crypto) serialise themselves lazily and are not safe
# to use from two threads at once (seen as a TypeError deep in asn1crypto when the job worker's
# threads sealed two agreements together): signing takes turns within a process.
_signing = threading.Lock()


@dataclass(frozen=True)
class TimestampAuthority:
    """An RFC 3161 time-stamping service, and the roots its certificates may chain to."""

    url: str
    trust_roots: tuple[asn1_x509.Certificate, ...] = ()

    @classmethod
    def configured(cls, url: str | None, roots_pem: Path | None) -> TimestampAuthority | None:
        """The TSA at ``url``, trusted through ``roots_pem`` or else the system's CA bundle."""
        if not url:
            return None
        bundle = roots_pem or (SYSTEM_CA_BUNDLE if SYSTEM_CA_BUNDLE.exists() else None)
        return cls(url, certificates_in(bundle) if bundle else ())


@functools.cache
def certificates_in(pem_file: Path) -> tuple[asn1_x509.Certificate, ...]:
    """The certificates in a PEM bundle (read once per process)."""
    pem = pem_file.read_bytes()
    return tuple(asn1_x509.Certificate.load(der) for _, _, der in asn1_pem.unarmor(pem, True))


def seal_pdf(
    pdf: bytes,
    key: SealKey,
    verification_code: str,
    organisation: str,
    tsa: TimestampAuthority | None = None,
) -> bytes:
    """Certify ``pdf`` with the organisation's key: PAdES, SHA-256, no later changes permitted.

    PAdES B-B; with a time-stamping authority, B-LT: the TSA's timestamp on the signature, then
    the certificates and revocation data needed to check it years later (the DSS).
    """
    if not key.is_rsa:
        raise ValueError(
            "The organisation's seal certificate must have an RSA key: an ECDSA seal makes the "
            "PDF a PDF 2.0 file, which contradicts its PDF/A-3 identification."
        )
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=f"{REASON_PREFIX}{verification_code}",
        name=organisation,
        location="SalesRamp",
        embed_validation_info=tsa is not None,
        validation_context=_signing_context(key, tsa) if tsa is not None else None,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    _mirror_metadata(writer)
    timestamper = timestamps.HTTPTimeStamper(tsa.url) if tsa is not None else None
    with _signing:
        output = signers.PdfSigner(meta, key.signer, timestamper=timestamper).sign_pdf(writer)
    return output.getvalue()


def _signing_context(key: SealKey, tsa: TimestampAuthority) -> ValidationContext:
    """Trust our own certificate and the TSA's roots; fetch the TSA's revocation data to embed."""
    return ValidationContext(trust_roots=[key.certificate, *tsa.trust_roots], allow_fetching=True)


def _mirror_metadata(writer: IncrementalPdfFileWriter) -> None:
    """Make pyHanko write the same producer, creator and dates into Info and XMP.

    pyHanko rewrites XMP ``pdf:Producer`` to its own name but only appends its name to an Info
    ``/Producer``, and updates Info dates only where they already exist; PDF/A requires the two
    to agree (ISO 19005-3, 6.6.2.3.1). So Info gets pyHanko's name, and the keys to update.
    """
    info = generic.DictionaryObject(writer.trailer["/Info"])
    now = generic.pdf_date(datetime.now(UTC))
    info[generic.pdf_name("/Producer")] = generic.TextStringObject(pdf_metadata.VENDOR)
    info[generic.pdf_name("/Creator")] = generic.TextStringObject(CREATOR)
    info[generic.pdf_name("/CreationDate")] = now
    info[generic.pdf_name("/ModDate")] = now
    writer.set_info(info)
    writer.document_meta.creator = CREATOR
    writer.document_meta.created = "now"


@dataclass(frozen=True)
class SealTimestamp:
    """When a time-stamping authority says the seal existed, and who that authority is."""

    at: datetime  # UTC
    authority: str
    trusted: bool  # the TSA's certificate chains to a root this installation trusts


@dataclass(frozen=True)
class SealCheck:
    """What the signature in a PDF says: intact or not, by whom, and the code it names."""

    intact: bool
    reason: str  # why not, in words HR can act on; empty when intact
    verification_code: str | None = None
    signer_fingerprint: str | None = None
    timestamp: SealTimestamp | None = None


def check_seal(
    pdf: bytes,
    key: SealKey,
    retired: Sequence[SealKey] = (),
    tsa_roots: Sequence[asn1_x509.Certificate] = (),
) -> SealCheck:
    """Validate the seal cryptographically and check it covers the whole, unchanged file.

    ``retired``: keys this organisation sealed with before. ``tsa_roots``: roots to trust for
    a timestamp beyond the system's. A sealed file may carry later revisions only when they
    add validation data (PAdES B-LT), never anything else.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # pyHanko raises many kinds of errors for a damaged file
        return SealCheck(False, "This is not a readable PDF, or it was damaged after sealing.")
    if not signatures:
        return SealCheck(False, "This PDF carries no digital seal: it is not a sealed agreement.")
    signature = signatures[0]
    code = _code_from(signature.sig_object.get("/Reason"))
    try:
        fingerprint = hashlib.sha256(signature.signer_cert.dump()).hexdigest()
    except Exception:
        return SealCheck(False, "The seal in this PDF cannot be read.", code)
    signer = next((k for k in (key, *retired) if k.fingerprint == fingerprint), None)
    if signer is None:
        return SealCheck(
            False,
            "Not sealed by this organisation: the certificate is not ours.",
            code,
            fingerprint,
        )
    try:
        status = validate_pdf_signature(
            signature,
            ValidationContext(trust_roots=[signer.certificate], allow_fetching=False),
            ts_validation_context=ValidationContext(
                trust_roots=list(tsa_roots), allow_fetching=False
            ),
        )
    except Exception:
        return SealCheck(False, "Modified after sealing: the seal no longer matches.", code)
    problem = _integrity_problem(pdf, status, len(signatures))
    if problem:
        return SealCheck(False, f"Modified after sealing: {problem}", code, fingerprint)
    return SealCheck(True, "", code, fingerprint, _timestamp_of(status))


def _integrity_problem(pdf: bytes, status: PdfSignatureStatus, signature_count: int) -> str:
    """Why the signed content and what follows it are not as sealed; empty if they are."""
    if not status.intact or not status.valid:
        return "the content no longer matches the seal."
    stamp = status.timestamp_validity
    if stamp is not None and not (stamp.intact and stamp.valid):
        return "the timestamp on the seal no longer matches."
    only_validation_data = (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level == ModificationLevel.LTA_UPDATES
        and pdf.rstrip().endswith(b"%%EOF")  # nothing appended after the last revision
    )
    if signature_count != 1 or not (
        status.coverage == SignatureCoverageLevel.ENTIRE_FILE or only_validation_data
    ):
        return "changes were added to the file."
    if status.docmdp_ok is False:
        return "the seal permits no changes."
    return ""


def _timestamp_of(status: PdfSignatureStatus) -> SealTimestamp | None:
    stamp = status.timestamp_validity
    if stamp is None:
        return None
    return SealTimestamp(
        at=stamp.timestamp.astimezone(UTC).replace(tzinfo=None),  # naive UTC, as in the database
        authority=str(stamp.signing_cert.subject.human_friendly),
        trusted=bool(stamp.trusted),
    )


def _code_from(reason: object) -> str | None:
    text = str(reason) if reason is not None else ""
    return (
        text.removeprefix(REASON_PREFIX).strip() or None if text.startswith(REASON_PREFIX) else None
    )
