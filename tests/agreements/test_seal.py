"""The sealed PDF: pyHanko and poppler agree it is intact; one changed byte is caught."""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from app.agreements import rendering
from app.agreements.models import Agreement
from app.agreements.seal import check_seal, load_seal_key, seal_pdf
from app.agreements.service.verification import verify_pdf
from app.pdf import StaticOnlyFetcher, render_html_to_pdf
from tests.agreements.pdf_metadata import with_an_added_revision

needs_poppler = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="needs poppler-utils")


def flip_one_byte(pdf: bytes, where: float = 0.3) -> bytes:
    """The same file with one byte of the signed content changed."""
    data = bytearray(pdf)
    index = int(len(data) * where)
    data[index] = (data[index] + 1) % 256
    return bytes(data)


def test_pyhanko_validates_the_sealed_pdf(completed: Agreement) -> None:
    assert completed.pdf is not None
    key = rendering.seal_key()
    reader = PdfFileReader(BytesIO(completed.pdf))
    [signature] = reader.embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[key.certificate], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    assert signature.docmdp_level == MDPPerm.NO_CHANGES  # a certification: no later changes
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert completed.pdf_sha256 == hashlib.sha256(completed.pdf).hexdigest()


def test_one_changed_byte_is_caught(completed: Agreement) -> None:
    assert completed.pdf is not None
    verdict = verify_pdf(flip_one_byte(completed.pdf))
    assert not verdict.intact
    assert "Modified after sealing" in verdict.reason or "damaged" in verdict.reason


def test_appending_to_a_sealed_pdf_is_caught(completed: Agreement) -> None:
    assert completed.pdf is not None
    verdict = verify_pdf(completed.pdf + b"\n% an innocent looking comment\n")
    assert not verdict.intact
    assert "Modified after sealing" in verdict.reason


def test_the_intact_pdf_is_identified(completed: Agreement) -> None:
    assert completed.pdf is not None
    verdict = verify_pdf(completed.pdf)
    assert verdict.intact and verdict.agreement is not None
    assert verdict.agreement.id == completed.id
    assert "Intact" in verdict.summary and completed.verification_code in verdict.summary


def test_a_pdf_sealed_by_another_organisation_is_refused(
    completed: Agreement, tmp_path: Path
) -> None:
    other_key = load_seal_key(None, None, tmp_path)
    plain = render_html_to_pdf("<p>Looks like an agreement</p>")
    forged = seal_pdf(plain, other_key, completed.verification_code, "Impostor Ltd")
    verdict = verify_pdf(forged)
    assert not verdict.intact
    assert "Not sealed by this organisation" in verdict.reason


def test_a_pdf_without_a_seal_is_refused(app: Flask) -> None:
    verdict = verify_pdf(render_html_to_pdf("<p>Unsigned</p>"))
    assert not verdict.intact and "no digital seal" in verdict.reason
    assert "not a PDF" in verify_pdf(b"hello").reason


def test_a_sealed_pdf_unknown_to_salesramp_is_reported(app: Flask) -> None:
    sealed = seal_pdf(
        render_html_to_pdf("<p>x</p>"), rendering.seal_key(), "AAAA-BBBB-CCCC", "Northwind"
    )
    verdict = verify_pdf(sealed)
    assert not verdict.intact and verdict.reason.startswith("Unknown document")


def test_the_generated_organisation_key_is_reused(tmp_path: Path) -> None:
    first = load_seal_key(None, None, tmp_path)
    second = load_seal_key(None, None, tmp_path)
    assert first.fingerprint == second.fingerprint
    assert (tmp_path / "agreement-seal.p12").stat().st_mode & 0o077 == 0


@needs_poppler
def test_pdfsig_agrees_the_seal_is_valid_and_covers_the_whole_file(
    completed: Agreement, tmp_path: Path
) -> None:
    assert completed.pdf is not None
    path = tmp_path / "sealed.pdf"
    path.write_bytes(completed.pdf)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature Validation: Signature is Valid." in report.stdout
    assert "Total document signed" in report.stdout
    assert "SHA-256" in report.stdout

    path.write_bytes(flip_one_byte(completed.pdf))
    tampered = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature is Valid." not in tampered.stdout


def test_cli_verify_exits_0_for_intact_and_1_otherwise(
    completed: Agreement, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    assert completed.pdf is not None
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(completed.pdf)
    bad.write_bytes(flip_one_byte(completed.pdf))
    result = runner.invoke(args=["agreements", "verify", str(good)])
    assert result.exit_code == 0, result.output
    assert "Intact" in result.output and completed.verification_code in result.output
    result = runner.invoke(args=["agreements", "verify", str(bad)])
    assert result.exit_code == 1
    assert "Not intact" in result.output


def test_cli_verify_of_a_changed_file_gives_the_verdict_without_a_traceback(
    completed: Agreement,
    runner: FlaskCliRunner,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert completed.pdf is not None
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(with_an_added_revision(completed.pdf))
    caplog.set_level(logging.DEBUG, logger="pyhanko")
    result = runner.invoke(args=["agreements", "verify", str(changed)])
    assert result.exit_code == 1
    assert "Not intact: Modified after sealing: changes were added" in result.output
    captured = capsys.readouterr()
    assert "Traceback" not in result.output + captured.out + captured.err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    [finding] = [r for r in caplog.records if "Error in diff operation" in r.getMessage()]
    assert finding.levelno == logging.DEBUG and finding.exc_info is None


def pdf_text(agreement: Agreement, tmp_path: Path) -> str:
    """The sealed PDF's text as poppler lays it out, pages separated by form feeds."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    assert agreement.pdf is not None
    path = tmp_path / "sealed.pdf"
    path.write_bytes(agreement.pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_carries_the_document_signatures_and_certificate(
    completed: Agreement, tmp_path: Path
) -> None:
    text = pdf_text(completed, tmp_path)
    for expected in (
        "Performance improvement agreement",
        "Meetings booked: 2 a week against 6.",
        "Signatures",
        "Priya Shah",
        "Certificate of completion",
        "Audit trail",
        "countersigned by HR",
        completed.verification_code,
        f"/verify/{completed.verification_code}",
        "2026-11-v1",
    ):
        assert expected in text, expected
    assert str(completed.content_hash)[:40] in text.replace("\n", "").replace(" ", "")


def test_the_audit_table_follows_its_heading_and_repeats_its_header_on_each_page(
    completed: Agreement, tmp_path: Path
) -> None:
    text = pdf_text(completed, tmp_path)
    pages = text.split("\f")
    [start] = [i for i, page in enumerate(pages) if "Audit trail" in page]
    assert "drafted" in pages[start], "the table starts on the page of its heading"
    with_rows = [page for page in pages[start:] if "\n   " in page and "event" in page]
    assert len(with_rows) >= 2, "the completed agreement's trail runs over two pages"
    assert all("When (UTC)" in page for page in with_rows)


@pytest.mark.parametrize(
    "typed",
    [
        '<img src="file:///etc/passwd">',
        "<img src=file:///etc/passwd>",
        '<img src="https://attacker.example/pixel.png">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
    ],
)
def test_a_user_typed_field_cannot_make_the_renderer_fetch_anything(
    make_agreement: Callable[..., Agreement],
    values: dict,
    typed: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fetched: list[str] = []
    original = StaticOnlyFetcher.fetch

    def spy(self: StaticOnlyFetcher, url: str, headers: dict | None = None) -> object:
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    agreement = make_agreement(
        send=False, values={**values["performance-improvement"], "gap_summary": typed}
    )
    pdf = rendering.preview_pdf(agreement)
    assert pdf.startswith(b"%PDF")
    assert fetched, "the stylesheet and fonts are fetched through the restricted fetcher"
    assert all(url.startswith("https://salesramp.pdf.invalid/static/") for url in fetched)
    assert b"root:x:0:0" not in pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://attacker.example/x.png",
        "http://127.0.0.1:5000/static/css/pdf.css",
        "https://salesramp.pdf.invalid/static/../../etc/passwd",
        "https://salesramp.pdf.invalid/static/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_the_fetcher_refuses_local_files_and_the_network(url: str) -> None:
    with pytest.raises(ValueError, match="fetches only the app's static files"):
        StaticOnlyFetcher().fetch(url)


def test_even_raw_html_pointing_at_local_files_renders_without_them(tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>TOPSECRET</text></svg>')
    pdf = render_html_to_pdf(f'<p>Hi</p><img src="file://{secret}"><img src="{secret}">')
    assert b"TOPSECRET" not in pdf


def test_a_configured_pkcs12_seals_instead_of_the_generated_key(
    app: Flask, completed: Agreement, tmp_path: Path
) -> None:
    from app.agreements.seal import self_signed_p12
    from app.config import read_settings

    p12 = tmp_path / "org.p12"
    p12.write_bytes(self_signed_p12("Northwind Software seal", "s3cret passphrase"))
    settings = read_settings(
        tmp_path / "instance",
        {"SALESRAMP_SEAL_P12": str(p12), "SALESRAMP_SEAL_PASSPHRASE": "s3cret passphrase"},
    )
    app.config.update(SEAL_P12=settings.seal_p12, SEAL_PASSPHRASE=settings.seal_passphrase)
    key = rendering.seal_key()
    assert "Northwind Software seal" in key.subject
    assert not (tmp_path / "instance" / "agreement-seal.p12").exists()
    sealed = seal_pdf(render_html_to_pdf("<p>x</p>"), key, "CODE", "Northwind")
    assert check_seal(sealed, key).intact
    assert completed.pdf is not None
    assert "Not sealed by this organisation" in verify_pdf(completed.pdf).reason


def test_agreement_settings_come_from_the_environment(tmp_path: Path) -> None:
    from app.config import read_settings

    defaults = read_settings(tmp_path, {})
    assert (defaults.seal_p12, defaults.reauth_minutes) == (None, 5)
    assert defaults.public_url == "http://127.0.0.1:5000"
    custom = read_settings(
        tmp_path,
        {
            "SALESRAMP_REAUTH_MINUTES": "10",
            "SALESRAMP_PUBLIC_URL": "https://ramp.example.com",
            "PORT": "8000",
        },
    )
    assert (custom.reauth_minutes, custom.public_url) == (10, "https://ramp.example.com")
    assert read_settings(tmp_path, {"SALESRAMP_REAUTH_MINUTES": "soon"}).reauth_minutes == 5
    assert read_settings(tmp_path, {"PORT": "8000"}).public_url == "http://127.0.0.1:8000"
