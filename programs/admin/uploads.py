"""Spreadsheet formats for the admin's import and export that are safe with hostile files.

Imports are capped (file size, rows) with a message that says so, and an XLSX (a zip) is refused
when its members would decompress past IMPORT_MAX_UNCOMPRESSED_BYTES, or hold more than
IMPORT_MAX_CELLS cells, before openpyxl opens it: a 2.8 MB zip bomb otherwise drives a worker to
gigabytes, and a 165 KB file of 45 MB of cells kept a request busy for 30 s. The cells are
counted in the XML; an XLSX too large to read within a request is read by the task worker only. Exports write text that a spreadsheet would
run as a formula with a leading quote (the same rule as the public /programmes.csv), where
django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=".
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from import_export.formats.base_formats import CSV, XLSX

from programs.publishing.exports import FORMULA_STARTS


class UploadRefused(ValueError):
    """A file the import will not read; the message is shown on the import form."""


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def check_size(data: bytes | str) -> None:
    size = len(data.encode() if isinstance(data, str) else data)
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadRefused(
            f"This file is {_megabytes(size)}; an import takes at most {_megabytes(limit)}. "
            "Split it into smaller files."
        )


# Byte-order marks, longest first (UTF-32's little-endian mark begins like UTF-16's).
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SAVE_AS_UTF8 = "In Excel, choose Save As → “CSV UTF-8 (comma delimited)” and import that file."


def decode_spreadsheet_text(data: bytes) -> str:
    """A CSV's text: UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 with their mark,
    or Windows-1252 (Excel's "CSV" on Windows) when it reads as Western text. Anything else is
    refused with a message, rather than read as mojibake or as a file of empty rows."""
    for mark, codec in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise UploadRefused(
                    f"This file starts as {codec.upper()} text but is not valid {codec.upper()}. "
                    + SAVE_AS_UTF8
                ) from None
    if b"\x00" in data:
        raise UploadRefused(
            "This file looks like UTF-16 text without a byte-order mark, which cannot be read "
            "safely. " + SAVE_AS_UTF8
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if not text or _looks_like_another_encoding(text):
        raise UploadRefused(
            "This file is neither UTF-8 nor Windows-1252 text (it may be Shift-JIS, GB2312 or "
            "another encoding), so its letters would be garbled. " + SAVE_AS_UTF8
        )
    return text


def _looks_like_another_encoding(text: str) -> bool:
    """Windows-1252 reading of a two-byte encoding (Shift-JIS, GBK, Big5): its letters come in
    pairs of bytes, so most non-ASCII characters stand next to another one, which Western text
    (an é or ü between ASCII letters, a dash between spaces) seldom does."""
    wide = [i for i, char in enumerate(text) if ord(char) > 127]
    if len(wide) < 4:
        return False
    positions = set(wide)
    paired = sum(1 for i in wide if i - 1 in positions or i + 1 in positions)
    return paired > len(wide) / 2


def check_rows(dataset):
    limit = settings.IMPORT_MAX_ROWS
    if len(dataset) > limit:
        raise UploadRefused(
            f"This file has {len(dataset):,} rows; an import takes at most {limit:,}. "
            "Split it into smaller files."
        )
    return dataset


def check_unzipped_size(data: bytes) -> None:
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UploadRefused("This is not an XLSX file (it is not a valid zip archive).") from exc
    if total > limit:
        raise UploadRefused(
            f"This XLSX file unpacks to {_megabytes(total)}; an import takes at most "
            f"{_megabytes(limit)} unpacked. Save it as CSV, or split it."
        )


# An XLSX's cells, rows and shared strings, counted in its XML without building any of them.
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_OVERLAP = 16  # bytes kept between two chunks, so a tag cut in two is counted once


@dataclass(frozen=True)
class XlsxShape:
    rows: int
    cells: int  # every sheet's cells and every shared string: what openpyxl would build

    @property
    def data_rows(self) -> int:
        return max(self.rows - 1, 0)


def _count(stream, pattern: re.Pattern[bytes]) -> int:
    found, tail = 0, b""
    while chunk := stream.read(2**20):
        block = tail + chunk
        cut = max(len(block) - _OVERLAP, 0)
        found += sum(1 for match in pattern.finditer(block) if match.start() < cut)
        tail = block[cut:]
    return found + len(pattern.findall(tail))


def xlsx_shape(data: bytes) -> XlsxShape:
    """Rows and cells of an XLSX, read from its XML in 1 MB pieces (under a second for 50 MB
    unpacked): openpyxl takes about 30 s for a 165 KB file that unpacks to 45 MB of cells."""
    rows = cells = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                name = member.filename
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(member) as stream:
                        cells += _count(stream, _CELL)
                    with archive.open(member) as stream:
                        rows = max(rows, _count(stream, _ROW))
                elif name == "xl/sharedStrings.xml":
                    with archive.open(member) as stream:
                        cells += _count(stream, _STRING)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UploadRefused("This is not an XLSX file (it is not a valid zip archive).") from exc
    return XlsxShape(rows=rows, cells=cells)


def check_cells(shape: XlsxShape) -> None:
    limit = settings.IMPORT_MAX_CELLS
    if shape.cells > limit:
        raise UploadRefused(
            f"This XLSX file holds {shape.cells:,} cells; an import reads at most {limit:,}. "
            "Save it as CSV, or split it."
        )


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _escape_formulae(dataset) -> None:
    for index in range(len(dataset)):
        dataset[index] = tuple(escape_formula(cell) for cell in dataset[index])


class SafeCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        check_size(in_stream)
        return check_rows(super().create_dataset(in_stream, **kwargs))

    def _escape_formulae(self, dataset) -> None:
        _escape_formulae(dataset)


class SafeXLSX(XLSX):
    def create_dataset(self, in_stream):
        check_size(in_stream)
        check_unzipped_size(in_stream)
        check_cells(xlsx_shape(in_stream))
        return check_rows(super().create_dataset(in_stream))

    def _escape_formulae(self, dataset) -> None:
        _escape_formulae(dataset)
