"""Find articles in files, folders, globs and URLs, and turn each into a cleaned `Article`.

Loading never raises for bad input: anything that cannot become an article is reported as a
`Skip` with a reason a person can act on, and loading carries on with the next input.
"""

from __future__ import annotations

import codecs
import csv
import glob
import html as html_lib
import io
import json
import os
import re
import sys
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsqa.index.articles import Article, Skip, article_id_for
from newsqa.index.clean import clean_body, normalize_text
from newsqa.index.text import sentence_spans
from newsqa.settings import Settings

_TEXT_SUFFIXES = frozenset({".txt", ".md"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_RECORD_SUFFIXES = frozenset({".json", ".jsonl", ".csv"})
_FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
SUPPORTED_SUFFIXES: frozenset[str] = _TEXT_SUFFIXES | _HTML_SUFFIXES | _RECORD_SUFFIXES | _FEED_SUFFIXES

NO_BODY = "record has no body (expected one of body, text, content)"
NO_PAGE_TEXT = "no article text found in the page"
BINARY = "binary file, not text"

# Record field names, first match wins (matched case-insensitively).
_ID_FIELDS = ("id",)
_TITLE_FIELDS = ("title", "headline")
_BODY_FIELDS = ("body", "text", "content")
_URL_FIELDS = ("url", "link")
_SOURCE_FIELDS = ("source", "site", "publisher")
_AUTHOR_FIELDS = ("author", "authors", "byline")
_DATE_FIELDS = ("published_at", "date", "published", "pubdate", "published_date", "publishedat")
_CATEGORY_FIELDS = ("category", "section")

# Files named by an article id (the demo corpus: `000_d17cc11a6fb020e6.txt`) keep that id, so that
# the id printed in citations can be traced straight back to the file.
_ID_STEM = re.compile(r"^\d+_[0-9a-f]{8,}$")
_GLOB_CHARS = re.compile(r"[*?\[]")
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

_TITLE_MAX = 100  # characters of a title derived from the body
_TITLE_LINE_MAX = 200  # a longer first line is a paragraph, not a headline


# ---------------------------------------------------------------------------------------------
# Entry points


def iter_inputs(sources: Sequence[str], settings: Settings) -> Iterator[Article | Skip]:
    """Articles (cleaned) and skips from each source: a file, a folder (recursive), a glob or a URL.

    A file reached twice (say through a folder and a glob) is loaded once.
    """
    if isinstance(sources, (str, Path)):  # one source passed bare, not a list of characters
        sources = [str(sources)]
    seen: set[str] = set()
    for source in sources:
        source = str(source)
        try:
            yield from _iter_source(source, settings, seen)
        except Exception as exc:  # a loader bug must not end the whole ingest
            yield Skip(source, f"could not load ({type(exc).__name__}: {exc})")


def load_file(path: Path, settings: Settings) -> Iterator[Article | Skip]:
    """Articles from one file, chosen by its suffix; every problem becomes a `Skip`."""
    path = Path(path)
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield Skip(origin, _unsupported_reason(suffix))
        return
    data = _read_file(path, settings)
    if isinstance(data, Skip):
        yield data
        return
    try:
        yield from _parse_bytes(data, suffix, origin, stem=path.stem)
    except Exception as exc:
        yield Skip(origin, f"could not parse the file ({type(exc).__name__}: {exc})")


def fetch_url(url: str, settings: Settings) -> Iterator[Article | Skip]:
    """Articles from an http(s) URL: a news page, an RSS/Atom feed, plain text or JSON records."""
    try:
        got = _download(url, settings)
        if isinstance(got, Skip):
            yield got
            return
        data, content_type, charset, final_url = got
        yield from _parse_download(data, content_type, charset, url, final_url)
    except Exception as exc:
        yield Skip(url, f"could not load ({type(exc).__name__}: {exc})")


# ---------------------------------------------------------------------------------------------
# Sources: files, folders, globs, URLs


def _iter_source(source: str, settings: Settings, seen: set[str]) -> Iterator[Article | Skip]:
    if not source.strip():
        yield Skip(source, "empty source (expected a file, folder, glob or URL)")  # "" would mean "."
        return
    if _URL_LIKE.match(source):
        yield from fetch_url(source, settings)
        return
    path = Path(source).expanduser()
    if path.is_dir():
        files = list(_walk_folder(path))
        if not files:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            yield Skip(source, f"folder has no supported files ({supported})")
        yield from _load_files(files, settings, seen)
    elif path.is_file():
        yield from _load_files([path], settings, seen)
    elif path.exists():
        yield Skip(source, "not a regular file or folder")
    elif _GLOB_CHARS.search(source):
        matches = sorted(glob.glob(os.path.expanduser(source), recursive=True))
        if not matches:
            yield Skip(source, "no files match")
            return
        files = []
        for match in matches:
            p = Path(match)
            if p.is_dir():
                files.extend(_walk_folder(p))
            elif p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(p)
        if not files:
            yield Skip(source, "no supported files match")
        yield from _load_files(files, settings, seen)
    else:
        yield Skip(source, "no such file or folder")


def _walk_folder(folder: Path) -> Iterator[Path]:
    """Supported files under `folder`, sorted, leaving out hidden files and folders."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def _load_files(files: Iterable[Path], settings: Settings, seen: set[str]) -> Iterator[Article | Skip]:
    for path in files:
        key = os.path.realpath(path)
        if key in seen:
            continue
        seen.add(key)
        yield from load_file(path, settings)


def _unsupported_reason(suffix: str) -> str:
    kind = f"'{suffix}'" if suffix else "without a suffix"
    return f"unsupported file type {kind} (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"


def _read_file(path: Path, settings: Settings) -> bytes | Skip:
    origin = str(path)
    limit = settings.max_file_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            return Skip(origin, f"file is {size} bytes, over the limit of {limit} (NEWSQA_MAX_FILE_BYTES)")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)  # the file may have grown since stat
    except FileNotFoundError:
        return Skip(origin, "no such file or folder")
    except PermissionError:
        return Skip(origin, "cannot read the file: permission denied")
    except IsADirectoryError:
        return Skip(origin, "is a folder, not a file")
    except OSError as exc:
        return Skip(origin, f"cannot read the file: {exc.strerror or exc}")
    if len(data) > limit:
        return Skip(origin, f"file is over the limit of {limit} bytes (NEWSQA_MAX_FILE_BYTES)")
    if not data:
        return Skip(origin, "empty file")
    return data


def _parse_bytes(data: bytes, suffix: str, origin: str, stem: str) -> Iterator[Article | Skip]:
    if _looks_binary(data):
        yield Skip(origin, BINARY)
        return
    if suffix in _FEED_SUFFIXES:
        # feedparser follows the XML declaration's encoding itself, so it gets the bytes.
        yield from _parse_feed(data, origin)
        return
    text = _decode_html(data) if suffix in _HTML_SUFFIXES else decode_bytes(data)
    if _mostly_garbage(text):
        yield Skip(origin, BINARY)
        return
    if not text.strip():
        yield Skip(origin, "empty file (only whitespace)")
        return
    if suffix in _TEXT_SUFFIXES:
        yield _parse_text(text, origin, stem=stem, markdown=suffix == ".md")
    elif suffix in _HTML_SUFFIXES:
        yield _parse_html(text, origin, page_url="")
    elif suffix == ".json":
        yield from _parse_json(text, origin)
    elif suffix == ".jsonl":
        yield from _parse_jsonl(text, origin)
    else:
        yield from _parse_csv(text, origin)


# ---------------------------------------------------------------------------------------------
# URLs


def _download(url: str, settings: Settings) -> tuple[bytes, str, str | None, str] | Skip:
    """The response body (at most `fetch_max_bytes`), content type, charset and final URL."""
    import httpx

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return Skip(url, f"unsupported URL scheme '{scheme}:' (only http and https are allowed)")
    if not parts.hostname:
        return Skip(url, "URL has no host")
    limit, timeout = settings.fetch_max_bytes, settings.fetch_timeout
    # httpx's timeout is per read; a server trickling bytes is cut off by this overall deadline.
    deadline = time.monotonic() + timeout
    too_big = f"response is over the limit of {limit} bytes (NEWSQA_FETCH_MAX_BYTES)"
    headers = {
        "User-Agent": "newsqa/0.1 (article loader)",
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
    }
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    return Skip(url, f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    return Skip(
                        url, f"response is {declared} bytes, over the limit of {limit} (NEWSQA_FETCH_MAX_BYTES)"
                    )
                chunks: list[bytes] = []
                total = 0
                for chunk in resp.iter_bytes():  # decompressed bytes: the cap also stops zip bombs
                    total += len(chunk)
                    if total > limit:
                        return Skip(url, too_big)
                    if time.monotonic() > deadline:
                        return Skip(url, f"timed out after {timeout:g} s (NEWSQA_FETCH_TIMEOUT)")
                    chunks.append(chunk)
                content_type = resp.headers.get("content-type", "")
                return b"".join(chunks), content_type, resp.charset_encoding, str(resp.url)
    except httpx.TimeoutException:
        return Skip(url, f"timed out after {timeout:g} s (NEWSQA_FETCH_TIMEOUT)")
    except httpx.ConnectError as exc:
        return Skip(url, f"cannot connect ({exc or 'connection failed'})")
    except httpx.TooManyRedirects:
        return Skip(url, "too many redirects")
    except httpx.HTTPError as exc:
        return Skip(url, f"fetch failed ({type(exc).__name__}: {exc})")
    except httpx.InvalidURL as exc:
        return Skip(url, f"invalid URL ({exc})")


def _parse_download(
    data: bytes, content_type: str, charset: str | None, url: str, final_url: str
) -> Iterator[Article | Skip]:
    if not data.strip():
        yield Skip(url, "empty response")
        return
    kind = _sniff_kind(data, content_type)
    if kind == "feed":
        yield from _parse_feed(data, url)
        return
    if kind is None or _looks_binary(data):
        yield Skip(url, f"unsupported content type '{content_type or 'unknown'}'")
        return
    text = _decode_declared(data, charset) if kind != "html" else _decode_html(data, charset)
    if kind == "html":
        yield _parse_html(text, url, page_url=final_url)
    elif kind == "json":
        yield from _parse_json(text, url)
    else:
        yield _parse_text(text, url, stem="", markdown=False, url=final_url)


def _sniff_kind(data: bytes, content_type: str) -> str | None:
    """'feed', 'html', 'json', 'text' or None, from the content type and then the first bytes."""
    ctype = content_type.split(";")[0].strip().lower()
    head = data[:2048].decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    if "rss" in ctype or "atom" in ctype or re.search(r"<(?:rss|feed|rdf:rdf)\b", head):
        return "feed"
    if "html" in ctype or head.startswith(("<!doctype html", "<html")) or "<html" in head:
        return "html"
    if "xml" in ctype or head.startswith("<?xml"):
        return "feed"
    if "json" in ctype:
        return "json"
    if ctype.startswith("text/") or not ctype:
        return "text"
    return None


# ---------------------------------------------------------------------------------------------
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
# Plain text and Markdown

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FM_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`key: value` pairs from a leading `---` block, and the text after it."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).split("\n"):
        kv = _FM_LINE.match(line)
        if kv:
            value = kv.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[kv.group(1).lower().replace("-", "_")] = value
    if not meta:  # a leading horizontal rule, not front matter
        return {}, text
    return meta, text[m.end():]


def _parse_text(text: str, origin: str, stem: str, markdown: bool, url: str = "") -> Article | Skip:
    meta, rest = _split_front_matter(normalize_text(text))
    cleaned = clean_body(rest)
    title = _clean_inline(_first(meta, _TITLE_FIELDS))
    body = cleaned
    if not title:
        title, body = _split_title_line(cleaned, markdown)
    else:
        first, _, after = cleaned.partition("\n")
        if _same_text(first.lstrip("#"), title):  # a Markdown heading repeating the front matter title
            body = after.strip()
    if not body:
        return Skip(origin, "no article text (the file holds only a title or page furniture)")
    if not title:
        title = _title_from_stem(stem) or derive_title(body)
    url = _first(meta, _URL_FIELDS) or url
    record_id = _first(meta, _ID_FIELDS) or (stem if _ID_STEM.match(stem) else None)
    return Article(
        id=article_id_for(record_id, url, title, body),
        title=title,
        body=body,
        source=_first(meta, _SOURCE_FIELDS),
        url=url,
        author=_first(meta, _AUTHOR_FIELDS),
        published_at=parse_date(_first(meta, _DATE_FIELDS)),
        category=_first(meta, _CATEGORY_FIELDS),
        origin=origin,
    )


def _split_title_line(text: str, markdown: bool) -> tuple[str, str]:
    """(title, body) when the first line is a headline, else ("", text)."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    if markdown and re.match(r"#{1,6}\s", first):
        return first.lstrip("#").strip(), rest.strip()
    if not rest.strip() or not _looks_like_headline(first):
        return "", text
    return first, rest.strip()


def _looks_like_headline(line: str) -> bool:
    """Short, one sentence, not ending like prose (".", ",", ":"...). "?" and "!" are allowed."""
    if not line or len(line) > _TITLE_LINE_MAX or len(line.split()) > 30:
        return False
    if re.search(r"[.,;:…][\"'”’)\]]*$", line):
        return False
    return len(sentence_spans(line)) == 1


def _title_from_stem(stem: str) -> str:
    if not stem or _ID_STEM.match(stem):
        return ""  # an id says nothing to a reader; the body's first sentence does
    return re.sub(r"[_-]+", " ", stem).strip()


def derive_title(body: str) -> str:
    """A title from the body's opening: whole sentences up to ~100 characters, cut on a word."""
    spans = sentence_spans(body)
    if not spans:
        return ""
    start, end = spans[0]
    for _, e in spans[1:]:
        if end - start >= 30:  # "Jan 22, 2021 ..." alone is not a title
            break
        end = e
    title = " ".join(body[start:end].split())
    if len(title) <= _TITLE_MAX:
        return title
    cut = title[:_TITLE_MAX]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


# ---------------------------------------------------------------------------------------------
# HTML pages


def _parse_html(html: str, origin: str, page_url: str) -> Article | Skip:
    import trafilatura
    from trafilatura.settings import set_date_params

    date_params = {**set_date_params(True), "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
    doc = trafilatura.bare_extraction(
        html,
        url=page_url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=date_params,
    )
    meta: dict[str, Any] = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else dict(doc or {})
    body = clean_body(meta.get("text") or "")
    title = _clean_inline(meta.get("title") or "") or _html_title(html)
    if title and body:
        first, _, rest = body.partition("\n")
        if _same_text(first, title):  # the page's <h1> repeats the title
            body = rest.strip()
    if not body:
        return Skip(origin, NO_PAGE_TEXT)
    title = title or derive_title(body)
    url = meta.get("url") or page_url or ""
    return Article(
        id=article_id_for(None, url, title, body),
        title=title,
        body=body,
        source=_clean_inline(meta.get("sitename") or ""),
        url=url,
        author=_clean_inline(meta.get("author") or ""),
        published_at=parse_date(meta.get("date")),
        category=_clean_inline(", ".join(meta.get("categories") or [])),
        origin=origin,
    )


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _html_title(html: str) -> str:
    m = _TITLE_TAG.search(html)
    return _clean_inline(html_lib.unescape(m.group(1))) if m else ""


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# ---------------------------------------------------------------------------------------------
# Records: JSON, JSON lines, CSV


def _parse_json(text: str, origin: str) -> Iterator[Article | Skip]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects one after another: JSON lines named .json
            yield from _parse_jsonl(text, origin)
        else:
            yield Skip(origin, f"malformed JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)
        return
    except RecursionError:
        yield Skip(origin, "malformed JSON: nested too deeply")
        return
    records = _json_records(doc)
    if records is None:
        yield Skip(origin, "no articles in the JSON (expected a list of records, an object with "
                           "'articles', 'data' or 'items', or one record)")
        return
    if not records:
        yield Skip(origin, "the file holds no records")
        return
    for i, rec in enumerate(records, 1):
        if not isinstance(rec, Mapping):
            yield Skip(origin, f"record {i} is not an object")
            continue
        # JSON has no line numbers to give; `#n` (1-based) names the record in the list.
        result = _record_to_article(rec, f"{origin}#{i}", origin, line=None)
        if isinstance(result, Skip) and result.line is None:
            result = Skip(origin, f"{result.reason} at record {i}")
        yield result


def _json_records(doc: Any) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, Mapping):
        for key in ("articles", "data", "items"):
            if isinstance(doc.get(key), list):
                return doc[key]
        keys = {str(k).lower() for k in doc}
        if keys & set(_BODY_FIELDS + _TITLE_FIELDS):
            return [doc]
    return None


def _parse_jsonl(text: str, origin: str) -> Iterator[Article | Skip]:
    # split("\n") and not splitlines(): JSON strings may hold U+2028, which splitlines breaks on.
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(origin, f"malformed JSON line: {exc.msg} (column {exc.colno})", line=n)
            continue
        if not isinstance(rec, Mapping):
            yield Skip(origin, "JSON line is not an object", line=n)
            continue
        yield _record_to_article(rec, f"{origin}:{n}", origin, line=n)


def _raise_csv_field_limit() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # C long is 32 bits on some platforms
            limit //= 10


def _parse_csv(text: str, origin: str) -> Iterator[Article | Skip]:
    _raise_csv_field_limit()
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=header_line.count) if any(d in header_line for d in ",;\t|") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield Skip(origin, f"malformed CSV header: {exc}", line=1)
        return
    if not header:
        yield Skip(origin, "CSV has no header row")
        return
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if not set(names) & set(_BODY_FIELDS):
        yield Skip(origin, "CSV header has no body column (expected one of body, text, content)", line=1)
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the reader cannot resynchronise after this
            yield Skip(origin, f"malformed CSV: {exc}", line=start)
            return
        if not any(cell.strip() for cell in row):
            continue
        rec = dict(zip(names, row))
        yield _record_to_article(rec, f"{origin}:{start}", origin, line=start)


def _record_to_article(
    rec: Mapping[str, Any], article_origin: str, origin: str, line: int | None
) -> Article | Skip:
    fields = {str(k).strip().lower(): v for k, v in rec.items()}
    raw_body = _first(fields, _BODY_FIELDS, paragraphs=True)
    if not raw_body.strip():
        return Skip(origin, NO_BODY, line=line)
    body = clean_body(raw_body)
    if not body:
        return Skip(origin, "record body is only page furniture (nothing left after cleaning)", line=line)
    title = _clean_inline(_first(fields, _TITLE_FIELDS)) or derive_title(body)
    url = _first(fields, _URL_FIELDS)
    date_value = next((fields[k] for k in _DATE_FIELDS if fields.get(k) not in (None, "")), None)
    return Article(
        id=article_id_for(_first(fields, _ID_FIELDS) or None, url, title, body),
        title=title,
        body=body,
        source=_clean_inline(_first(fields, _SOURCE_FIELDS)),
        url=url,
        author=_clean_inline(_first(fields, _AUTHOR_FIELDS)),
        published_at=parse_date(date_value),
        category=_clean_inline(_first(fields, _CATEGORY_FIELDS)),
        origin=article_origin,
    )


def _first(fields: Mapping[str, Any], names: Sequence[str], paragraphs: bool = False) -> str:
    """The first non-empty value among `names`, as text (lists joined, numbers as digits)."""
    for name in names:
        value = _as_text(fields.get(name), paragraphs)
        if value.strip():
            return value.strip() if not paragraphs else value
    return ""


def _as_text(value: Any, paragraphs: bool = False) -> str:
    if isinstance(value, Mapping):  # e.g. NewsAPI's "source": {"id": ..., "name": "BBC News"}
        return _as_text(value.get("name"))
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, (list, tuple)):
        parts = [_as_text(v) for v in value]
        return ("\n\n" if paragraphs else ", ").join(p for p in parts if p.strip())
    return str(value)


def _clean_inline(text: str) -> str:
    """One line of metadata (title, author, source): normalised, whitespace collapsed."""
    return " ".join(normalize_text(text).split())


# ---------------------------------------------------------------------------------------------
# Feeds


def _parse_feed(data: bytes, origin: str) -> Iterator[Article | Skip]:
    import feedparser

    # A file object, never a str: feedparser.parse fetches strings that look like URLs.
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("version"):
            yield Skip(origin, "feed has no entries")
        else:
            yield Skip(origin, "not an RSS or Atom feed")
        return
    source = html_to_text(parsed.feed.get("title", ""))
    for i, entry in enumerate(entries, 1):
        yield _feed_entry_to_article(entry, i, source, origin)


def _feed_entry_to_article(entry: Mapping[str, Any], i: int, source: str, origin: str) -> Article | Skip:
    candidates = [c.get("value", "") for c in entry.get("content") or []]
    candidates.append(entry.get("summary", ""))
    # The fullest text wins; a short summary is used when that is all the entry has.
    body = max((clean_body(html_to_text(c)) for c in candidates if c), key=len, default="")
    if not body:
        return Skip(origin, f"feed entry {i} has no summary or content")
    title = " ".join(html_to_text(entry.get("title", "")).split()) or derive_title(body)
    url = entry.get("link", "") or ""
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    when = (
        datetime(*published[:6], tzinfo=timezone.utc)
        if published
        else parse_date(entry.get("published") or entry.get("updated"))
    )
    tags = entry.get("tags") or []
    return Article(
        id=article_id_for(None, url or entry.get("id", ""), title, body),
        title=title,
        body=body,
        source=source,
        url=url,
        author=_clean_inline(entry.get("author", "") or ""),
        published_at=when,
        category=_clean_inline((tags[0].get("term") or "") if tags else ""),
        origin=origin,
    )


_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|pre|figure|figcaption"
    r"|header|footer)\b[^>]*>",
    re.IGNORECASE,
)
_BR_TAG = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed summaries): tags dropped, entities decoded, blocks as paragraphs."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return html_lib.unescape(fragment)
    import lxml.html

    # Source newlines inside HTML are spaces; paragraphs come from the block tags.
    flat = re.sub(r"\s+", " ", fragment)
    marked = _BR_TAG.sub("\n", _BLOCK_TAG.sub("\n\n", flat))
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except Exception:  # lxml rejects some fragments outright; fall back to dropping tags
        return html_lib.unescape(re.sub(r"<[^>]*>", "", marked))
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    text = root.text_content()
    return "\n".join(line.strip() for line in text.split("\n"))


# ---------------------------------------------------------------------------------------------
# Dates

_DEFAULT_DATE = datetime(2000, 1, 1)  # fills missing parts, so "2024" means 2024-01-01, not today
# Zone abbreviations common in English-language news datelines (dateutil knows only UTC/GMT).
_H = 3600
_TZINFOS = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": _H, "CET": _H, "CEST": 2 * _H, "EET": 2 * _H, "EEST": 3 * _H,
    "MSK": 3 * _H, "EST": -5 * _H, "EDT": -4 * _H, "CST": -6 * _H, "CDT": -5 * _H, "MST": -7 * _H,
    "MDT": -6 * _H, "PST": -8 * _H, "PDT": -7 * _H, "AEST": 10 * _H, "AEDT": 11 * _H, "JST": 9 * _H,
}


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime (UTC when none is given), or None when the value is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds are common in JSON
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    else:
        from dateutil import parser as date_parser

        text = str(value).strip()
        if not text:
            return None
        try:
            with warnings.catch_warnings():  # unknown zone names: the date still counts, as UTC
                warnings.simplefilter("ignore")
                dt = date_parser.parse(text, default=_DEFAULT_DATE, tzinfos=_TZINFOS)
        except (ValueError, OverflowError, TypeError):
            return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    # A fixed offset, never tzlocal(): dateutil returns the machine's zone when the text says "UTC"
    # and the machine runs in UTC, which would shift the date on a machine elsewhere.
    try:
        offset = dt.utcoffset()
        return dt.replace(tzinfo=timezone.utc if not offset else timezone(offset))
    except (ValueError, OverflowError):
        return None
