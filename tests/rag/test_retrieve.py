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
from newsqa.rag.retrieve import MERGE_MAX_CHARS, Retriever, select_passages


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
    # the shown text is the article's own: its headline, then its body; no outlet/date header
    assert ret.passages[0].chunk.text.startswith("Night trains return to the northern line\n\nThe rail operator")
    assert "railnews" not in ret.passages[0].chunk.text
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


def test_a_search_snippets_opening_date_is_not_an_answer_to_when() -> None:
    snippet = _chunk("s", "a", "Jun 2, 2024 ... The ferry company says the new route will open next spring.")
    answer = _chunk("r", "b", "Jun 2, 2024 ... The new ferry route opened on April 9, 2025, with two sailings a day.")
    lex = _lexical([snippet, answer])
    cands = [Candidate(snippet), Candidate(answer)]
    compute_features("When did the new ferry route open?", cands, lex)
    assert (cands[0].features["when_date"], cands[1].features["when_date"]) == (0.0, 1.0)
    assert cands[0].features["year"] == 0.0  # no year in the question


def test_other_year_marks_a_chunk_about_another_year_only() -> None:
    same = _chunk("a", "a", "The 2022 harvest festival drew 40,000 visitors, more than in 2021.")
    other = _chunk("b", "b", "The 2023 harvest festival drew 52,000 visitors.")
    undated = _chunk("c", "c", "The harvest festival draws visitors from across the region.")
    lex = _lexical([same, other, undated])
    cands = [Candidate(same), Candidate(other), Candidate(undated)]
    compute_features("How many visitors came to the harvest festival in 2022?", cands, lex)
    assert [c.features["other_year"] for c in cands] == [0.0, 1.0, 0.0]
    assert [c.features["year"] for c in cands] == [1.0, 0.0, 0.0]
    compute_features("How many visitors came to the harvest festival?", cands, lex)
    assert all(c.features["other_year"] == 0.0 for c in cands)


def _split_body(body: str, cuts: list[tuple[int, int]], article: str = "a") -> list[Chunk]:
    return [Chunk(id=f"{article}{i}", article_id=article, ordinal=i, text=body[a:b], char_start=a, char_end=b)
            for i, (a, b) in enumerate(cuts)]


def test_neighbouring_chunks_of_one_article_join_into_one_passage() -> None:
    body = ("The council met on Tuesday. It debated the tram extension for three hours. "
            "In the end it voted 31 to 12 for the extension. Work starts in the autumn.")
    s2, s3 = body.index("It debated"), body.index("In the end")
    # three chunks; the second starts with the first one's last sentence (the overlap)
    chunks = _split_body(body, [(0, s3 - 1), (s2, len(body) - 27), (s3, len(body))])
    other = _chunk("x", "b", "The tram company hired forty drivers.")
    cands = [Candidate(c) for c in [chunks[0], other, chunks[1], chunks[2]]]
    chosen = select_passages(cands, np.array([3.0, 0.5, 2.0, 1.0]), k=2)
    first, best = chosen[0]
    assert best == 0 and [c.article_id for c, _ in chosen] == ["a", "b"]
    # chunks 0 and 1 (then 2) were joined: the passage is the article's own text from its start
    assert first.text == body[first.char_start:first.char_end] == body
    assert first.char_start == 0 and first.char_end == len(body)
    # neighbours that rank below the k-th passage still join it: the answer is often the sentence
    # after the one that matches the question
    chosen = select_passages(cands, np.array([3.0, 2.0, 1.0, 0.5]), k=2)
    assert [c.text for c, _ in chosen] == [body, "The tram company hired forty drivers."]
    # but no candidate below the k-th takes a place of its own
    assert len(select_passages(cands, np.array([3.0, 2.0, 0.1, 1.0]), k=1)) == 1


def test_a_joined_passage_stays_within_the_character_cap() -> None:
    sentence = "The river rose by a metre overnight. "
    body = sentence * 200  # 7,400 characters
    step = len(sentence) * 25  # chunks of 925 characters, touching
    chunks = _split_body(body, [(a, a + step) for a in range(0, len(body), step)])
    cands = [Candidate(c) for c in chunks]
    chosen = select_passages(cands, np.arange(len(chunks), 0, -1, dtype=float), k=1)
    (passage, best), = chosen
    assert best == 0 and passage.char_start == 0
    # chunks join in score order while the passage fits: three of 925 characters, not a fourth
    assert passage.text == body[:3 * step] and len(passage.text) <= MERGE_MAX_CHARS < 4 * step


def test_joining_keeps_the_cap_and_never_joins_distant_chunks() -> None:
    body = "One. Two. Three. Four. Five. Six."
    chunks = _split_body(body, [(0, 9), (10, 16), (17, 22), (23, 33)])  # no overlap: a space between
    cands = [Candidate(chunks[0]), Candidate(chunks[2]), Candidate(chunks[3])]
    chosen = select_passages(cands, np.array([3.0, 2.0, 1.0]), k=5, max_per_article=1)
    # chunk 2 is not next to chunk 0 and the article has its one passage; chunk 3 joins neither
    # (ordinal 3 does not neighbour the passage's chunk 0)
    assert [c.text for c, _ in chosen] == ["One. Two."]
    chosen = select_passages(cands, np.array([3.0, 2.0, 1.0]), k=5, max_per_article=2)
    # chunk 3 neighbours chunk 2 but their texts do not touch: the characters between them are
    # unknown here, so it is not joined, and the article has its two passages
    assert [c.text for c, _ in chosen] == ["One. Two.", "Four."]
