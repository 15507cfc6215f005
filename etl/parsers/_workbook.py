"""Producers' spreadsheets read as rows of text: Office Open XML (``.xlsx``, openpyxl) and Excel
97-2003 (``.xls``, xlrd: Insee served Filosofi 2014-2016 that way).

A cell becomes the text a CSV export of the sheet would hold, so that a parser validates and
converts a workbook exactly as it does the CSV of the same table: numbers in their shortest
round-trip form with the producer's decimal mark (a whole number without a decimal part: xlrd
gives every number as a float), empty cells "". The reader libraries are imported only when a
workbook is met.
"""

from __future__ import annotations

import io
import zipfile

from etl.contract import RawDataError

#: Excel 97-2003 (OLE2 compound file) signature.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_xlsx(data: bytes) -> bool:
    """An Office Open XML workbook: a zip holding ``xl/workbook.xml``."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def is_workbook(data: bytes) -> bool:
    """An xlsx or an xls workbook (by content, never by file name)."""
    return data.startswith(OLE2) or is_xlsx(data)


def cell_text(value: object, decimal: str) -> str:
    """A cell as a CSV export writes it: shortest round-trip repr of numbers, "" for empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", decimal)
    return str(value)


def sheet_names(data: bytes, label: str) -> list[str]:
    """The sheet names of a workbook, in order."""
    if data.startswith(OLE2):
        return _xls(data, label).sheet_names()
    wb = _xlsx(data, label)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def sheet_rows(data: bytes, *, label: str, sheet: str | None = None, decimal: str = ".") -> list[list[str]]:
    """Every row of ``sheet`` (default: the first) as text cells; ``RawDataError`` naming the file
    when the workbook cannot be read or has no such sheet."""
    if data.startswith(OLE2):
        book = _xls(data, label)
        names = book.sheet_names()
        if sheet is not None and sheet not in names:
            raise RawDataError(label, f"no sheet {sheet!r}; sheets {names}")
        ws = book.sheet_by_name(sheet) if sheet is not None else book.sheet_by_index(0)
        return [[cell_text(v, decimal) for v in ws.row_values(i)] for i in range(ws.nrows)]
    wb = _xlsx(data, label)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise RawDataError(label, f"no sheet {sheet!r}; sheets {wb.sheetnames}")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        return [[cell_text(v, decimal) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _xlsx(data: bytes, label: str):  # noqa: ANN202 - openpyxl's Workbook, imported lazily
    import openpyxl  # noqa: PLC0415

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RawDataError(label, f"cannot read as an xlsx workbook: {exc}") from exc


def _xls(data: bytes, label: str):  # noqa: ANN202 - xlrd's Book, imported lazily
    import struct  # noqa: PLC0415

    import xlrd  # noqa: PLC0415
    from xlrd.compdoc import CompDocError  # noqa: PLC0415

    try:
        return xlrd.open_workbook(file_contents=data, on_demand=True)
    except (xlrd.XLRDError, CompDocError, struct.error, IndexError, ValueError) as exc:
        raise RawDataError(label, f"cannot read as an xls workbook: {exc}") from exc
