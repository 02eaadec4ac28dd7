"""Chunks sized to the embedding model's window: header + chunk fit in what the model reads, so
every word of an article is in some chunk's vector; offsets and cited text stay the article's."""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from typing import Sequence

import numpy as np
import pytest

from newsqa.index.articles import Article
from newsqa.index.chunk import Window, article_text, chunk_article, context_header, contextual_text, embedded_texts
from newsqa.index.embed import HashingEmbedder
from newsqa.index.ingest import ingest
from newsqa.index.store import Store
from newsqa.settings import Settings

_PIECES = re.compile(r"\w+|[^\w\s]")


def _count(texts: list[str]) -> list[int]:
    """A small tokenizer: a word or a punctuation mark is one piece (adds up across whitespace)."""
    return [len(_PIECES.findall(t)) for t in texts]


class _WindowedEmbedder(HashingEmbedder):
    """The hashing embedder with a 64-piece window; remembers every text it was asked to embed."""

    def __init__(self, size: int = 64) -> None:
        super().__init__()
        self.size = size
        self.seen: list[str] = []

    def window(self) -> Window:
        return Window(self.size, _count, specials=2)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return super().embed(texts)


def _article(i: int = 0, body: str = "") -> Article:
    body = body or " ".join(
        f"Sentence {j} of report {i}, about the harbour's new crane, says it lifts {j + 3} tonnes." for j in range(40))
    return Article(id=f"w{i}", title=f"A rather long headline about the harbour crane, part {i} of the series",
                   body=body, source="https://www.harbour-news.example", published_at=datetime(2024, 5, 6, tzinfo=timezone.utc))


def _fits(text: str, size: int) -> bool:
    return _count([text])[0] + 2 <= size


def test_every_embedded_text_fits_the_window(tmp_path):
    settings = Settings(store=tmp_path / "s", embedder="hash", chunk_tokens=64, chunk_overlap=8)  # window on by default
    emb = _WindowedEmbedder()
    articles = [_article(i) for i in range(3)]
    report = ingest(articles, settings, emb)
    assert report.chunks_written == len(emb.seen) > 3
    assert all(_fits(t, emb.size) for t in emb.seen)
    store = Store(settings, emb.fingerprint)
    for a in articles:
        chunks = sorted(store.iter_chunks(where={"article_id": a.id}), key=lambda c: c.ordinal)
        covered, text = set(), article_text(a)  # headline, then body
        for c in chunks:
            assert text[c.char_start:c.char_end] == c.text  # provenance exact, text the article's own
            covered.update(range(c.char_start, c.char_end))
        # every word lies inside some chunk, and (above) every chunk's embedded text is read whole
        assert all(set(range(m.start(), m.end())) <= covered for m in re.finditer(r"\S+", text))


def test_each_word_is_embedded_once_while_the_passages_keep_their_overlap(tmp_path):
    settings = Settings(store=tmp_path / "s", embedder="hash", chunk_tokens=96, chunk_overlap=24)
    emb = _WindowedEmbedder(size=128)
    a = _article()
    ingest([a], settings, emb)
    chunks = sorted(Store(settings, emb.fingerprint).iter_chunks(where={"article_id": a.id}), key=lambda c: c.ordinal)
    assert emb.seen == embedded_texts(chunks)  # what ingest embeds
    assert sum(b.char_start < p.char_end for p, b in zip(chunks, chunks[1:])) > 2  # the chunks do overlap
    headers = {context_header(a.title, a.source, a.published_iso), context_header("", a.source, a.published_iso)}
    text, end, own = article_text(a), 0, []
    for c, t in zip(chunks, emb.seen):
        new = text[max(c.char_start, end):c.char_end].strip()
        assert t.endswith(new) and t[:-len(new)].strip() in headers  # a header, then the chunk's new text
        assert contextual_text(c).endswith(c.text)  # BM25 and the passage keep the repeated sentences
        own.append(new)
        end = c.char_end
    assert " ".join(own).split() == text.split()  # every word of the article embedded, and once


def test_without_the_window_the_same_chunks_would_be_cut():
    a = _article()
    plain = [contextual_text(c) for c in chunk_article(a, 64, 8)]
    fitted = chunk_article(a, 64, 8, Window(64, _count))
    assert not all(_fits(t, 64) for t in plain)  # the test above can fail
    assert all(_fits(contextual_text(c), 64) for c in fitted)
    assert len(fitted) > len(plain)


def test_a_long_sentence_is_cut_to_the_window_at_words():
    body = "The crane " + "lifts and turns, " * 60 + "then stops."
    a = _article(body=body)
    chunks = chunk_article(a, 256, 0, Window(64, _count))
    assert len(chunks) > 3
    assert all(_fits(contextual_text(c), 64) for c in chunks)
    text = article_text(a)
    assert all(text[c.char_start:c.char_end] == c.text and not c.text.startswith(" ") for c in chunks)


def test_the_window_can_be_turned_off(tmp_path):
    emb = _WindowedEmbedder()
    ingest([_article()], Settings(store=tmp_path / "s", embedder="hash", chunk_tokens=64, chunk_overlap=8,
                                  chunk_fit_window=False), emb)
    assert not all(_fits(t, emb.size) for t in emb.seen)


def test_chunk_ids_stay_content_derived_with_a_window():
    w = Window(64, _count)
    assert [c.id for c in chunk_article(_article(), 64, 8, w)] == [c.id for c in chunk_article(_article(), 64, 8, w)]


def test_a_store_built_before_keeps_its_chunks_until_an_article_changes(tmp_path):
    settings = Settings(store=tmp_path / "s", embedder="hash", chunk_tokens=64, chunk_overlap=8,
                        chunk_fit_window=True)
    old = HashingEmbedder()  # same fingerprint, no window: chunks as an older newsqa cut them
    ingest([_article(0), _article(1)], settings, old)
    before = {c.id for c in Store(settings, old.fingerprint).iter_chunks(where={"article_id": "w0"})}
    emb = _WindowedEmbedder()
    changed = _article(1, body=_article(1).body + " A late sentence was added to report one.")
    report = ingest([_article(0), changed], settings, emb)
    assert report.unchanged == ["w0"] and report.updated == ["w1"]
    store = Store(settings, emb.fingerprint)
    assert {c.id for c in store.iter_chunks(where={"article_id": "w0"})} == before
    assert emb.seen and all(_fits(t, emb.size) for t in emb.seen)  # only the changed article re-chunked


@pytest.fixture(scope="module")
def minilm_window():
    from newsqa.index.embed import LocalEmbedder

    return LocalEmbedder(runtime="int8").window()


def test_the_models_own_word_pieces_fit_its_window(minilm_window):
    from tokenizers import Tokenizer
    from newsqa.index.embed import LocalEmbedder

    tok = Tokenizer.from_file(os.path.join(LocalEmbedder(runtime="int8").model_path, "tokenizer.json"))
    tok.no_truncation()
    # word-piece-heavy text: rare compounds and figures cost BERT more pieces than cl100k tokens
    body = " ".join(
        f"Councillor Abernathy-Vasquez's {j}th reconsideration of the Zwickauer-Strasse bypass cost "
        f"€{j},{j:03d}.{j % 10}7 million (±{j % 4}.5%), per the 2023/24 audit." for j in range(60))
    a = Article(id="m1", title="Municipal infrastructure deliberations continue amid procurement controversy",
                body=body, source="www.regional-chronicle.example", published_at=datetime(2023, 11, 30, tzinfo=timezone.utc))
    n_pieces = lambda t: len(tok.encode(t).ids)  # noqa: E731 (special tokens included)
    assert minilm_window.size == 256 and minilm_window.specials == 2
    assert any(n_pieces(contextual_text(c)) > 256 for c in chunk_article(a, 256, 32))
    chunks = chunk_article(a, 256, 32, minilm_window)
    assert all(n_pieces(contextual_text(c)) <= 256 for c in chunks)
    assert all(article_text(a)[c.char_start:c.char_end] == c.text for c in chunks)
