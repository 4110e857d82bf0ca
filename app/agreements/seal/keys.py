"""The organisation's seal key: a configured PKCS#12, or one generated for this instance.

Without configuration, a self-signed RSA certificate is generated once into ``instance/`` and
reused, so every PDF this installation seals verifies against the same key. RSA, because pyHanko
marks an ECDSA signature as PDF 2.0 (ISO/TS 32002), contradicting the file's PDF/A-3 claim.
"""

from __future__ import annotations

import fcntl
import hashlib
import secrets
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers

GENERATED_P12 = "agreement-seal.p12"
GENERATED_PASSPHRASE = "agreement-seal.passphrase"
GENERATED_LOCK = "agreement-seal.lock"
RETIRED_PREFIX = "agreement-seal-retired-"


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

    @property
    def is_rsa(self) -> bool:
        return bool(self.certificate.public_key.algorithm == "rsa")


_opened: dict[tuple[str, bytes], SealKey] = {}
_opening = threading.Lock()


def load_seal_key(p12_path: Path | None, passphrase: str | None, instance_path: Path) -> SealKey:
    """The configured PKCS#12, or the instance's own self-signed one (generated the first time)."""
    with _opening:
        if p12_path is not None:
            return _open(Path(p12_path), (passphrase or "").encode("utf-8"))
        return _generated_key(instance_path)


def configured_key_problem(p12_path: Path, passphrase: str | None) -> str | None:
    """Why the configured PKCS#12 cannot seal agreements, in words a deployer can act on; or None.

    Checked when the app starts, so that a wrong file, passphrase or key type stops the start
    instead of the first signed agreement's seal failing in the job worker.
    """
    try:
        key = load_seal_key(p12_path, passphrase, p12_path.parent)
    except OSError as exc:
        return f"the file cannot be read ({exc.strerror or exc})"
    except ValueError as exc:
        return f"{exc} Check SALESRAMP_SEAL_PASSPHRASE."
    if not key.is_rsa:
        return (
            f"its certificate ({key.subject}) has an ECDSA key. Sealed agreements are PDF/A-3b, "
            "a PDF 1.7 format, and pyHanko marks an ECDSA signature as PDF 2.0 (ISO/TS 32002), "
            "which would contradict it: use an RSA certificate (3072 bits recommended), or unset "
            "SALESRAMP_SEAL_P12 to seal with the certificate SalesRamp generates"
        )
    return None


def retired_seal_keys(instance_path: Path) -> tuple[SealKey, ...]:
    """Generated keys this instance sealed with before (see ``_generated_key``), for verifying."""
    with _opening:
        return tuple(
            _open(p12, p12.with_suffix(".passphrase").read_text().strip().encode("utf-8"))
            for p12 in sorted(instance_path.glob(f"{RETIRED_PREFIX}*.p12"))
        )


def _open(path: Path, passphrase: bytes) -> SealKey:
    data = path.read_bytes()
    cache_key = (hashlib.sha256(data).hexdigest(), passphrase)
    if cache_key not in _opened:
        _opened[cache_key] = SealKey(data, passphrase)
    return _opened[cache_key]


def _generated_key(instance_path: Path) -> SealKey:
    """The instance's RSA seal key, generated once; an older P-256 one is retired, not deleted.

    Earlier versions generated P-256 keys, and pyHanko marks an ECDSA signature as PDF 2.0
    (ISO/TS 32002), which a PDF/A-3 file may not be: such a key is renamed to
    ``agreement-seal-retired-<fingerprint>.p12`` (PDFs it sealed still verify) and an RSA key
    replaces it. A file lock keeps the web and job worker processes from generating two.
    """
    generated = instance_path / GENERATED_P12
    secret_file = instance_path / GENERATED_PASSPHRASE
    instance_path.mkdir(parents=True, exist_ok=True)
    with open(instance_path / GENERATED_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if generated.exists():
            key = _open(generated, secret_file.read_text().strip().encode("utf-8"))
            if key.is_rsa:
                return key
            retired = f"{RETIRED_PREFIX}{key.fingerprint[:16]}"
            generated.rename(instance_path / f"{retired}.p12")
            secret_file.rename(instance_path / f"{retired}.passphrase")
        secret = secrets.token_urlsafe(32)
        _write_private(secret_file, secret.encode("utf-8"))
        _write_private(generated, self_signed_p12("SalesRamp organisation seal", secret))
        return _open(generated, secret.encode("utf-8"))


def _write_private(path: Path, data: bytes) -> None:
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_bytes(data)


def self_signed_p12(
    common_name: str,
    passphrase: str,
    years: int = 10,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
) -> bytes:
    """A self-signed certificate for sealing documents with ``key`` (a new RSA key), as PKCS#12.

    RSA because an ECDSA seal would make the file PDF 2.0, contradicting its PDF/A-3 claim.
    """
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=3072)
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
