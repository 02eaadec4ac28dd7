"""Ingest and store behaviour with the hashing embedder: idempotence, replacement, removal,
fingerprints, crash repair and the lexical index kept in step (counted in both indexes)."""

from __future__ import annotations

import shutil

import pytest

from newsqa.index.articles import Article
from newsqa.index.embed import HashingEmbedder
from newsqa.index.ingest import ingest
from newsqa.index.store import SearchFilter, Store, StoreError, ingest_lock


def _articles(n: int = 6) -> list[Article]:
    return [
        Article(id=f"art{i}", title=f"Story {i}",
                body=" ".join(f"Sentence {j} of story {i} mentions topic{i} and item{j}." for j in range(60)),
                source="Wire" if i % 2 else "Daily")
        for i in range(n)
    ]


def _counts(store: Store) -> tuple[int, int, int]:
    return store.count_articles(), store.count_chunks(), len(store.lexical())


def test_reingest_is_idempotent(settings, hash_embedder):
    first = ingest(_articles(), settings, hash_embedder)
    assert len(first.added) == 6 and first.chunks_written > 6
    store = Store(settings, hash_embedder.fingerprint)
    before = _counts(store)
    assert before[1] == before[2] == first.chunks_written
    second = ingest(_articles(), settings, hash_embedder)
    assert second.added == [] and second.updated == [] and len(second.unchanged) == 6
    assert second.chunks_written == 0
    assert _counts(Store(settings, hash_embedder.fingerprint)) == before


def test_changed_article_replaces_all_old_chunks(settings, hash_embedder):
    ingest(_articles(), settings, hash_embedder)
    changed = _articles()
    changed[2] = Article(id="art2", title="Story 2", body="A short rewrite about zebras.", source="Daily")
    report = ingest(changed, settings, hash_embedder)
    assert report.updated == ["art2"] and len(report.unchanged) == 5
    store = Store(settings, hash_embedder.fingerprint)
    chunks = list(store.iter_chunks(where={"article_id": "art2"}))
    assert [c.text for c in chunks] == ["Story 2\n\nA short rewrite about zebras."]  # headline, body
    assert store.count_chunks() == len(store.lexical())
    assert not store.lexical().search("topic2", 50)  # no stale chunk in BM25 either
    assert store.lexical().search("zebras", 5)[0][0] == chunks[0].id


def test_remove_deletes_from_every_index(settings, hash_embedder):
    ingest(_articles(), settings, hash_embedder)
    store = Store(settings, hash_embedder.fingerprint)
    n_before = store.count_chunks()
    n_art1 = store.article_infos(["art1"])["art1"].n_chunks
    assert store.remove_articles(["art1", "nope"]) == ["art1"]
    assert store.count_chunks() == n_before - n_art1 == len(store.lexical())
    assert not list(store.iter_chunks(where={"article_id": "art1"}))
    assert not store.lexical().search("topic1", 50)
    # and the persisted lexical index agrees after reopening
    assert len(Store(settings, hash_embedder.fingerprint).lexical()) == n_before - n_art1


def test_lexical_index_is_rebuilt_when_missing(settings, hash_embedder):
    ingest(_articles(), settings, hash_embedder)
    shutil.rmtree(settings.store / "lexical")
    store = Store(settings, hash_embedder.fingerprint)
    assert len(store.lexical()) == store.count_chunks() > 0
    assert (settings.store / "lexical").exists()


def test_other_embedder_is_a_clear_error(settings, hash_embedder):
    ingest(_articles(2), settings, hash_embedder)
    with pytest.raises(StoreError, match="built with the embedder 'hash:256'"):
        Store(settings, HashingEmbedder(dim=128).fingerprint)


def test_other_chunk_settings_are_refused(settings, hash_embedder):
    ingest(_articles(2), settings, hash_embedder)
    with pytest.raises(StoreError, match="chunked with 256 tokens"):
        ingest(_articles(2), settings.with_overrides(chunk_tokens=128), hash_embedder)


def test_interrupted_batch_is_repaired(settings, hash_embedder):
    ingest(_articles(), settings, hash_embedder)
    store = Store(settings, hash_embedder.fingerprint)
    # simulate a crash inside a write batch: journal written, chunks half replaced, never committed
    store._write_state(journal='["art3"]', token="crashed")
    store.chunks.delete(where={"article_id": "art3"})
    report = ingest(_articles(), settings, hash_embedder)
    assert report.repaired == ["art3"] and report.added == ["art3"]
    store = Store(settings, hash_embedder.fingerprint)
    assert store.count_chunks() == len(store.lexical())
    assert store.article_infos(["art3"])["art3"].n_chunks == len(list(store.iter_chunks(where={"article_id": "art3"})))


def test_second_writer_is_refused(settings):
    with ingest_lock(settings):
        with pytest.raises(StoreError, match="another ingest or removal is writing"):
            with ingest_lock(settings):
                pass


def test_filters_apply_to_both_retrievers(settings, hash_embedder):
    ingest(_articles(), settings, hash_embedder)
    store = Store(settings, hash_embedder.fingerprint)
    flt = SearchFilter(sources=("Wire",))
    vec = hash_embedder.embed(["topic2 item3"])[0]
    assert {c.source for c, _ in store.vector_search(vec, 20, flt)} == {"Wire"}
    lex_ids = [cid for cid, _ in store.lexical().search("topic2 item3", 20, flt.lexical())]
    assert lex_ids and all(store.get_chunks([cid])[cid].source == "Wire" for cid in lex_ids)
