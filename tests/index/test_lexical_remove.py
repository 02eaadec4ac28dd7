"""Removing an article from the BM25 index touches only its own chunks, and stays fast at scale."""

from __future__ import annotations

import time

from newsqa.index.articles import Chunk
from newsqa.index.lexical import LexicalIndex


def _chunks(n_articles: int, per: int = 3) -> list[Chunk]:
    return [Chunk(id=f"a{a}:{i}", article_id=f"a{a}", ordinal=i, text=f"article {a} part {i} harbour tram {a % 7}",
                  char_start=0, char_end=10) for a in range(n_articles) for i in range(per)]


def test_remove_article_removes_exactly_its_chunks(tmp_path):
    idx = LexicalIndex()
    idx.add(_chunks(5))
    assert idx.remove_article("a2") == 3 and idx.remove_article("a2") == 0
    assert len(idx) == 12 and not any(c.startswith("a2:") for c in idx.chunk_ids())
    assert {cid.split(":")[0] for cid, _ in idx.search("harbour", 20)} == {"a0", "a1", "a3", "a4"}
    idx.add(_chunks(5)[6:7])  # re-adding one chunk of a2
    assert idx.remove_article("a2") == 1
    idx.save(tmp_path, "t")
    loaded, token = LexicalIndex.load(tmp_path)
    assert token == "t" and loaded.remove_article("a4") == 3 and len(loaded) == 9


def test_removing_many_articles_from_a_large_index_is_not_quadratic():
    idx = LexicalIndex()
    idx.add(_chunks(10_000))
    t = time.perf_counter()
    removed = sum(idx.remove_article(f"a{a}") for a in range(0, 10_000, 5))
    assert removed == 6000 and len(idx) == 24_000
    assert time.perf_counter() - t < 2.0  # a scan per article took minutes here
