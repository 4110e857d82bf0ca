"""Sealing agreement PDFs with the organisation's certificate (the only module importing pyHanko).

A seal is a PAdES certification signature (SHA-256, DocMDP "no changes permitted") over the whole
file. The certificate comes from a PKCS#12 file named in the configuration; without one, a
self-signed organisation certificate is generated once into ``instance/`` and reused, so every
PDF this installation seals verifies against the same key.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

SEAL_FIELD = "SalesRampSeal"
REASON_PREFIX = "SalesRamp agreement "
GENERATED_P12 = "agreement-seal.p12"
GENERATED_PASSPHRASE = "agreement-seal.passphrase"


class SealKey:
    """The organisation's signing key and certificate, opened once from a PKCS#12 file.

    Opening a PKCS#12 (and checking an RSA key) costs more than signing, so a key is opened
    once per process and kept (see ``load_seal_key``).
    """

    def __init__(self, p12_bytes: bytes, passphrase: bytes) -> None:
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(
                p12_bytes, other_certs=(), passphrase=passphrase
            )
        except ValueError as exc:
            raise ValueError(f"The organisation's PKCS#12 file cannot be opened: {exc}") from exc
        if signer is None or signer.signing_cert is None:
            raise ValueError("The organisation's PKCS#12 file cannot be opened.")
        self.signer = signer
        self.certificate: asn1_x509.Certificate = signer.signing_cert
        # SHA-256 of the certificate: how a verifier recognises this organisation's seal.
        self.fingerprint = hashlib.sha256(self.certificate.dump()).hexdigest()

    @property
    def subject(self) -> str:
        return str(self.certificate.subject.human_friendly)


_opened: dict[tuple[str, bytes], SealKey] = {}
_opening = threading.Lock()
# The cached key's certificate objects (asn1crypto) serialise themselves lazily and are not safe
# to use from two threads at once (seen as a TypeError deep in asn1crypto when the job worker's
# threads sealed two agreements together): signing takes turns within a process.
_signing = threading.Lock()


def load_seal_key(p12_path: Path | None, passphrase: str | None, instance_path: Path) -> SealKey:
    """The configured PKCS#12, or the instance's own self-signed one (generated the first time)."""
    with _opening:
        if p12_path is not None:
            return _open(Path(p12_path), (passphrase or "").encode("utf-8"))
        return _open(*_generated_key_file(instance_path))


def _open(path: Path, passphrase: bytes) -> SealKey:
    data = path.read_bytes()
    cache_key = (hashlib.sha256(data).hexdigest(), passphrase)
    if cache_key not in _opened:
        _opened[cache_key] = SealKey(data, passphrase)
    return _opened[cache_key]


def _generated_key_file(instance_path: Path) -> tuple[Path, bytes]:
    generated = instance_path / GENERATED_P12
    secret_file = instance_path / GENERATED_PASSPHRASE
    if not generated.exists():
        secret = secrets.token_urlsafe(32)
        instance_path.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(secret)
        secret_file.chmod(0o600)
        generated.write_bytes(self_signed_p12("SalesRamp organisation seal", secret))
        generated.chmod(0o600)
    return generated, secret_file.read_text().strip().encode("utf-8")


def self_signed_p12(common_name: str, passphrase: str, years: int = 10) -> bytes:
    """A new P-256 key with a self-signed certificate for sealing documents, as PKCS#12."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SalesRamp"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=common_name.encode("utf-8"),
        key=key,
        cert=cert,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def seal_pdf(pdf: bytes, key: SealKey, verification_code: str, organisation: str) -> bytes:
    """Certify ``pdf`` with the organisation's key: PAdES, SHA-256, no later changes permitted."""
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=f"{REASON_PREFIX}{verification_code}",
        name=organisation,
        location="SalesRamp",
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    with _signing:
        output = signers.sign_pdf(writer, meta, signer=key.signer)
    return output.getvalue()


@dataclass(frozen=True)
class SealCheck:
    """What the signature in a PDF says: intact or not, by whom, and the code it names."""

    intact: bool
    reason: str  # why not, in words HR can act on; empty when intact
    verification_code: str | None = None
    signer_fingerprint: str | None = None


def check_seal(pdf: bytes, key: SealKey) -> SealCheck:
    """Validate the seal cryptographically and check it covers the whole, unchanged file."""
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
        cert = signature.signer_cert
        fingerprint = hashlib.sha256(cert.dump()).hexdigest()
    except Exception:
        return SealCheck(False, "The seal in this PDF cannot be read.", code)
    if fingerprint != key.fingerprint:
        return SealCheck(
            False,
            "Not sealed by this organisation: the certificate is not ours.",
            code,
            fingerprint,
        )
    try:
        context = ValidationContext(trust_roots=[key.certificate], allow_fetching=False)
        status = validate_pdf_signature(signature, context)
    except Exception:
        return SealCheck(False, "Modified after sealing: the seal no longer matches.", code)
    if not status.intact or not status.valid:
        return SealCheck(
            False,
            "Modified after sealing: the content no longer matches the seal.",
            code,
            fingerprint,
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE or len(signatures) != 1:
        return SealCheck(
            False, "Modified after sealing: changes were added to the file.", code, fingerprint
        )
    if status.docmdp_ok is False:
        return SealCheck(False, "Modified after sealing: the seal permits no changes.", code)
    return SealCheck(True, "", code, fingerprint)


def _code_from(reason: object) -> str | None:
    text = str(reason) if reason is not None else ""
    return (
        text.removeprefix(REASON_PREFIX).strip() or None if text.startswith(REASON_PREFIX) else None
    )
