"""The plain llama-index baseline the evaluation compares the product against.

What it keeps from the product: the same Chroma collection, the same embedder (through
`EmbedderAdapter`) and the same answer backend, whose own citation checks still apply. What it drops:
BM25 and rank fusion, the reranker, the per-article cap, follow-up rewriting (llama-index condenses
follow-ups only with an LLM, and the baseline has none) and the refusal rule: the baseline refuses
only when the backend returns no sentences.

llama-index's global `Settings` is never set or relied on for models: the embedding model and the
callback manager are passed explicitly, and no LLM is ever built.
"""

from __future__ import annotations

import time
from typing import Any, Sequence

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from newsqa.index.articles import Chunk
from newsqa.index.embed import Embedder
from newsqa.index.store import Store
from newsqa.rag.backends.base import AnswerBackend
from newsqa.rag.chat import Turn
from newsqa.rag.types import REFUSAL_TEXT, Answer, Passage, Sentence


class EmbedderAdapter(BaseEmbedding):
    """Our Embedder seen as a llama-index embedding model (queries and documents embed alike)."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        from llama_index.core.callbacks import CallbackManager

        kwargs.setdefault("callback_manager", CallbackManager([]))
        super().__init__(model_name=embedder.fingerprint, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "NewsqaEmbedderAdapter"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [row.tolist() for row in self._embedder.embed(texts)]


class BaselineQA:
    """Vector top-k through llama-index's VectorStoreIndex, then the product's answer backend."""

    def __init__(self, store: Store, embedder: Embedder, backend: AnswerBackend, k: int = 5) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.core.callbacks import CallbackManager
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.store = store
        self.backend = backend
        self.k = k
        callbacks = CallbackManager([])
        self.index = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=store.chunks),
            embed_model=EmbedderAdapter(embedder, callback_manager=callbacks),
            callback_manager=callbacks,
            # never used (nothing is inserted), but passing it keeps the index off global Settings
            transformations=[SentenceSplitter(callback_manager=callbacks)],
        )

    def retrieve(self, question: str) -> list[Passage]:
        if self.store.count_chunks() == 0:
            return []
        retriever = self.index.as_retriever(similarity_top_k=self.k)
        passages: list[Passage] = []
        for hit in retriever.retrieve(question):
            node = hit.node
            chunk = Chunk.from_metadata(node.node_id, node.get_content(), dict(node.metadata))
            score = float(hit.score or 0.0)
            passages.append(Passage(n=len(passages) + 1, chunk=chunk, score=score, scores={"vector": score}))
        return passages

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer `question` as written; `history` is accepted for symmetry and ignored (see above)."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        timings: dict[str, float] = {}
        t_all = time.perf_counter()
        t = time.perf_counter()
        passages = self.retrieve(question)
        timings["retrieve"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        sentences: list[Sentence] = self.backend.answer(question, passages) if passages else []
        timings["answer"] = (time.perf_counter() - t) * 1000
        refused = not sentences
        timings["total"] = (time.perf_counter() - t_all) * 1000
        return Answer(question, sentences or [Sentence(REFUSAL_TEXT)], passages, self.backend.name,
                      refused=refused, standalone_question=question, timings_ms=timings)
