"""Date bounds in the vector search: a bound every chunk meets is left out of Chroma's query (where
it costs an id listing per question), one that excludes something is applied, and the results are
the same either way."""

from __future__ import annotations

from datetime import datetime, timezone

from newsqa.index.articles import Article, Chunk
from newsqa.index.ingest import ingest
from newsqa.index.lexical import LexicalIndex
from newsqa.index.store import SearchFilter, Store


def _ts(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())


def _articles() -> list[Article]:
    days = ["2024-03-01", "2024-03-05", "2024-03-09", None]
    return [
        Article(id=f"a{i}", title=f"Harbour report {i}",
                body=" ".join(f"The ferry timetable changed for route {i} on pier {j}." for j in range(8)),
                source="Coast Times",
                published_at=datetime.fromisoformat(d).replace(tzinfo=timezone.utc) if d else None)
        for i, d in enumerate(days)
    ]


def _chunk(cid: str, article: str, ts: int) -> Chunk:
    return Chunk(id=cid, article_id=article, ordinal=0, text=f"Words of {cid}.", char_start=0,
                 char_end=12, published_ts=ts)


def test_date_span_covers_live_chunks_and_counts_undated_as_minus_one():
    idx = LexicalIndex()
    assert idx.date_span() is None
    idx.add([_chunk("c1", "x", 100), _chunk("c2", "y", -1), _chunk("c3", "z", 500)])
    assert idx.date_span() == (-1, 500)
    idx.remove(["c3"])
    assert idx.date_span() == (-1, 100)


def test_the_newest_dated_chunk_up_to_a_time():
    idx = LexicalIndex()
    assert idx.newest_until(1000) is None
    idx.add([_chunk("c1", "x", 100), _chunk("c2", "y", -1), _chunk("c3", "z", 500)])
    assert idx.newest_until(1000) == 500
    assert idx.newest_until(499) == 100  # published later than the time: not yet news
    assert idx.newest_until(99) is None  # an undated chunk is no date
    idx.remove(["c3"])
    assert idx.newest_until(1000) == 100


def test_loosened_filter_keeps_only_bounds_that_exclude_something():
    flt = SearchFilter(since_ts=10, until_ts=90, sources=("A",))
    assert flt.loosened_to((20, 80)) == SearchFilter(sources=("A",))
    assert flt.loosened_to((5, 80)) == SearchFilter(since_ts=10, sources=("A",))
    assert flt.loosened_to((20, 95)) == SearchFilter(until_ts=90, sources=("A",))
    assert flt.loosened_to(None) == flt


def test_vector_search_results_do_not_depend_on_leaving_a_bound_out(settings, hash_embedder):
    ingest(_articles(), settings, hash_embedder)
    store = Store(settings, hash_embedder.fingerprint)
    vec = hash_embedder.embed(["ferry timetable route pier"])[0]
    everything = store.vector_search(vec, 50)
    assert len({c.article_id for c, _ in everything}) == 4

    seen: list[dict] = []
    real = store.chunks

    class Spy:
        def __getattr__(self, name):
            return getattr(real, name)

        def query(self, **kw):
            seen.append(kw.get("where") or {})
            return real.query(**kw)

    store.chunks = Spy()
    # an as-of day after the newest article excludes nothing: no where clause, the same hits
    after = store.vector_search(vec, 50, SearchFilter(until_ts=_ts("2024-06-01")))
    assert [c.id for c, _ in after] == [c.id for c, _ in everything]
    assert seen[-1] == {}

    # a bound inside the span still excludes: the last article and nothing else, undated kept
    before = store.vector_search(vec, 50, SearchFilter(until_ts=_ts("2024-03-06")))
    assert {c.article_id for c, _ in before} == {"a0", "a1", "a3"}
    assert seen[-1] == {"published_ts": {"$lte": _ts("2024-03-06")}}
    since = store.vector_search(vec, 50, SearchFilter(since_ts=_ts("2024-03-04")))
    assert {c.article_id for c, _ in since} == {"a1", "a2"}
