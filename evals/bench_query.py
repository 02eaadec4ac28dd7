"""Query latency per stage and the store's memory, at corpus sizes given in chunks.

Each size gets its own store, built and measured in fresh child processes so that one size's
allocations never count towards another's memory. The chunk texts are synthetic news cut by the
product's own chunker, written through `Store.put_articles` (so the Chroma collections and the BM25
index are the real ones); only the vectors are synthetic (random unit vectors of the embedder's
dimension), which spares embedding 100k chunks on a laptop. Random vectors are also the hard case
for HNSW, so vector-search latency is, if anything, overstated.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from newsqa.evals.synth import synthetic_article, synthetic_questions
from newsqa.index.articles import Article, Chunk
from newsqa.index.chunk import chunk_article
from newsqa.settings import Settings

STAGES = ("embed_query", "vector_search", "bm25", "fusion", "answer", "refusal", "total")


def rss_bytes() -> int:
    """This process's resident set size (Linux)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def folder_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), p)) if values else float("nan")


def chunked_articles(n_chunks: int, settings: Settings, seed: int = 0) -> Iterator[tuple[Article, list[Chunk]]]:
    """Synthetic articles with their chunks, until at least `n_chunks` chunks have been produced."""
    made, i = 0, 0
    while made < n_chunks:
        a = synthetic_article(i, seed)
        chunks = chunk_article(a, settings.chunk_tokens, settings.chunk_overlap)
        made += len(chunks)
        i += 1
        yield a, chunks


def build_synthetic_store(settings: Settings, n_chunks: int, fingerprint: str, dim: int, seed: int = 0,
                          batch_chunks: int = 5000) -> dict[str, Any]:
    """Fill the store named by `settings` with about `n_chunks` synthetic chunks and random vectors."""
    from newsqa.index.store import Store, ingest_lock

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    n_articles = n_written = 0
    with ingest_lock(settings):
        store = Store(settings, fingerprint)
        store.claim_for_ingest(fingerprint)
        batch: list[tuple[Article, list[Chunk], np.ndarray]] = []
        pending = 0

        def flush() -> None:
            nonlocal pending, n_written
            if batch:
                with store.write_batch([a.id for a, _, _ in batch]):
                    store.put_articles(batch)
                n_written += pending
            batch.clear()
            pending = 0

        for a, chunks in chunked_articles(n_chunks, settings, seed):
            v = rng.standard_normal((len(chunks), dim)).astype(np.float32)
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            batch.append((a, chunks, v))
            pending += len(chunks)
            n_articles += 1
            if pending >= batch_chunks:
                flush()
        flush()
    return {"articles": n_articles, "chunks": n_written, "build_s": time.perf_counter() - t0}


def measure_store(settings: Settings, n_articles: int, n_questions: int, seed: int = 0,
                  warmup: int = 3, backends: list[str] | None = None) -> dict[str, Any]:
    """Memory and per-stage latency of one store; meant to run in a fresh process.

    Memory is the RSS growth from opening the store, running one vector search and loading BM25
    (the embedding model is loaded before the first reading, so it is not counted). The stage
    latencies are the settings' backend's; each of `backends` also gets its answer stage timed on
    the same questions, since the answer stage is where extractive backends differ.
    """
    from newsqa.index.embed import make_embedder
    from newsqa.index.store import Store
    from newsqa.rag.qa import build_qa

    embedder = make_embedder(settings)
    if hasattr(embedder, "preload"):  # steady-state latency: what a server runs once warm
        embedder.preload()
    embedder.embed(["load the model before the memory baseline"])
    # code is not data: import what opening a store imports before taking the baseline
    import chromadb  # noqa: F401
    import llama_index.core.vector_stores.types  # noqa: F401
    import llama_index.vector_stores.chroma  # noqa: F401
    import scipy.sparse  # noqa: F401
    gc.collect()
    before = rss_bytes()
    t = time.perf_counter()
    store = Store(settings, embedder.fingerprint)
    store.vector_search(np.asarray(embedder.embed(["warm the vector index"])[0]), 5)
    lex = store.lexical()
    lex.search("warm the lexical index", 5)
    open_s = time.perf_counter() - t
    gc.collect()
    after = rss_bytes()
    qa = build_qa(settings, store=store, embedder=embedder)
    questions = synthetic_questions(n_questions + warmup, n_articles, seed)
    timings: dict[str, list[float]] = {s: [] for s in STAGES}
    answered = 0
    for i, q in enumerate(questions):
        ans = qa.ask(q.question)
        if i < warmup:
            continue
        answered += int(not ans.refused)
        for s in STAGES:
            timings[s].append(float(ans.timings_ms.get(s, 0.0)))
    by_backend = {}
    for k, name in enumerate(backends or []):
        other = build_qa(settings.with_overrides(backend=name), store=store, embedder=embedder)
        answer_ms, n_answered = [], 0
        # questions of their own: the ones asked above have their sentences' embeddings and parses
        # cached, which would time a backend warm
        own = synthetic_questions(n_questions + warmup, n_articles, seed + 1 + k)
        for i, q in enumerate(own):
            ans = other.ask(q.question)
            if i >= warmup:
                answer_ms.append(float(ans.timings_ms.get("answer", 0.0)))
                n_answered += int(not ans.refused)
        by_backend[name] = {"answer_p50": percentile(answer_ms, 50), "answer_p95": percentile(answer_ms, 95),
                            "answered": n_answered}
    return {
        "backend": settings.backend,
        "chunks": store.count_chunks(), "lexical_chunks": len(lex), "articles": store.count_articles(),
        "rss_delta_bytes": after - before, "disk_bytes": folder_bytes(Path(settings.store)),
        "open_s": open_s, "questions": n_questions, "answered": answered,
        "latency_ms": {s: {"p50": percentile(v, 50), "p95": percentile(v, 95)} for s, v in timings.items()},
        "answer_by_backend": by_backend,
    }


# --- child processes -----------------------------------------------------------------------------
def _settings_json(settings: Settings) -> str:
    return settings.model_dump_json()


def run_child(task: str, settings: Settings, timeout: float, **kwargs: Any) -> dict[str, Any]:
    """Run `task` ("build" or "measure") in a fresh interpreter; returns its JSON result."""
    spec = json.dumps({"task": task, "settings": json.loads(_settings_json(settings)), "kwargs": kwargs})
    proc = subprocess.run([sys.executable, "-m", "newsqa.evals.bench_query"], input=spec, text=True,
                          capture_output=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"bench child {task!r} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_query_size(workdir: Path, n_chunks: int, embedder: str, n_questions: int, seed: int = 0,
                     timeout: float = 3600, backends: list[str] | None = None) -> dict[str, Any]:
    """Build a store of about `n_chunks` chunks under `workdir` and measure it, each in a child."""
    from newsqa.index.embed import make_embedder

    settings = Settings(store=workdir / f"query-{n_chunks}", embedder=embedder)  # type: ignore[arg-type]
    emb = make_embedder(settings)  # fingerprint and dimension only; the weights stay unloaded
    built = run_child("build", settings, timeout, n_chunks=n_chunks, fingerprint=emb.fingerprint, dim=emb.dim,
                      seed=seed)
    measured = run_child("measure", settings, timeout, n_articles=built["articles"], n_questions=n_questions,
                         seed=seed, backends=backends or [])
    return {"size": n_chunks, **built, **measured}


def _child_main() -> None:
    from newsqa.settings import configure_offline_environment

    configure_offline_environment()
    spec = json.loads(sys.stdin.read())
    settings = Settings(**spec["settings"])
    kwargs = spec["kwargs"]
    if spec["task"] == "build":
        out = build_synthetic_store(settings, **kwargs)
    elif spec["task"] == "measure":
        out = measure_store(settings, **kwargs)
    else:
        raise SystemExit(f"unknown task {spec['task']!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    _child_main()
