"""Hybrid retrieval: vector search in Chroma and BM25 over the same chunks, fused by reciprocal
rank, then capped per article so one long article cannot crowd out the rest.

Why RRF: cosine similarities and BM25 scores live on unrelated scales; ranks do not. A chunk found
by both retrievers rises above one found by either alone, which is what the two are for: MiniLM
catches paraphrase, BM25 catches the exact year, name or number a news question turns on. A light
reranker (`rerank.rerank_score`, reading the question through the one question analysis) then
adds a bonus for chunks that hold the question's phrases, years and kind of answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from newsqa.index.articles import Chunk
from newsqa.index.embed import Embedder
from newsqa.index.store import SearchFilter, Store
from newsqa.rag.question import Question
from newsqa.rag.rerank import rerank_score
from newsqa.rag.types import Passage

RRF_K = 60


@dataclass
class Retrieval:
    passages: list[Passage]
    timings_ms: dict[str, float]


class Retriever:
    def __init__(self, store: Store, embedder: Embedder, candidates: int = 40, lexical_weight: float = 1.0,
                 rerank_weight: float = 0.5) -> None:
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.lexical_weight = lexical_weight
        self.rerank_weight = rerank_weight

    def retrieve(self, question: str, k: int = 5, flt: SearchFilter | None = None,
                 max_per_article: int = 2) -> Retrieval:
        timings: dict[str, float] = {}
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
        fused: dict[str, float] = {}
        parts: dict[str, dict[str, float]] = {}
        chunks: dict[str, Chunk] = {}
        for rank, (chunk, sim) in enumerate(vec_hits):
            fused[chunk.id] = fused.get(chunk.id, 0.0) + 1.0 / (RRF_K + rank + 1)
            parts.setdefault(chunk.id, {})["vector"] = sim
            chunks[chunk.id] = chunk
        for rank, (cid, score) in enumerate(lex_hits):
            fused[cid] = fused.get(cid, 0.0) + self.lexical_weight / (RRF_K + rank + 1)
            parts.setdefault(cid, {})["bm25"] = score
        missing = [cid for cid in fused if cid not in chunks]
        if missing:
            chunks.update(self.store.get_chunks(missing))
        if fused and self.rerank_weight:
            # scale the bonus to the fused scores: the top RRF score is about 2/(RRF_K+1)
            top = max(fused.values())
            q = Question.parse(question)
            for cid in fused:
                if cid in chunks:
                    bonus = rerank_score(q, chunks[cid].text)
                    parts[cid]["rerank"] = bonus
                    fused[cid] += self.rerank_weight * top * bonus
        ranked = sorted((cid for cid in fused if cid in chunks), key=lambda c: -fused[c])
        per_article: dict[str, int] = {}
        passages: list[Passage] = []
        for cid in ranked:
            c = chunks[cid]
            if per_article.get(c.article_id, 0) >= max_per_article:
                continue
            per_article[c.article_id] = per_article.get(c.article_id, 0) + 1
            passages.append(Passage(n=len(passages) + 1, chunk=c, score=fused[cid], scores=parts[cid]))
            if len(passages) >= k:
                break
        timings["fusion"] = (time.perf_counter() - t) * 1000
        return Retrieval(passages, timings)
