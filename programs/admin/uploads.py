"""Spreadsheet formats for the admin's import and export that are safe with hostile files.

Imports are capped (file size, rows) with a message that says so, and an XLSX (a zip) is refused
when its members would decompress past IMPORT_MAX_UNCOMPRESSED_BYTES, before openpyxl opens it: a
2.8 MB zip bomb otherwise drives a worker to gigabytes. Exports write text that a spreadsheet would
run as a formula with a leading quote (the same rule as the public /programmes.csv), where
django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=".
"""

from __future__ import annotations

import codecs
import io
import zipfile

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
        return check_rows(super().create_dataset(in_stream))

    def _escape_formulae(self, dataset) -> None:
        _escape_formulae(dataset)
