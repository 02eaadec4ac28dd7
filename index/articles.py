"""The article and chunk types that carry news text from loaders to the store and on to answers.

Ids are derived from content so that re-ingesting the same article is a no-op and a changed article
replaces its own chunks and nothing else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone


def stable_hash(*parts: str, length: int = 16) -> str:
    """A short, stable hex digest of the given strings (NUL-separated so parts cannot run together)."""
    h = hashlib.sha256("\x00".join(parts).encode("utf-8"))
    return h.hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, cleaned, as it will be chunked and indexed.

    `origin` says where it came from (file path, `path:line` for records, or URL) so that skips and
    listings can point a person back to the input.
    """

    id: str
    title: str
    body: str
    source: str = ""
    url: str = ""
    author: str = ""
    published_at: datetime | None = None
    category: str = ""
    origin: str = ""
    # what loading could not read and left out ("date 'soon' not understood"), for the ingest
    # report; not stored, not part of the content
    notes: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that ends up in a chunk changes; decides unchanged vs. updated."""
        return stable_hash(self.title, self.body, self.source, self.url, self.published_iso)

    @property
    def published_iso(self) -> str:
        return self.published_at.isoformat() if self.published_at else ""

    @property
    def published_ts(self) -> int:
        """Seconds since the epoch, or -1 when the date is unknown (Chroma filters need an int)."""
        if self.published_at is None:
            return -1
        dt = self.published_at
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone.utc)
        return int(dt.timestamp())


def article_id_for(record_id: str | None, url: str | None, title: str, body: str) -> str:
    """The record's own id, else a hash of the URL, else a hash of title and body."""
    if record_id:
        return str(record_id).strip()
    if url:
        return "u" + stable_hash(url.strip())
    return "h" + stable_hash(title.strip(), body.strip())


@dataclass(frozen=True, slots=True)
class Chunk:
    """A span of an article's cleaned body, with everything needed to cite it without the article."""

    id: str
    article_id: str
    ordinal: int
    text: str
    char_start: int
    char_end: int
    title: str = ""
    source: str = ""
    url: str = ""
    published_at: str = ""  # ISO 8601, "" when unknown
    published_ts: int = -1  # for date-range filters; -1 when unknown
    extra: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as stored next to the vector (Chroma accepts only scalars)."""
        return {
            "article_id": self.article_id,
            "ordinal": self.ordinal,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published_at": self.published_at,
            "published_ts": self.published_ts,
        }

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict) -> "Chunk":
        return cls(
            id=chunk_id,
            article_id=str(meta.get("article_id", "")),
            ordinal=int(meta.get("ordinal", 0)),
            text=text,
            char_start=int(meta.get("char_start", 0)),
            char_end=int(meta.get("char_end", 0)),
            title=str(meta.get("title", "")),
            source=str(meta.get("source", "")),
            url=str(meta.get("url", "")),
            published_at=str(meta.get("published_at", "")),
            published_ts=int(meta.get("published_ts", -1)),
        )


def chunk_id_for(article_id: str, char_start: int, char_end: int, text: str) -> str:
    """Content-derived so that the same article chunked the same way yields the same ids."""
    return f"{article_id}:{stable_hash(text, str(char_start), str(char_end), length=12)}"


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that was not ingested, and why. `line` is set for JSONL/CSV records."""

    origin: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.reason}"
