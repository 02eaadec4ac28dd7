"""Find articles in files, folders, globs and URLs, and turn each into a cleaned `Article`.

Loading never raises for bad input: anything that cannot become an article is reported as a
`Skip` with a reason a person can act on, and loading carries on with the next input.
"""

from __future__ import annotations

import glob
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from newsqa.index.articles import Article, Skip
from newsqa.index.dates import parse_date
from newsqa.index.decode import _decode_declared, _decode_html, _looks_binary, _mostly_garbage, decode_bytes
from newsqa.index.parse import (
    BINARY, _parse_csv, _parse_feed, _parse_html, _parse_json, _parse_jsonl, _parse_text,
    derive_title, html_to_text,
)
from newsqa.settings import Settings

_TEXT_SUFFIXES = frozenset({".txt", ".md"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_RECORD_SUFFIXES = frozenset({".json", ".jsonl", ".csv"})
_FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
# Re-exported: the loader is the one place callers import input handling from.
__all__ = ["SUPPORTED_SUFFIXES", "iter_inputs", "load_file", "fetch_url", "parse_date", "decode_bytes",
           "derive_title", "html_to_text"]

SUPPORTED_SUFFIXES: frozenset[str] = _TEXT_SUFFIXES | _HTML_SUFFIXES | _RECORD_SUFFIXES | _FEED_SUFFIXES

_GLOB_CHARS = re.compile(r"[*?\[]")
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


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
