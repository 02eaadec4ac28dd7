"""The retriever's candidates and reranking features, on a small store with the hashing embedder."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from newsqa.index.articles import Article, Chunk
from newsqa.index.embed import HashingEmbedder
from newsqa.index.ingest import ingest
from newsqa.index.lexical import LexicalIndex
from newsqa.index.store import Store
from newsqa.rag.rerank import FEATURES, Candidate, compute_features, score
from newsqa.rag.retrieve import Retriever


def _chunk(cid: str, article: str, text: str, title: str = "") -> Chunk:
    return Chunk(id=cid, article_id=article, ordinal=0, text=text, char_start=0, char_end=len(text), title=title)


def _lexical(chunks: list[Chunk]) -> LexicalIndex:
    idx = LexicalIndex()
    idx.add(chunks)
    return idx


def test_sentence_feature_wants_the_question_words_in_one_sentence() -> None:
    together = _chunk("c1", "a", "The glacier retreated 40 metres last summer. Tourists still came.")
    apart = _chunk("c2", "b", "The glacier is old. Nobody measured it. It retreated, some say. Last summer was hot.")
    filler = _chunk("c3", "c", "Markets were calm on Friday as traders waited for the bank's decision.")
    lex = _lexical([together, apart, filler])
    cands = [Candidate(together), Candidate(apart), Candidate(filler)]
    compute_features("How far did the glacier retreat last summer?", cands, lex)
    assert cands[0].features["sentence"] > cands[1].features["sentence"] > cands[2].features["sentence"] == 0.0


def test_title_and_article_features_lift_every_chunk_of_an_article_about_the_question() -> None:
    a1 = _chunk("a1", "a", "Officials spoke about the budget for an hour.", title="Harbour bridge toll to rise in May")
    a2 = _chunk("a2", "a", "Drivers will pay two euros more.", title="Harbour bridge toll to rise in May")
    b1 = _chunk("b1", "b", "The weather stayed mild all week.", title="Mild week ahead")
    lex = _lexical([a1, a2, b1])
    cands = [Candidate(a1, vector=0.6, bm25=3.0), Candidate(a2, vector=0.2), Candidate(b1, vector=0.3)]
    feats = compute_features("When will the harbour bridge toll rise?", cands, lex)
    assert feats.shape == (3, len(FEATURES))
    assert cands[0].features["title"] == cands[1].features["title"] > 0.5 > cands[2].features["title"]
    assert cands[1].features["article_vector"] == 0.6 and cands[1].features["article_bm25"] == 1.0
    assert cands[2].features["article_bm25"] == 0.0


def test_score_is_the_weighted_sum() -> None:
    x = np.eye(len(FEATURES))
    w = {n: float(i + 1) for i, n in enumerate(FEATURES)}
    assert np.allclose(score(x, w, 0.5), np.arange(1, len(FEATURES) + 1) + 0.5)


def _articles() -> list[Article]:
    return [
        Article(id="rail", title="Night trains return to the northern line",
                body="The rail operator will run night trains on the northern line from March. "
                     "Tickets go on sale next week. The service stopped in 2019 for track works.",
                source="railnews.example", published_at=datetime(2026, 2, 1)),
        Article(id="bakery", title="Bakery wins regional prize",
                body="A family bakery in the old town won the regional bread prize on Sunday. "
                     "Its rye loaf was praised by the judges.", source="towncrier.example"),
        Article(id="zoo", title="Zoo welcomes two red pandas",
                body="Two red pandas arrived at the city zoo from a breeding programme abroad. "
                     "Keepers say they will be on show in April.", source="towncrier.example"),
    ]


def test_candidates_carry_both_signals_whichever_retriever_found_them(settings) -> None:
    emb = HashingEmbedder()
    ingest(_articles(), settings, emb)
    store = Store(settings, emb.fingerprint)
    retriever = Retriever(store, emb, candidates=1)  # each retriever proposes one chunk
    cands = retriever.candidates_for("When do night trains return to the northern line?")
    assert cands and all(set(c.features) == set(FEATURES) for c in cands)
    for c in cands:
        assert c.vector > 0.0  # a BM25-only candidate still gets its stored vector's cosine
    ret = retriever.retrieve("When do night trains return to the northern line?", k=2)
    assert ret.passages[0].chunk.article_id == "rail"
    assert ret.passages[0].also_in == []
    assert ret.passages[0].chunk.text.startswith("The rail operator")  # the shown text has no header
    assert set(ret.timings_ms) >= {"embed_query", "vector_search", "bm25", "fusion"}


def test_bm25_sees_the_contextual_header(settings) -> None:
    emb = HashingEmbedder()
    ingest(_articles(), settings, emb)
    lex = Store(settings, emb.fingerprint).lexical()
    # "railnews" and "February" are only in the header (outlet, date), never in the article's text
    assert lex.search("railnews", 5)[0][0].startswith("rail:")
    assert lex.search("february 2026", 5)[0][0].startswith("rail:")


def test_a_when_question_prefers_a_chunk_with_a_full_date() -> None:
    dated = _chunk("d", "a", "The bridge opened to traffic on 4 March 2019 after six years of work.")
    vague = _chunk("v", "b", "The bridge opened to traffic after six years of work, late in the decade.")
    lex = _lexical([dated, vague])
    cands = [Candidate(dated), Candidate(vague)]
    compute_features("When did the bridge open to traffic?", cands, lex)
    assert (cands[0].features["when_date"], cands[1].features["when_date"]) == (1.0, 0.0)
    compute_features("Who built the bridge?", cands, lex)
    assert cands[0].features["when_date"] == 0.0
