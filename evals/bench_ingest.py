"""Ingest throughput: the product against the bare embedding model and against plain llama-index.

All three run in the same process on the same articles with the same embedder object:
  raw        `embedder.embed` on exactly the chunk texts the product embeds (the ceiling);
  product    `newsqa.index.ingest.ingest` into a fresh embedded store;
  llama      `VectorStoreIndex.from_documents` into a fresh Chroma collection, with llama-index's own
             `SentenceSplitter` defaults and the embedder passed explicitly (global Settings untouched);
  llama_matched  the same with the product's chunk size and overlap. The defaults make 1024-token
             chunks that MiniLM cuts to its 256-token window, so most of each article is never
             embedded: fewer, cheaper articles. Matched, both pipelines index every word, and
             articles/s compares like with like;
  llama_hf   what plain llama-index gives someone who points it at the same model: its own
             `HuggingFaceEmbedding` (fp32, its default batch of 10), at the product's chunk size.
             Only when the product's embedder is a local model and the integration is installed.
The machine may be shared, so each is run `repeats` times, interleaved, and the best run counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from newsqa.index.articles import Article
from newsqa.index.chunk import chunk_article, embedded_texts
from newsqa.index.embed import Embedder
from newsqa.index.ingest import embed_window
from newsqa.settings import Settings


def product_texts(articles: Sequence[Article], settings: Settings, embedder: Embedder | None = None) -> list[str]:
    """The exact strings the product's ingest embeds (the context header, then the chunk's own text)."""
    window = embed_window(embedder) if embedder is not None and settings.chunk_fit_window else None
    return [t for a in articles
            for t in embedded_texts(chunk_article(a, settings.chunk_tokens, settings.chunk_overlap, window))]


class MemoEmbedder:
    """An embedder that answers from vectors already computed, embedding only what it has not seen.

    Lets a benchmark fill a second store (a Chroma server, say) without paying for the model again.
    """

    def __init__(self, inner: Embedder, texts: Sequence[str] = (), vectors: np.ndarray | None = None) -> None:
        self.inner = inner
        self.dim = inner.dim
        self.fingerprint = inner.fingerprint
        self._memo: dict[str, np.ndarray] = {}
        if vectors is not None:
            self._memo.update(zip(texts, vectors))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if todo:
            self._memo.update(zip(todo, self.inner.embed(todo)))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts]).astype(np.float32, copy=False)


def llama_hf_embedding(model_path: str) -> Any | None:
    """llama-index's own embedding class on a local model folder, or None when not installed."""
    try:
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    except ImportError:
        return None
    return HuggingFaceEmbedding(model_name=model_path, device="cpu")


def _llama_ingest(articles: Sequence[Article], embedder: Embedder | Any, path: Path,
                  chunk_size: int | None = None, chunk_overlap: int | None = None) -> int:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.core.callbacks import CallbackManager
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from newsqa.evals.baseline import EmbedderAdapter

    client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("plain_llama", embedding_function=None,
                                                 configuration={"hnsw": {"space": "cosine"}})
    callbacks = CallbackManager([])
    sizes = {k: v for k, v in (("chunk_size", chunk_size), ("chunk_overlap", chunk_overlap)) if v is not None}
    docs = [Document(text=a.body, id_=a.id, metadata={"title": a.title, "source": a.source, "url": a.url,
                                                      "published_at": a.published_iso})
            for a in articles]
    VectorStoreIndex.from_documents(
        docs, storage_context=StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection)),
        embed_model=(EmbedderAdapter(embedder, callback_manager=callbacks) if hasattr(embedder, "fingerprint")
                     else embedder), callback_manager=callbacks,
        transformations=[SentenceSplitter(callback_manager=callbacks, **sizes)], show_progress=False,
    )
    return int(collection.count())


def bench_ingest(articles: Sequence[Article], embedder: Embedder, workdir: Path, repeats: int = 2,
                 settings: Settings | None = None, hf_model_path: str = "") -> dict[str, Any]:
    """Best-of-`repeats` throughput of raw / product / llama-index, and the unchanged re-ingest.

    Also returns (under "_memo") an embedder that already knows every product chunk's vector.
    """
    from newsqa.index.ingest import ingest

    base = settings or Settings(store=workdir / "ingest")
    texts = product_texts(articles, base, embedder)  # also loads the tokenizer, once, before any timing
    embedder.embed(["warm up the model before timing"])
    import chromadb  # noqa: F401  (one-off import costs are not throughput)
    import llama_index.core  # noqa: F401
    import llama_index.vector_stores.chroma  # noqa: F401
    runs: dict[str, list[float]] = {"raw": [], "product": [], "llama": [], "llama_matched": []}
    hf = llama_hf_embedding(hf_model_path) if hf_model_path else None
    if hf is not None:
        runs["llama_hf"] = []
        hf.get_text_embedding_batch(["load the model before timing"])
    counts: dict[str, int] = {"raw": len(texts)}
    vectors = None
    product_settings = base
    for r in range(max(1, repeats)):
        t = time.perf_counter()
        vectors = embedder.embed(texts)
        runs["raw"].append(time.perf_counter() - t)

        product_settings = base.with_overrides(store=workdir / f"ingest-product-{r}")
        t = time.perf_counter()
        report = ingest(list(articles), product_settings, embedder)
        runs["product"].append(time.perf_counter() - t)
        counts["product"] = report.chunks_written
        stage_seconds = dict(report.seconds)

        t = time.perf_counter()
        counts["llama"] = _llama_ingest(articles, embedder, workdir / f"ingest-llama-{r}")
        runs["llama"].append(time.perf_counter() - t)

        t = time.perf_counter()
        counts["llama_matched"] = _llama_ingest(articles, embedder, workdir / f"ingest-llama-matched-{r}",
                                                base.chunk_tokens, base.chunk_overlap)
        runs["llama_matched"].append(time.perf_counter() - t)

        if hf is not None:
            t = time.perf_counter()
            counts["llama_hf"] = _llama_ingest(articles, hf, workdir / f"ingest-llama-hf-{r}",
                                               base.chunk_tokens, base.chunk_overlap)
            runs["llama_hf"].append(time.perf_counter() - t)

    t = time.perf_counter()
    again = ingest(list(articles), product_settings, embedder)
    reingest_s = time.perf_counter() - t

    best = {k: min(v) for k, v in runs.items()}
    out: dict[str, Any] = {
        "articles": len(articles), "repeats": max(1, repeats),
        "chunks": counts, "seconds_best": best, "seconds_all": runs,
        "chunks_per_s": {k: counts[k] / best[k] for k in best},
        "articles_per_s": {k: len(articles) / best[k] for k in best},
        "product_stage_seconds": stage_seconds,
        "reingest_s": reingest_s, "reingest_unchanged": len(again.unchanged),
        "reingest_chunks_written": again.chunks_written,
    }
    out["product_vs_raw"] = out["chunks_per_s"]["product"] / out["chunks_per_s"]["raw"]
    out["product_vs_llama"] = out["chunks_per_s"]["product"] / out["chunks_per_s"]["llama"]
    out["product_vs_llama_articles"] = out["articles_per_s"]["product"] / out["articles_per_s"]["llama"]
    out["product_vs_llama_matched_articles"] = (out["articles_per_s"]["product"]
                                                / out["articles_per_s"]["llama_matched"])
    if "llama_hf" in best:
        out["product_vs_llama_hf_articles"] = out["articles_per_s"]["product"] / out["articles_per_s"]["llama_hf"]
    out["reingest_speedup"] = best["product"] / max(reingest_s, 1e-9)
    out["store"] = str(product_settings.store)
    out["_memo"] = MemoEmbedder(embedder, texts, vectors)
    return out


# --- whole processes -------------------------------------------------------------------------------
# What a person waits for: a fresh interpreter that imports, loads the model, reads the file and
# fills a store, timed from outside. The in-process figures above leave out imports and model load,
# which on a few hundred articles are a good part of the wait.

def plain_llama_main(articles_file: str, store: str, model_path: str) -> None:
    """Plain llama-index as it comes: its own HuggingFaceEmbedding of the model folder, its default
    SentenceSplitter, `VectorStoreIndex.from_documents` into a Chroma collection."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    docs = []
    with open(articles_file, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            docs.append(Document(text=r.get("body", ""), id_=str(r.get("id", "")),
                                 metadata={k: r.get(k, "") for k in ("title", "source", "url", "date")}))
    client = chromadb.PersistentClient(path=store, settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("plain_llama", embedding_function=None)
    VectorStoreIndex.from_documents(
        docs, storage_context=StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection)),
        embed_model=HuggingFaceEmbedding(model_name=model_path, device="cpu"))
    print(collection.count())


def write_articles_file(articles: Sequence[Article], dest: Path) -> int:
    """Articles as a JSONL file both pipelines read (id, title, body, source, url, date)."""
    with open(dest, "w", encoding="utf-8") as out:
        for a in articles:
            out.write(json.dumps({"id": a.id, "title": a.title, "body": a.body, "source": a.source,
                                  "url": a.url, "date": a.published_iso}) + "\n")
    return len(articles)


def sample_articles_file(source: Path, n: int, dest: Path) -> int:
    """The first `n` records of a JSONL article file, copied to `dest`; returns how many."""
    k = 0
    with open(source, encoding="utf-8") as src, open(dest, "w", encoding="utf-8") as out:
        for line in src:
            if not line.strip():
                continue
            if k >= n:
                break
            out.write(line if line.endswith("\n") else line + "\n")
            k += 1
    return k


def bench_ingest_process(articles_file: Path, workdir: Path, model_path: str, repeats: int = 2,
                         log: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """Best-of-`repeats` wall time of `newsqa ingest FILE` against the plain llama-index script above,
    each a whole new process on a new store, interleaved."""
    env = {**os.environ, "NEWSQA_EMBEDDER": "local", "NEWSQA_CHROMA_URL": ""}
    newsqa_cmd = [sys.executable, "-m", "newsqa.cli", "ingest", str(articles_file)]
    llama_cmd = [sys.executable, "-m", "newsqa.evals.bench_ingest", "plain-llama", str(articles_file)]
    runs: dict[str, list[float]] = {"newsqa": [], "llama_defaults": []}
    for r in range(max(1, repeats)):
        for name, cmd in (("newsqa", [*newsqa_cmd, "--store", str(workdir / f"proc-newsqa-{r}")]),
                          ("llama_defaults", [*llama_cmd, str(workdir / f"proc-llama-{r}"), model_path])):
            t = time.perf_counter()
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            runs[name].append(time.perf_counter() - t)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd[:5])} failed ({done.returncode}): {done.stderr[-2000:]}")
            log(f"whole process, {name}: {runs[name][-1]:.1f} s")
    best = {k: min(v) for k, v in runs.items()}
    with open(articles_file, encoding="utf-8") as fh:
        n = sum(1 for line in fh if line.strip())
    return {"articles": n, "file": str(articles_file), "repeats": max(1, repeats), "seconds_best": best,
            "seconds_all": runs, "newsqa_vs_llama_defaults": best["llama_defaults"] / best["newsqa"]}


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "plain-llama":
        from newsqa.settings import configure_offline_environment

        configure_offline_environment()
        plain_llama_main(*sys.argv[2:])
    else:
        sys.exit("usage: python -m newsqa.evals.bench_ingest plain-llama ARTICLES.jsonl STORE MODEL_DIR")
