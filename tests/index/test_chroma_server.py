"""Ingest and query through a real `chroma run` server with the real embedding model."""

from __future__ import annotations

import pytest

from newsqa.index.chunk import contextual_text
from newsqa.index.ingest import ingest
from newsqa.index.store import SearchFilter, Store, StoreError
from newsqa.settings import Settings

pytestmark = pytest.mark.slow


def test_ingest_and_query_through_chroma_server(tmp_path, chroma_server, real_embedder, demo_files):
    s = Settings(store=tmp_path / "local", chroma_url=chroma_server.url)
    report = ingest(demo_files, s, real_embedder)
    assert sorted(report.added) == ["000_d17cc11a6fb020e6", "003_f412a60b1a2d2441"]
    store = Store(s, real_embedder.fingerprint)
    assert store.count_articles() == 2 and store.count_chunks() == len(store.lexical()) > 2
    q = real_embedder.embed(["Who offered to mediate between Israel and Iran?"])[0]
    hits = store.vector_search(q, 3)
    # what was embedded names him: the chunk, or its article's title in front of it
    assert "Putin" in contextual_text(hits[0][0]) and hits[0][1] > 0.3
    only = SearchFilter(article_ids=("000_d17cc11a6fb020e6",))
    assert {c.article_id for c, _ in store.vector_search(q, 5, only)} == {"000_d17cc11a6fb020e6"}
    # a second process-like reader (a new Store) sees the same data and re-ingest changes nothing
    again = ingest(demo_files, s, real_embedder)
    assert again.chunks_written == 0 and len(again.unchanged) == 2
    # another reader with its own lexical cache folder rebuilds BM25 from the server
    other = Store(Settings(store=tmp_path / "other", chroma_url=chroma_server.url), real_embedder.fingerprint)
    assert len(other.lexical()) == store.count_chunks()


def test_unreachable_server_is_a_clear_error(tmp_path):
    from conftest import free_port

    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match=f"cannot reach the Chroma server at {url}"):
        Store(Settings(store=tmp_path, chroma_url=url))
