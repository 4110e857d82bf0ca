"""A sealed agreement is the PDF/A-3b file it claims to be, whatever key sealed it before.

veraPDF is not packaged for Debian, PyPI or npm; the properties it would check here are read
with pyHanko and the XML parser (tests/agreements/pdf_metadata.py).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from app.agreements import rendering
from app.agreements.models import Agreement
from app.agreements.seal import (
    GENERATED_P12,
    GENERATED_PASSPHRASE,
    REASON_PREFIX,
    SealKey,
    load_seal_key,
    retired_seal_keys,
    seal_pdf,
    self_signed_p12,
)
from app.config import SettingError
from app.pdf import render_html_to_pdf
from tests.agreements.pdf_metadata import assert_consistent_pdfa_3b, identity_of
from tests.conftest import make_test_app


def test_a_sealed_agreement_is_consistent_pdfa_3b(completed: Agreement) -> None:
    assert completed.pdf is not None
    identity = identity_of(completed.pdf)
    assert_consistent_pdfa_3b(identity)
    assert identity.info["/Creator"] == "SalesRamp"
    assert identity.info["/Title"].startswith("Performance improvement agreement")


def test_the_generated_organisation_key_is_rsa(tmp_path: Path) -> None:
    key = load_seal_key(None, None, tmp_path)
    assert key.is_rsa
    assert key.certificate.public_key.bit_size >= 3072


def _legacy_p256_instance(instance: Path) -> SealKey:
    """An instance directory as earlier versions left it: a generated P-256 seal key."""
    instance.mkdir(parents=True)
    (instance / GENERATED_PASSPHRASE).write_text("old secret")
    p12 = self_signed_p12("SalesRamp organisation seal", "old secret", key=_p256())
    (instance / GENERATED_P12).write_bytes(p12)
    return SealKey(p12, b"old secret")


def _p256() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _sealed_the_old_way(key: SealKey, code: str) -> bytes:
    """What earlier versions sealed with a P-256 key (now refused by ``seal_pdf``)."""
    meta = signers.PdfSignatureMetadata(
        field_name="SalesRampSeal",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=f"{REASON_PREFIX}{code}",
    )
    writer = IncrementalPdfFileWriter(BytesIO(render_html_to_pdf("<p>Old agreement</p>")))
    return signers.sign_pdf(writer, meta, signer=key.signer).getvalue()


def test_a_generated_p256_key_is_retired_and_its_pdfs_still_verify(
    app: Flask, tmp_path: Path
) -> None:
    instance = tmp_path / "instance"
    legacy = _legacy_p256_instance(instance)
    old_pdf = _sealed_the_old_way(legacy, "OLD1-OLD1-OLD1")
    app.config.update(SEAL_KEY_DIR=instance)

    current = rendering.seal_key()
    assert current.is_rsa and current.fingerprint != legacy.fingerprint
    assert [k.fingerprint for k in retired_seal_keys(instance)] == [legacy.fingerprint]
    assert rendering.seal_key().fingerprint == current.fingerprint  # retired once, then reused

    old = rendering.check_our_seal(old_pdf)
    assert old.intact and old.verification_code == "OLD1-OLD1-OLD1"
    new_pdf = seal_pdf(render_html_to_pdf("<p>New</p>"), current, "NEW1-NEW1-NEW1", "SalesRamp")
    assert rendering.check_our_seal(new_pdf).intact
    assert_consistent_pdfa_3b(identity_of(new_pdf))


def test_a_configured_ecdsa_certificate_is_refused_for_sealing(tmp_path: Path) -> None:
    key = SealKey(self_signed_p12("Northwind seal", "pw", key=_p256()), b"pw")
    with pytest.raises(ValueError, match="must have an RSA key"):
        seal_pdf(render_html_to_pdf("<p>x</p>"), key, "CODE", "Northwind")


def _start_with_seal(tmp_path: Path, p12: bytes, passphrase: str) -> None:
    path = tmp_path / "organisation.p12"
    path.write_bytes(p12)
    make_test_app(
        f"sqlite:///{tmp_path / 'start.sqlite3'}", SEAL_P12=path, SEAL_PASSPHRASE=passphrase
    )


def test_an_ecdsa_seal_certificate_stops_the_start_with_the_reason(tmp_path: Path) -> None:
    p12 = self_signed_p12("Northwind seal", "pw", key=_p256())
    with pytest.raises(SettingError) as refused:
        _start_with_seal(tmp_path, p12, "pw")
    message = str(refused.value)
    assert message.startswith("SALESRAMP_SEAL_P12 (")
    assert "Northwind seal" in message and "ECDSA" in message and "RSA certificate" in message


def test_a_wrong_seal_passphrase_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="SALESRAMP_SEAL_PASSPHRASE"):
        _start_with_seal(tmp_path, self_signed_p12("Northwind seal", "right"), "wrong")


def test_an_rsa_seal_certificate_starts_and_seals_consistent_pdfa(tmp_path: Path) -> None:
    _start_with_seal(tmp_path, self_signed_p12("Northwind seal", "pw"), "pw")
    key = load_seal_key(tmp_path / "organisation.p12", "pw", tmp_path)
    sealed = seal_pdf(render_html_to_pdf("<p>x</p>"), key, "CODE-CODE-CODE", "Northwind")
    assert_consistent_pdfa_3b(identity_of(sealed))
