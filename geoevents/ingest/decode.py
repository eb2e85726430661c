"""Bytes to text: BOMs, UTF-8, legacy code pages, and refusing what is not text at all.

Newsroom exports arrive as UTF-8 (with or without a BOM), UTF-16 from Windows tools, and
cp1256 (Arabic) or latin-1/cp1252 from older systems. Guessing wrong silently corrupts every
place name downstream, so each guess is reported as a note, and bytes that are clearly not text
(images, archives, NUL-heavy blobs) are refused with ``InputError`` instead of being decoded
into garbage that the geoparser would then mine for places.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from dataclasses import dataclass, field

from geoevents.errors import InputError

__all__ = ["Decoded", "clean_text", "decode_bytes", "looks_binary", "safe_name"]

log = logging.getLogger(__name__)

# Signatures of common non-text files a newsroom folder may hold next to its articles.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"%PDF-", "a PDF (convert it to text first, e.g. with pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx; unzip or export to text first)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip data (name it *.gz)"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (export it to text first)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Legacy code pages charset-normalizer may choose between; a closed list keeps guesses sane
#: (left free, it reads French latin-1 as cp1250).
LEGACY_ENCODINGS = ["cp1252", "cp1256", "cp1251", "cp1253", "cp1254", "cp1255", "latin_1"]
_SNIFF = 8192
# Bytes that never occur in text: C0 controls except tab, LF, FF, CR, ESC.
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_HIGH_BYTES = bytes(range(0x80, 0x100))


@dataclass
class Decoded:
    """Text decoded from bytes, with what was guessed or repaired on the way."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def looks_binary(data: bytes) -> str | None:
    """Say why ``data`` is not text (``"a PNG image"``, ``"NUL-heavy"``), or None if it may be text.

    Only the first 8 KiB are inspected. UTF-16/32 text is recognised first (it is NUL-heavy
    by nature), so it is not called binary.
    """
    head = data[:_SNIFF]
    for bom, _ in _BOMS:
        if head.startswith(bom):
            return None
    has_control = len(head[:64].translate(None, _CONTROL_BYTES)) < len(head[:64])
    for magic, what in _MAGIC:
        # short printable signatures ("MZ", "ID3") only count when binary bytes follow
        if head.startswith(magic) and (has_control or not magic.isascii() or not magic.isalnum()):
            return what
    if not head:
        return None
    if _utf16_without_bom(head):
        return None
    nuls = head.count(0)
    if nuls / len(head) > 0.10:
        return "NUL-heavy (more than 10% NUL bytes)"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C
    if controls / len(head) > 0.10:
        return "mostly control bytes"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """Return 'utf-16-le'/'utf-16-be' when ``head`` looks like BOM-less UTF-16 text."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, enc in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) / len(zeros) > 0.6:
            try:
                text = head[: len(head) // 2 * 2].decode(enc)
            except UnicodeDecodeError:
                continue
            if sum(ch.isprintable() or ch.isspace() for ch in text) / max(len(text), 1) > 0.95:
                return enc
    return None


def _decode_complete(data: bytes, encoding: str, *, truncated: bool) -> str:
    """Decode strictly; a truncated tail may end inside a character, which is then dropped."""
    if truncated:
        return codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)
    return data.decode(encoding)


def decode_bytes(data: bytes, *, name: str, truncated: bool = False) -> Decoded:
    """Decode article bytes to text, or raise ``InputError`` if they are not text.

    Order: BOM (UTF-8/16/32), BOM-less UTF-16, strict UTF-8, then charset-normalizer among
    ``LEGACY_ENCODINGS`` (cp1252 when only a handful of non-ASCII bytes leave it unsure), and
    last UTF-8 with U+FFFD replacement characters. Every guess after strict UTF-8 adds a note.
    NUL characters left after decoding (a stray NUL in a text file) are removed, with a note.

    Parameters
    ----------
    data : bytes
        The raw file content (already decompressed).
    name : str
        The file name, used in messages.
    truncated : bool
        True when ``data`` was cut at a size limit, so an incomplete last character is dropped
        instead of reported as a decoding error.

    Raises
    ------
    InputError
        When the bytes look binary (image, archive, executable, NUL-heavy).

    """
    notes: list[str] = []
    why = looks_binary(data)
    if why:
        raise InputError(f"{name}: looks binary ({why}), not an article; remove it or convert it to text")
    text: str | None = None
    encoding = ""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = _decode_complete(data[len(bom) :], enc, truncated=truncated), enc
            except UnicodeDecodeError:
                text = data[len(bom) :].decode(enc, errors="replace")
                encoding = enc
                notes.append(
                    f"{name}: invalid {enc} after its byte-order mark; bad bytes replaced with U+FFFD"
                )
            break
    if text is None:
        utf16 = _utf16_without_bom(data[:_SNIFF])
        if utf16:
            try:
                text, encoding = _decode_complete(data, utf16, truncated=truncated), utf16
                notes.append(f"{name}: no byte-order mark; read as {utf16}")
            except UnicodeDecodeError:
                text = None
    if text is None:
        try:
            text, encoding = _decode_complete(data, "utf-8", truncated=truncated), "utf-8"
        except UnicodeDecodeError:
            text = None
    if text is None:
        declared = _declared_charset(data)
        if declared:
            try:
                text, encoding = data.decode(declared), declared
                notes.append(f"{name}: not UTF-8; decoded as {declared}, as its <meta charset> declares")
            except (UnicodeDecodeError, LookupError):
                text = None
    if text is None:
        text, encoding = _guess_legacy(data, name=name, notes=notes)
    if "\x00" in text:
        notes.append(f"{name}: removed {text.count(chr(0))} NUL characters")
        text = text.replace("\x00", "")
    return Decoded(text=text, encoding=encoding, notes=notes)


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{2,40})""", re.IGNORECASE
)


def _declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML page declares in a ``<meta>`` near its start, if Python knows it."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _guess_legacy(data: bytes, *, name: str, notes: list[str]) -> tuple[str, str]:
    """Pick a legacy code page for non-UTF-8 bytes, or fall back to UTF-8 with replacement."""
    sample = data[:65536]
    non_ascii = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    encoding: str | None = None
    if non_ascii < 4:
        encoding = "cp1252"  # too few clues to tell code pages apart: the commonest wins
    else:
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data[:65536], cp_isolation=LEGACY_ENCODINGS).best()
            encoding = best.encoding if best is not None else None
        except Exception as err:  # a detector bug must not lose the article
            log.debug("charset detection failed for %s: %s", name, err)
    if encoding:
        try:
            text = data.decode(encoding)
            notes.append(f"{name}: not UTF-8; decoded as {encoding} (guessed)")
            return text, encoding
        except UnicodeDecodeError:
            pass
    notes.append(f"{name}: encoding not recognised; decoded as UTF-8 with bad bytes replaced by U+FFFD")
    return data.decode("utf-8", errors="replace"), "utf-8"


# ---------------------------------------------------------------- one policy for str values

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    r"""Replace lone surrogates (``"\\ud800"`` in JSON, undecodable file names) with U+FFFD.

    Python strings may hold them, but no UTF-8 writer (file, JSON, SQLite, GDAL) accepts them.
    One character becomes one character, so offsets into an article's text stay valid.
    """
    if _SURROGATE.search(value) is None:
        return value
    return _SURROGATE.sub("\ufffd", value)


def safe_name(path: str | os.PathLike[str]) -> str:
    r"""Return a file name as text every output can hold: undecodable bytes shown as ``\\xff``.

    POSIX names are bytes; Python decodes the ones that are not UTF-8 with ``surrogateescape``
    (``bad\\udcff.txt``). The file is still opened by its real name; this is what ids, records
    and messages show.
    """
    name = os.fspath(path)
    if isinstance(name, bytes):
        return name.decode("utf-8", "backslashreplace")
    if _SURROGATE.search(name) is None:
        return name
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        return clean_text(name)
