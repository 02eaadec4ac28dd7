"""Hybrid retrieval: vector search in Chroma and BM25 over the same (contextual) chunks, reranked
by a model fit on questions, then capped per article so one long article cannot crowd out the rest.

Both retrievers propose candidates; every candidate then gets both signals (the vector of a chunk
only BM25 found is read from the store, the BM25 score of a chunk only the vector search found is
computed), plus sentence-, title- and article-level ones (`rerank.py`), and the fitted weights
order them. MiniLM catches paraphrase, BM25 the exact year, name or number a news question turns
on; the article-level signals let an article that is about the question lift its chunks.

A passage is a chunk, or a few neighbouring chunks of one article joined (the answer is often in
the sentences next to the ones that match the question: the chunk that names the event, then the
one that gives the result). A neighbour joins when it is itself a candidate (one of the chunks the
two retrievers proposed), whatever its rank: the k passages are chosen in score order and the
remaining candidates are then read for neighbours of the chosen passages, up to MERGE_MAX_CHARS a
passage. Measured on the training part of rtqa-dev (`newsqa eval --split train`, weights refit on
the 2026-12-03 chunking), against joining only candidates that rank above the fifth passage at
2,500 characters: the answer inside the top-5 passages 0.929 -> 0.949 (every miss left has its
answer in no evidence chunk dated by the as-of day), answer right 0.408 -> 0.418, refusal recall
unchanged (0.750), for 45 % more text per question (10,040 characters on average against 6,930;
2,500 characters with the wider join: 0.939); the extractive answer stage reads it in about 10-20 ms
more per question (p50 on rtqa-dev validation, alternating runs, about +10 %). Joining only the
neighbours above the fifth passage had taken that part from 0.898 to 0.918 against chunks kept
apart (earlier chunking and weights).
Two passages an article (`max_chunks_per_article`) stays the default: one gave 0.918 there, three
0.939 (and a gold article in the top 5 for 0.959 instead of 0.969).
The cap was then chosen by what the answer stage makes of the passages (`newsqa eval --split train`,
`ranked` backend, whose weights were fit on this selection; `extractive` beside it): answer right
0.592 / 0.622 / 0.633 / 0.622 / 0.622 at 2,000 / 3,000 / 4,000 / 5,000 / 6,000 characters
(extractive 0.398 at 2,000, 0.418 at 3,000 and 4,000): shorter passages lose answers (the
answerability model refuses more), longer ones gain one question at 4,000 and lose it again at
5,000, so 3,000 stays. Joining only candidates among the first 15 and within 3 of the passage's
score keeps the answer in the top 5 for the same questions with 19 % less text, but answered 2 fewer
right (`ranked`; extractive the same).
A within-article order does not replace the join on that part: ordering an article's candidates by
their best sentence's MiniLM cosine to the question puts its first answering chunk higher for 14
questions and lower for 11 (101 the same), as a reranking feature the fit gives it weight 0, and at
no cap (0, 2,000, 3,000 characters) does it put more answers in the top 5; embedding the sentences
of the 15 best candidates (about 120 a question) would cost more than the rest of the question. A
sentence that covers the question's words and holds the kind of thing asked (`answer_type.py`,
188 ms a question) and the neighbouring candidates' signals did no better either.
`python -m newsqa.evals.fit_rerank --no-fit --caps 0,2000,3000` prints a cap's top-5 shares and
text.

Near-duplicate articles share one indexed copy: each passage lists the other articles of its
group (`Passage.also_in`), so an answer cites every outlet that ran the story.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from newsqa.index.articles import Chunk, chunk_id_for
from newsqa.index.embed import Embedder
from newsqa.index.store import SearchFilter, Store
from newsqa.rag.rerank import FEATURES, Candidate, compute_features, score
from newsqa.rag.types import Passage

RRF_K = 60
# A joined passage stays under about three chunks (a chunk of news is ~1,000 characters): the
# answer stage reads every passage, and a longer one dilutes it.
MERGE_MAX_CHARS = 3000


def _merged(a: Chunk, b: Chunk) -> Chunk | None:
    """One chunk spanning two chunks of an article whose texts overlap or touch (neighbours share
    the overlap's sentences), or None when they don't: the text stays the article's own."""
    if b.char_start < a.char_start:
        a, b = b, a
    if a.article_id != b.article_id or b.char_start > a.char_end:
        return None
    text = a.text + b.text[a.char_end - b.char_start:] if b.char_end > a.char_end else a.text
    start, end = a.char_start, max(a.char_end, b.char_end)
    return replace(a, id=chunk_id_for(a.article_id, start, end, text), text=text, char_end=end,
                   ordinal=min(a.ordinal, b.ordinal))


def select_passages(candidates: Sequence[Candidate], scores: np.ndarray, k: int,
                    max_per_article: int = 2, merge_max_chars: int = MERGE_MAX_CHARS) -> list[tuple[Chunk, int]]:
    """The k passages, best first, as (chunk, index of the best candidate in it): candidates in
    score order, at most `max_per_article` passages per article; a candidate that neighbours
    (ordinal +-1) a chosen passage of its article is joined to it (up to `merge_max_chars`; 0 keeps
    chunks apart) instead of taking a place, also once the k places are taken (then nothing but
    joins)."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    chosen: list[tuple[Chunk, int]] = []
    spans: list[tuple[int, int]] = []  # ordinals each chosen passage covers
    per_article: dict[str, int] = {}
    for i in order:
        c = candidates[int(i)].chunk
        joined = False
        for j, (p, best) in enumerate(chosen):
            lo, hi = spans[j]
            if p.article_id == c.article_id and (c.ordinal == lo - 1 or c.ordinal == hi + 1):
                m = _merged(p, c)
                if m is not None and len(m.text) <= merge_max_chars:
                    chosen[j] = (m, best)
                    spans[j] = (min(lo, c.ordinal), max(hi, c.ordinal))
                    joined = True
                    break
        if joined or len(chosen) >= k or per_article.get(c.article_id, 0) >= max_per_article:
            continue
        per_article[c.article_id] = per_article.get(c.article_id, 0) + 1
        chosen.append((c, int(i)))
        spans.append((c.ordinal, c.ordinal))
    return chosen


@dataclass
class Retrieval:
    passages: list[Passage]
    timings_ms: dict[str, float]


class Retriever:
    def __init__(self, store: Store, embedder: Embedder, candidates: int = 40,
                 weights: dict[str, float] | None = None, bias: float | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.weights = weights
        self.bias = bias

    def candidates_for(self, question: str, flt: SearchFilter | None = None,
                       timings: dict[str, float] | None = None) -> list[Candidate]:
        """Every chunk either retriever proposes, with both retrievers' signals and the reranker's
        features filled in."""
        timings = timings if timings is not None else {}
        t = time.perf_counter()
        qvec = self.embedder.embed([question])[0]
        timings["embed_query"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        vec_hits = self.store.vector_search(qvec, self.candidates, flt)
        timings["vector_search"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        lex = self.store.lexical()
        lex_hits = lex.search(question, self.candidates, flt.lexical() if flt and not flt.is_empty() else None)
        timings["bm25"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        cands: dict[str, Candidate] = {}
        for rank, (chunk, sim) in enumerate(vec_hits):
            cands[chunk.id] = Candidate(chunk, vector=sim, vector_rank=rank)
        lex_only: list[tuple[int, str, float]] = []
        for rank, (cid, s) in enumerate(lex_hits):
            if cid in cands:
                cands[cid].bm25, cands[cid].bm25_rank = s, rank
            else:
                lex_only.append((rank, cid, s))
        if lex_only:
            ids = [cid for _, cid, _ in lex_only]
            chunks: dict[str, Chunk] = self.store.get_chunks(ids)
            vectors = self.store.chunk_vectors(ids)
            for rank, cid, s in lex_only:
                if cid in chunks:
                    vec = vectors.get(cid)
                    sim = float(np.dot(vec, qvec)) if vec is not None else 0.0
                    cands[cid] = Candidate(chunks[cid], vector=sim, bm25=s, bm25_rank=rank)
        vec_only = [cid for cid, c in cands.items() if c.bm25_rank is None]
        if vec_only:
            for cid, s in lex.score_chunks(question, vec_only).items():
                cands[cid].bm25 = s
        out = list(cands.values())
        compute_features(question, out, lex)
        timings["fusion"] = (time.perf_counter() - t) * 1000
        return out

    def retrieve(self, question: str, k: int = 5, flt: SearchFilter | None = None,
                 max_per_article: int = 2) -> Retrieval:
        timings: dict[str, float] = {}
        cands = self.candidates_for(question, flt, timings)
        t = time.perf_counter()
        if cands:
            feats = np.asarray([[c.features[n] for n in FEATURES] for c in cands], dtype=np.float64)
            scores = score(feats, self.weights, self.bias)
        else:
            scores = np.zeros(0)
        passages = [
            Passage(n=n, chunk=chunk, score=float(scores[i]), scores={**cands[i].features, "bm25_raw": cands[i].bm25})
            for n, (chunk, i) in enumerate(select_passages(cands, scores, k, max_per_article), start=1)
        ]
        if passages:
            groups = self.store.duplicates_of([p.chunk.article_id for p in passages])
            for p in passages:
                p.also_in = [
                    {"article_id": m.id, "title": m.title, "source": m.source, "url": m.url,
                     "published_at": m.published_at}
                    for m in groups.get(p.chunk.article_id, [])
                ]
        timings["fusion"] += (time.perf_counter() - t) * 1000  # features, reranking and the cap
        return Retrieval(passages, timings)


def with_leads(store: Store, passages: list[Passage]) -> list[Passage]:
    """For a request for an overview ("What happened?"): each retrieved article's first chunk (its
    lead: news says what happened first) in place of its retrieved passages, in the order the
    articles were retrieved, numbered again."""
    ids = list(dict.fromkeys(p.chunk.article_id for p in passages))
    leads = store.lead_chunks(ids)
    out: list[Passage] = []
    for article in ids:
        best = next(p for p in passages if p.chunk.article_id == article)
        out.append(replace(best, n=len(out) + 1, chunk=leads.get(article, best.chunk)))
    return out
