"""Bytes to text: binary detection and encoding detection for files and downloads."""

from __future__ import annotations

import codecs
import re


# Bytes to text

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
# Bytes that occur in text: printable ASCII, tab/newline/CR/FF/ESC, and everything >= 0x80.
_TEXT_BYTES = bytes({7, 8, 9, 10, 12, 13, 27} | set(range(0x20, 0x100)) - {0x7F})


def _looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if head.startswith(_MAGIC) or b"\x00" in head:
        return True
    control = len(head.translate(None, _TEXT_BYTES))
    return control > 0.1 * len(head)


def _mostly_garbage(text: str) -> bool:
    """Decoding produced mostly replacement characters: not text after all."""
    sample = text[:65536]
    return bool(sample) and sample.count("\ufffd") > 0.25 * len(sample)


# In cp1252 these sit where cp1250 has Central European letters (ą ł ż Ľ ľ); seen next to letters
# they say the text really is cp1250.
_CP1250_HINT = re.compile(r"[A-Za-z][¹³¿¥¼¾]|[¹³¿¥¼¾][a-z]")
_LATIN_SINGLE_BYTE = re.compile(r"^(?:cp125[02]|cp1257|cp775|cp850|cp437|cp858|latin_1|iso8859_\d+|mac_\w+)$")


def decode_bytes(data: bytes) -> str:
    """Text from bytes: a BOM, else UTF-8, else the detected encoding; undecodable bytes become U+FFFD.

    charset-normalizer tends to call short Western text cp1250, which turns "déjà" into "déjŕ";
    when the guess is any Latin single-byte code page and the bytes are valid cp1252 (the usual
    legacy encoding of English and Western European news), cp1252 is used.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a few broken bytes stays UTF-8 rather than becoming mojibake throughout.
    loose = data.decode("utf-8", errors="replace")
    broken = loose.count("\ufffd")
    good = len(loose) - len(loose.encode("ascii", "ignore")) - broken
    if good >= 2 * broken:
        return loose
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        guessed = str(best)
        if best.encoding != "cp1252" and _LATIN_SINGLE_BYTE.match(best.encoding):
            try:
                as_cp1252 = data.decode("cp1252")
            except UnicodeDecodeError:
                return guessed
            if not _CP1250_HINT.search(as_cp1252):
                return as_cp1252
        return guessed
    return data.decode("cp1252", errors="replace")


def _decode_declared(data: bytes, charset: str | None) -> str:
    """Decode with a declared charset when it fits the bytes, else detect.

    Bytes that are valid UTF-8 are read as UTF-8 whatever the declaration says: servers often send
    a default `charset=ISO-8859-1` for UTF-8 pages, and text in another encoding is almost never
    valid UTF-8 by accident.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if charset and not any(data.startswith(bom) for bom, _ in _BOMS):
        name = charset.strip().lower()
        if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            name = "cp1252"  # what browsers do: these labels mean windows-1252 on the web
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode_html(data: bytes, charset: str | None = None) -> str:
    if not charset:
        m = _META_CHARSET.search(data[:4096])
        charset = m.group(1).decode("ascii") if m else None
    return _decode_declared(data, charset)


# ---------------------------------------------------------------------------------------------
