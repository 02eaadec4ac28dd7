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


class _SlowEmbedder(HashingEmbedder):
    """The hashing embedder, slow enough that the next batch is chunked while one embeds; records
    which threads embedded and how many calls there were."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[str] = set()
        self.calls = 0

    def embed(self, texts):
        import threading
        import time

        self.threads.add(threading.current_thread().name)
        self.calls += 1
        time.sleep(0.05)
        return super().embed(texts)


def test_batches_embed_on_their_own_thread_and_are_written_in_order(settings):
    import threading

    seen = []
    emb = _SlowEmbedder()
    arts = _articles(12)
    report = ingest(arts, settings, emb, batch_chunks=2,
                    progress=lambda p: seen.append((p.articles, p.chunks)))
    assert emb.calls >= 4 and threading.current_thread().name not in emb.threads
    store = Store(settings, emb.fingerprint)
    assert sorted(report.added) == sorted(a.id for a in arts)
    assert _counts(store) == (12, report.chunks_written, report.chunks_written)
    # every batch is reported once it is written, in order
    assert [c for _, c in seen] == sorted(c for _, c in seen) and seen[-1] == (12, report.chunks_written)
    again = ingest(arts, settings, emb, batch_chunks=2)
    assert sorted(again.unchanged) == sorted(a.id for a in arts) and again.chunks_written == 0


def test_an_article_again_in_the_next_batch_replaces_the_copy_still_being_embedded(settings):
    arts = _articles(4)
    changed = Article(id=arts[1].id, title=arts[1].title, body=arts[1].body + " One more sentence at the end.",
                      source=arts[1].source)
    emb = _SlowEmbedder()
    # one article a batch: article 1, then (while it embeds) its changed copy, then that copy again
    report = ingest([arts[0], arts[1], changed, changed, arts[2], arts[3]], settings, emb, batch_chunks=1)
    store = Store(settings, emb.fingerprint)
    assert store.count_articles() == 4
    assert report.updated == [arts[1].id] and report.unchanged == [arts[1].id]
    assert sorted(report.added) == sorted(a.id for a in arts)
    assert store.article_infos([arts[1].id])[arts[1].id].content_hash == changed.content_hash
    texts = [c.text for c in store.iter_chunks(where={"article_id": arts[1].id})]
    assert any("One more sentence at the end." in t for t in texts)
    assert _counts(store)[1] == _counts(store)[2]


def test_a_date_that_is_not_one_is_reported_and_the_article_kept(settings, hash_embedder, tmp_path):
    from newsqa.index.load import iter_inputs

    (tmp_path / "mill.txt").write_text("Title: Mill reopens\nDate: sometime soon\n\n"
                                       "The Norvik mill reopened on Monday after repairs.\n", encoding="utf-8")
    (tmp_path / "items.jsonl").write_text('{"id": "r1", "title": "Pier", "body": "The pier opened.", '
                                          '"date": "2024-13-45"}\n', encoding="utf-8")
    rep = ingest(iter_inputs([str(tmp_path)], settings), settings, hash_embedder)
    assert len(rep.added) == 2
    text = rep.summary()
    assert "mill.txt: date 'sometime soon' not understood; kept without a date" in text
    assert "items.jsonl:1: date '2024-13-45' not understood" in text
    assert any(o.startswith("added; date 'sometime soon'") for _, _, o in rep.outcomes)
    stored = Store(settings, hash_embedder.fingerprint).article_infos()
    assert len(stored) == 2 and all(a.published_ts == -1 for a in stored.values())
