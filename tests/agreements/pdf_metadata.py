"""What a PDF says about itself: header and catalog version, PDF/A identification, Info and XMP;
and a sealed PDF with a change added after the seal.

Read with pyHanko and the standard library's XML parser, independently of how the app writes it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import parse_pdf_date
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
PDF = "{http://ns.adobe.com/pdf/1.3/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"

# Info dictionary keys and the XMP properties that mirror them (ISO 19005-3, 6.6.2.3.1).
MIRRORED_TEXT = {
    "/Producer": f"{PDF}Producer",
    "/Title": f"{DC}title",
    "/Creator": f"{XMP}CreatorTool",
}
MIRRORED_DATES = {"/CreationDate": f"{XMP}CreateDate", "/ModDate": f"{XMP}ModifyDate"}


@dataclass(frozen=True)
class PdfIdentity:
    header_version: str  # from %PDF-x.y
    catalog_version: str | None  # the catalog's /Version, which overrides the header
    extension_base_versions: set[str]  # BaseVersion of each developer extension declared
    info: dict[str, str]
    xmp: dict[str, str]

    def info_date(self, key: str) -> datetime:
        return parse_pdf_date(self.info[key])

    def xmp_date(self, key: str) -> datetime:
        return datetime.fromisoformat(self.xmp[key])


def assert_consistent_pdfa_3b(identity: PdfIdentity) -> None:
    """PDF 1.7 everywhere it is stated, PDF/A-3b in XMP, and Info mirrored by XMP."""
    assert identity.header_version == "1.7"
    assert identity.catalog_version in (None, "1.7")
    assert identity.extension_base_versions <= {"1.7"}  # no PDF 2.0 extension (ISO 32002)
    assert identity.xmp[f"{PDFAID}part"] == "3"
    assert identity.xmp[f"{PDFAID}conformance"] == "B"
    for info_key, xmp_key in MIRRORED_TEXT.items():
        assert identity.info.get(info_key) == identity.xmp.get(xmp_key), info_key
    for info_key, xmp_key in MIRRORED_DATES.items():
        assert identity.info_date(info_key) == identity.xmp_date(xmp_key), info_key


def identity_of(pdf: bytes) -> PdfIdentity:
    reader = PdfFileReader(BytesIO(pdf))
    root = reader.root
    version = root.get("/Version")
    extensions = root.get("/Extensions", {})
    bases = set()
    for value in extensions.values():
        for extension in value if isinstance(value, list) else [value]:
            bases.add(str(extension["/BaseVersion"]).lstrip("/"))
    return PdfIdentity(
        header_version=pdf[5:8].decode("ascii"),
        catalog_version=str(version).lstrip("/") if version is not None else None,
        extension_base_versions=bases,
        info={str(k): str(v) for k, v in reader.trailer["/Info"].items()},
        xmp=xmp_properties(root["/Metadata"].data),
    )


def xmp_properties(packet: bytes) -> dict[str, str]:
    """Every simple XMP property, written as an attribute or an element, by expanded name."""
    found: dict[str, str] = {}
    for description in ET.fromstring(packet).iter(f"{RDF}Description"):
        for name, value in description.attrib.items():
            if name != f"{RDF}about":
                found[name] = value
        for child in description:
            item = child.find(f".//{RDF}li")
            found[child.tag] = (item.text if item is not None else child.text) or ""
    return found


def with_an_added_revision(pdf: bytes) -> bytes:
    """``pdf`` with an incremental update after the seal (the document language changed)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("fr")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
