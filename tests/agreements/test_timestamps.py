"""With a time-stamping authority configured, seals are PAdES B-LT; against a local Certomancer TSA.

B-T: the TSA's timestamp on the signature says when the seal existed, not only this server.
B-LT: the certificates and revocation data needed to check that timestamp are in the file (DSS).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    PdfSignatureStatus,
    validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext

from app.accounts.models import User
from app.agreements import rendering, service
from app.agreements.models import Agreement
from app.agreements.seal import (
    SealKey,
    TimestampAuthority,
    certificates_in,
    check_seal,
    load_seal_key,
    seal_pdf,
)
from app.extensions import db
from app.pdf import render_html_to_pdf
from tests.agreements.conftest import EVIDENCE, WINDOW, _fresh
from tests.agreements.pdf_metadata import (
    assert_consistent_pdfa_3b,
    identity_of,
    with_an_added_revision,
)
from tests.agreements.tsa import TSA_NAME, LocalTsa, local_tsa


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalTsa]:
    with local_tsa(tmp_path_factory.mktemp("tsa")) as served:
        yield served


@pytest.fixture(scope="module")
def sealed_lt(tsa: LocalTsa, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, SealKey]:
    """A PDF sealed with a timestamp and validation data, and the key that sealed it."""
    key = load_seal_key(None, None, tmp_path_factory.mktemp("seal"))
    authority = TimestampAuthority.configured(tsa.url, tsa.root_pem)
    pdf = seal_pdf(
        render_html_to_pdf("<title>T</title><p>x</p>"), key, "TIME-STAM-PEDX", "SR", authority
    )
    return pdf, key


def _status(pdf: bytes, key: SealKey, ts_context: ValidationContext) -> PdfSignatureStatus:
    reader = PdfFileReader(BytesIO(pdf))
    context = ValidationContext(trust_roots=[key.certificate], allow_fetching=False)
    return validate_pdf_signature(
        reader.embedded_signatures[0], context, ts_validation_context=ts_context
    )


def test_the_seal_carries_the_tsa_timestamp_and_its_validation_data(
    sealed_lt: tuple[bytes, SealKey], tsa: LocalTsa
) -> None:
    pdf, key = sealed_lt
    dss = DocumentSecurityStore.read_dss(PdfFileReader(BytesIO(pdf)))
    assert dss.crls, "the TSA's revocation data is embedded"
    # Only what the file holds: no fetching, and revocation data required for the TSA.
    offline = dss.as_validation_context(
        {
            "trust_roots": list(certificates_in(tsa.root_pem)),
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
        }
    )
    status = _status(pdf, key, offline)
    assert status.intact and status.valid
    stamp = status.timestamp_validity
    assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    assert TSA_NAME in stamp.signing_cert.subject.human_friendly


def test_a_timestamped_seal_is_still_consistent_pdfa(sealed_lt: tuple[bytes, SealKey]) -> None:
    assert_consistent_pdfa_3b(identity_of(sealed_lt[0]))


def test_check_seal_accepts_the_validation_data_and_reports_the_timestamp(
    app: Flask, sealed_lt: tuple[bytes, SealKey], tsa: LocalTsa
) -> None:
    pdf, key = sealed_lt
    check = check_seal(pdf, key, tsa_roots=certificates_in(tsa.root_pem))
    assert check.intact, check.reason
    assert check.timestamp is not None and check.timestamp.trusted
    assert TSA_NAME in check.timestamp.authority
    untrusted = check_seal(pdf, key)  # a verifier without the TSA's root
    assert untrusted.intact and untrusted.timestamp is not None
    assert not untrusted.timestamp.trusted


def test_changes_after_the_validation_data_are_caught(sealed_lt: tuple[bytes, SealKey]) -> None:
    pdf, key = sealed_lt
    for changed in (pdf + b"\n% appended\n", with_an_added_revision(pdf)):
        check = check_seal(changed, key)
        assert not check.intact
        assert check.reason == "Modified after sealing: changes were added to the file."


@pytest.fixture
def with_tsa(app: Flask, tsa: LocalTsa) -> LocalTsa:
    app.config.update(TSA_URL=tsa.url, TSA_TRUST_ROOTS=tsa.root_pem)
    return tsa


def test_a_completed_agreement_is_sealed_with_the_configured_tsa(
    with_tsa: LocalTsa,
    hr: User,
    make_agreement: Callable[..., Agreement],
    runner: FlaskCliRunner,
    client: FlaskClient,
    tmp_path: Path,
) -> None:
    agreement = make_agreement()
    service.sign(agreement.rep, agreement, _fresh(agreement.rep), EVIDENCE, WINDOW)
    service.sign(hr, agreement, _fresh(hr), EVIDENCE, WINDOW)
    db.session.commit()  # the sealing job runs now
    db.session.refresh(agreement)
    assert agreement.pdf is not None

    verdict = service.verify_pdf(agreement.pdf)
    assert verdict.intact and verdict.timestamp is not None
    assert TSA_NAME in verdict.timestamp_line

    path = tmp_path / "sealed.pdf"
    path.write_bytes(agreement.pdf)
    result = runner.invoke(args=["agreements", "verify", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{verdict.timestamp.at:%Y-%m-%d %H:%M}" in result.output and TSA_NAME in result.output

    page = client.get(f"/verify/{agreement.verification_code}").text
    assert "Seal timestamp" in page and TSA_NAME in page
    assert rendering.check_our_seal(agreement.pdf).timestamp is not None


def test_without_a_tsa_the_seal_says_its_time_is_the_servers_own(
    completed: Agreement, runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    assert completed.pdf is not None
    assert b"/DSS" not in completed.pdf
    path = tmp_path / "sealed.pdf"
    path.write_bytes(completed.pdf)
    result = runner.invoke(args=["agreements", "verify", str(path)])
    assert "Timestamp: none" in result.output
    page = client.get(f"/verify/{completed.verification_code}").text
    assert "the sealing time is the server's own clock" in page
