"""Passages for the rag tests, built the one way every test module needs them."""

from __future__ import annotations

from newsqa.index.articles import Chunk
from newsqa.rag.types import Passage


def passages(*texts: str, titles: tuple[str, ...] = (), article: str | None = None,
             start: int = 0) -> list[Passage]:
    """Passage n (from 1) is chunk "c{n}" of article "a{n}", ranked by 1/n. With `article`, all are
    consecutive chunks of that one article; `start` offsets every chunk within its article."""
    return [Passage(n=i, chunk=Chunk(id=f"c{i}", article_id=article or f"a{i}", ordinal=i - 1 if article else 0,
                                     text=t, char_start=start, char_end=start + len(t),
                                     title=titles[i - 1] if i <= len(titles) else ""), score=1.0 / i)
            for i, t in enumerate(texts, 1)]
