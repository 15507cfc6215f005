"""Shared helpers of the exports tests: hand-made places and facts, PDF text extraction."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from exports.model import Facts, Place, Reading
from indicators.catalogue import get_indicator

#: The 24 GOSB communes (reference/PROVENANCE) and the start of their key message.
GOSB_COMMUNES = {
    "94001": ("Ablon-sur-Seine", "À Ablon-sur-Seine,"),
    "94003": ("Arcueil", "À Arcueil,"),
    "94016": ("Cachan", "À Cachan,"),
    "94021": ("Chevilly-Larue", "À Chevilly-Larue,"),
    "94022": ("Choisy-le-Roi", "À Choisy-le-Roi,"),
    "94034": ("Fresnes", "À Fresnes,"),
    "94037": ("Gentilly", "À Gentilly,"),
    "94038": ("L'Haÿ-les-Roses", "À L'Haÿ-les-Roses,"),
    "94041": ("Ivry-sur-Seine", "À Ivry-sur-Seine,"),
    "94043": ("Le Kremlin-Bicêtre", "Au Kremlin-Bicêtre,"),
    "94054": ("Orly", "À Orly,"),
    "94065": ("Rungis", "À Rungis,"),
    "94073": ("Thiais", "À Thiais,"),
    "94074": ("Valenton", "À Valenton,"),
    "94076": ("Villejuif", "À Villejuif,"),
    "94077": ("Villeneuve-le-Roi", "À Villeneuve-le-Roi,"),
    "94078": ("Villeneuve-Saint-Georges", "À Villeneuve-Saint-Georges,"),
    "94081": ("Vitry-sur-Seine", "À Vitry-sur-Seine,"),
    "91027": ("Athis-Mons", "À Athis-Mons,"),
    "91326": ("Juvisy-sur-Orge", "À Juvisy-sur-Orge,"),
    "91432": ("Morangis", "À Morangis,"),
    "91479": ("Paray-Vieille-Poste", "À Paray-Vieille-Poste,"),
    "91589": ("Savigny-sur-Orge", "À Savigny-sur-Orge,"),
    "91687": ("Viry-Châtillon", "À Viry-Châtillon,"),
}
GOSB = Place("T12", "Grand-Orly Seine Bièvre", "ept", tuple(GOSB_COMMUNES))
MGP = Place("MGP", "Métropole du Grand Paris", "mgp", (*GOSB_COMMUNES, "75056", "93066"))


def commune(code: str) -> Place:
    return Place(code, GOSB_COMMUNES[code][0], "commune", (code,), ept="T12")


def facts(
    indicator_id: str,
    focus: Place,
    value: float | None,
    gosb: float | None = None,
    mgp: float | None = None,
    year: int = 2022,
    status: str = "ok",
    **kw,
) -> Facts:
    """Facts of one indicator for ``focus`` compared with GOSB and the MGP (None: not shown)."""
    refs = []
    if gosb is not None:
        refs.append(Reading(GOSB, gosb, "ok", 24, 24))
    if mgp is not None:
        refs.append(Reading(MGP, mgp, "ok", 130, 130))
    return Facts(
        get_indicator(indicator_id), year, Reading(focus, value, status), references=tuple(refs), **kw
    )


def pdf_text(data: bytes) -> str:
    """Text of a PDF: pypdf when installed, else poppler's ``pdftotext``; skip if neither."""
    try:
        from pypdf import PdfReader  # noqa: PLC0415 - optional

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    except ImportError:
        pass
    if not shutil.which("pdftotext"):
        pytest.skip("neither pypdf nor pdftotext (Debian poppler-utils) is installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        return out.stdout.decode("utf-8")


def pdf_pages(data: bytes) -> int:
    """Page count of a PDF (pypdf, else poppler's ``pdfinfo``; skip if neither)."""
    try:
        from pypdf import PdfReader  # noqa: PLC0415 - optional

        return len(PdfReader(io.BytesIO(data)).pages)
    except ImportError:
        pass
    if not shutil.which("pdfinfo"):
        pytest.skip("neither pypdf nor pdfinfo (Debian poppler-utils) is installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))
