"""Parsers from decoded text to articles: plain text and Markdown, HTML pages, records (JSON, JSON lines, CSV) and feeds."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from newsqa.index.articles import Article, Skip, article_id_for
from newsqa.index.clean import clean_body, normalize_text
from newsqa.index.text import sentence_spans
from newsqa.index.dates import parse_date

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
_TITLE_MAX = 100  # characters of a title derived from the body
_TITLE_LINE_MAX = 200  # a longer first line is a paragraph, not a headline


# Plain text and Markdown

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FM_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _field(line: str) -> tuple[str, str] | None:
    """A `Key: value` line as (key lowercased, "-" read as "_"; value), or None."""
    kv = _FM_LINE.match(line)
    return (kv.group(1).lower().replace("-", "_"), kv.group(2)) if kv else None


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`key: value` pairs from a leading `---` block, and the text after it."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).split("\n"):
        kv = _field(line)
        if kv:
            key, value = kv
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[key] = value
    if not meta:  # a leading horizontal rule, not front matter
        return {}, text
    return meta, text[m.end():]


_HEADER_FIELDS = frozenset(_ID_FIELDS + _TITLE_FIELDS + _URL_FIELDS + _SOURCE_FIELDS + _AUTHOR_FIELDS
                           + _DATE_FIELDS + _CATEGORY_FIELDS)
_HEADER_LINES_MAX = 12


def _date(value: object) -> tuple[datetime | None, tuple[str, ...]]:
    """A typed-in date (front matter, header lines, a record's field) and, when there is one that
    is not a date, a note for the ingest report: the article is kept without a date, and a question
    about a time then reads it only when no dated article falls in its window."""
    when = parse_date(value)
    if when is None and value is not None and str(value).strip():
        return None, (f"date {str(value).strip()[:40]!r} not understood; kept without a date",)
    return when, ()


def _split_header_lines(text: str) -> tuple[dict[str, str], str]:
    """`Title: ...`, `Date: ...` lines heading a text without `---` around them (as mail and many
    exports write an article), up to the first blank line: taken only when every line of that
    block is a known field, so a body that opens with "Update: ..." stays the body."""
    block, sep, rest = text.lstrip("\n").partition("\n\n")
    lines = block.split("\n")
    if not sep or len(lines) > _HEADER_LINES_MAX:
        return {}, text
    meta: dict[str, str] = {}
    for line in lines:
        kv = _field(line.strip())
        if kv is None or kv[0] not in _HEADER_FIELDS or not kv[1]:
            return {}, text
        meta[kv[0]] = kv[1]
    return meta, rest


def _parse_text(text: str, origin: str, stem: str, markdown: bool, url: str = "") -> Article | Skip:
    meta, rest = _split_front_matter(normalize_text(text))
    if not meta:
        meta, rest = _split_header_lines(rest)
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
    when, notes = _date(_first(meta, _DATE_FIELDS))
    return Article(
        id=article_id_for(record_id, url, title, body),
        title=title,
        body=body,
        source=_first(meta, _SOURCE_FIELDS),
        url=url,
        author=_first(meta, _AUTHOR_FIELDS),
        published_at=when,
        category=_first(meta, _CATEGORY_FIELDS),
        origin=origin,
        notes=notes,
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
    when, notes = _date(date_value)
    return Article(
        id=article_id_for(_first(fields, _ID_FIELDS) or None, url, title, body),
        title=title,
        body=body,
        source=_clean_inline(_first(fields, _SOURCE_FIELDS)),
        url=url,
        author=_clean_inline(_first(fields, _AUTHOR_FIELDS)),
        published_at=when,
        category=_clean_inline(_first(fields, _CATEGORY_FIELDS)),
        origin=article_origin,
        notes=notes,
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
