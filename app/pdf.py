"""The one place that renders PDFs (the only module importing WeasyPrint).

Templates get plain values, never ORM objects. The URL fetcher serves the app's own static
files and ``data:`` URIs and nothing else, so text a user typed (an ``<img>`` pointing at
``file:///etc/passwd`` or at another host) can neither read local files nor reach the network.
"""

from __future__ import annotations

import gc
import mimetypes
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.config import PROJECT_ROOT

STATIC_DIR = (PROJECT_ROOT / "static").resolve()
# A made-up origin: relative and /static/ URLs in PDF templates resolve against it.
PDF_BASE_URL = "https://salesramp.pdf.invalid/"
PDF_VARIANT = "pdf/a-3b"
# The zone of every time a PDF shows (the ``moment`` filter reads ``moment_zone``).
PDF_TIME_ZONE = "UTC"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/...`` from the app's own folder and ``data:`` URIs; refuses the rest."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path_for(url)
        if path is None:
            # WeasyPrint catches this, logs it and renders without the resource.
            raise ValueError(f"PDF rendering fetches only the app's static files, not {url!r}")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime_type})


def static_path_for(url: str) -> Path | None:
    """The file under ``static/`` that ``url`` names, or None for anything else."""
    if not url.startswith(PDF_BASE_URL + "static/"):
        return None
    relative = unquote(urlsplit(url).path).removeprefix("/static/")
    candidate = (STATIC_DIR / relative).resolve()
    if not candidate.is_relative_to(STATIC_DIR) or not candidate.is_file():
        return None
    return candidate


def render_html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` as a PDF/A document with the restricted fetcher."""
    # WeasyPrint opens its sRGB profile for the PDF/A output intent and leaves the file to the
    # garbage collector; collect it here, where its ResourceWarning is known and harmless.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher())
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
        del document
        gc.collect()
    assert pdf is not None
    return pdf


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a Jinja template from ``templates/pdf/`` to PDF bytes.

    A PDF leaves the app and is read by anyone, anywhere: its times are in UTC and say so,
    never in the zone of whoever happened to render it.
    """
    html = render_template(template_name, **({"moment_zone": PDF_TIME_ZONE} | context))
    return render_html_to_pdf(html)
