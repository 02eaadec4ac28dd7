"""`newsqa bench`: the synthetic corpus, the pieces of the report, and a smoke run of every stage."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from newsqa.evals.bench import BenchOptions, check_targets, format_results, latency_svg, run_bench
from newsqa.evals.bench_ingest import MemoEmbedder, product_texts
from newsqa.evals.synth import synthetic_articles, synthetic_facts, synthetic_questions
from newsqa.index.chunk import chunk_article
from newsqa.index.embed import HashingEmbedder
from newsqa.settings import Settings


# --- synthetic corpus ----------------------------------------------------------------------------
def test_synthetic_articles_are_deterministic_and_prefix_stable():
    ten = synthetic_articles(10, seed=3)
    assert ten == synthetic_articles(10, seed=3)
    assert ten[:4] == synthetic_articles(4, seed=3)
    assert synthetic_articles(2, seed=3, start=5) == ten[5:7]
    assert ten != synthetic_articles(10, seed=4)
    assert len({a.id for a in ten}) == 10


def test_synthetic_articles_read_like_news():
    for a in synthetic_articles(20):
        assert a.title and a.source and a.url.startswith("https://") and a.published_at is not None
        assert a.body.count("\n\n") >= 3  # several paragraphs
        assert re.search(r"\d", a.body) and len(a.body) > 800
        assert 1 <= len(chunk_article(a, 256, 32)) <= 6


def test_synthetic_questions_are_answered_by_their_article():
    articles = {a.id: a for a in synthetic_articles(30)}
    qs = synthetic_questions(40, 30)
    assert qs == synthetic_questions(40, 30)
    assert {q.article_id for q in qs} <= set(articles)
    for q in qs:
        assert q.answer in articles[q.article_id].body, q
        assert q.question.endswith("?")
    f = synthetic_facts(0)
    assert f.org in articles[f.article_id].title


# --- pieces ----------------------------------------------------------------------------------------
def test_memo_embedder_reuses_known_vectors():
    calls = []

    class Counting(HashingEmbedder):
        def embed(self, texts):
            calls.append(list(texts))
            return super().embed(texts)

    texts = product_texts(synthetic_articles(2), Settings())
    known = HashingEmbedder().embed(texts)
    memo = MemoEmbedder(Counting(), texts, known)
    assert np.allclose(memo.embed(texts), known) and calls == []
    memo.embed([texts[0], "something new"])
    assert calls == [["something new"]]
    assert memo.fingerprint == HashingEmbedder().fingerprint


def _fake_results(p50: float, chunks: int = 100_000, rss: int = 500 * 2**20) -> dict:
    stage = {"p50": p50 / 4, "p95": p50 / 2}
    lat = {s: dict(stage) for s in ("embed_query", "vector_search", "bm25", "fusion", "answer", "refusal")}
    lat["total"] = {"p50": p50, "p95": 2 * p50}
    return {
        "options": {"smoke": False}, "machine": {"cpus": 2, "cpu_model": "Test CPU", "ram_bytes": 2**33,
                                                 "loadavg": [0.5], "python": "3.11", "torch_threads": 2},
        "embedder": "hash:256",
        "ingest": {"articles": 10, "repeats": 1, "chunks": {"raw": 30, "product": 30, "llama": 10, "llama_matched": 40},
                   "seconds_best": {"raw": 1.0, "product": 1.1, "llama": 0.5, "llama_matched": 1.6},
                   "chunks_per_s": {"raw": 30.0, "product": 27.3, "llama": 20.0, "llama_matched": 25.0},
                   "articles_per_s": {"raw": 10.0, "product": 9.1, "llama": 20.0, "llama_matched": 6.25},
                   "product_stage_seconds": {"chunk": 0.05, "embed": 1.0, "write": 0.05},
                   "reingest_s": 0.01, "product_vs_raw": 0.91, "product_vs_llama": 1.365,
                   "product_vs_llama_articles": 0.45, "product_vs_llama_matched_articles": 1.456, "reingest_speedup": 110.0},
        "query": [{"chunks": 1000, "rss_delta_bytes": 50 * 2**20, "disk_bytes": 2**24, "latency_ms": lat},
                  {"chunks": chunks, "rss_delta_bytes": rss, "disk_bytes": 2**30, "latency_ms": lat,
                   "answer_by_backend": {"extractive": {"answer_p50": p50 / 4, "answer_p95": p50, "answered": 9},
                                         "ranked": {"answer_p50": p50 / 2, "answer_p95": p50, "answered": 8}}}],
        "generate": {"model": "smollm2.gguf", "load_s": 0.2, "questions": 10, "refused": 3,
                     "first_token_ms": {"p50": 1500.0, "p95": 1700.0}, "total_ms": {"p50": 2500.0, "p95": 8000.0}},
        "load": {"single": {"clients": 2, "questions": 4, "answered": 4, "errors": 0, "not_sent": 0,
                            "error_samples": [], "latency_ms": {"p50": 10.0, "p95": 20.0}, "throughput_qps": 3.0}},
        "cold": {"embedder": "local", "question": "Q?", "repeats": 3,
                 "sample_ingest": {"seconds": 6.5, "rss_bytes": 400 * 2**20, "chunks": 7,
                                   "stages": {"load": 0.01, "chunk": 0.3, "model_load": 0.2, "embed": 2.0, "write": 1.0}},
                 "reingest": {"seconds": 0.9, "cpu_seconds": 0.8, "rss_bytes": 100 * 2**20, "unchanged": 2,
                              "stages": {"load": 0.01, "chunk": 0.0, "model_load": 0.0, "embed": 0.0, "write": 0.0}},
                 "ask": {"seconds": [2.5, 2.1, 2.9], "cpu_seconds": [2.0, 1.9, 2.1], "median_s": 2.5, "peak_rss_bytes": 240 * 2**20, "refused": False,
                         "timings_ms": {}}},
    }


def test_targets_are_judged_on_the_largest_size():
    ok = check_targets(_fake_results(100.0))
    assert all(t["met"] for t in ok.values()), ok
    slow = check_targets(_fake_results(400.0, rss=3 * 2**30))
    assert slow["answer_p50"]["met"] is False and slow["memory"]["met"] is False
    assert ok["answer_stage_p50"]["value"]["p50_ms"] == {"extractive": 25.0, "ranked": 50.0}
    assert check_targets(_fake_results(390.0))["answer_stage_p50"]["met"] is True  # ranked 195 ms
    assert check_targets(_fake_results(410.0))["answer_stage_p50"]["met"] is False  # ranked 205 ms
    small = check_targets(_fake_results(100.0, chunks=2000, rss=200 * 2**20))
    assert small["memory"]["met"] is None  # too small to scale up honestly


def test_cold_start_targets_need_time_memory_and_no_model_load():
    r = _fake_results(100.0)
    r["cold"]["ask"]["peak_rss_bytes"] = 600 * 2**20  # fast enough, too big
    r["cold"]["reingest"]["stages"]["model_load"] = 0.3  # fast enough, but loaded a model for nothing
    r["cold"]["sample_ingest"]["seconds"] = 10.5
    t = check_targets(r)
    assert [t[k]["met"] for k in ("cold_ask", "cold_reingest", "sample_ingest")] == [False, False, False]


def test_console_table_and_svg():
    r = _fake_results(100.0)
    r["targets"] = check_targets(r)
    text = format_results(r)
    for needle in ("Test CPU", "INGEST", "QUERY", "LOAD", "target >= 0.85", "[target met]", "100,000", "1.46x articles/s",
                   "first token p50/p95 = 1500/1700 ms", "COLD START",
                   "cold ask, median of 3: 2.50 s (runs 2.50, 2.10, 2.90; CPU 2.00, 1.90, 2.10), peak RSS 240 MB",
                   "unchanged re-ingest: 0.90 s (CPU 0.80), 2 unchanged, model load 0.00 s",
                   "answer stage p50 at 100,000 chunks: extractive 25.0 ms, ranked 50.0 ms (target <= 200 ms)"):
        assert needle in text
    svg = latency_svg(r["query"])
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "<script" not in svg and "150 ms target" in svg
    assert svg.count("<polyline") == 7
    assert "no measurements" in latency_svg([])


# --- the whole thing, tiny ---------------------------------------------------------------------------
@pytest.mark.slow
def test_smoke_run_covers_every_stage(tmp_path):
    opts = BenchOptions.smoke_defaults(tmp_path / "out")
    r = run_bench(opts, log=lambda _: None)
    saved = json.loads((tmp_path / "out" / "bench.json").read_text())
    assert saved["ingest"]["chunks"]["product"] == saved["ingest"]["chunks"]["raw"] > 0
    assert saved["ingest"]["reingest_unchanged"] == opts.ingest_articles
    assert saved["ingest"]["chunks"]["llama_matched"] > saved["ingest"]["chunks"]["llama"]
    assert [q["chunks"] >= s for q, s in zip(saved["query"], opts.sizes)] == [True] * len(opts.sizes)
    for q in saved["query"]:
        assert q["lexical_chunks"] == q["chunks"] and q["answered"] > 0
        assert q["backend"] == Settings().backend  # the stage table is the default backend's
        assert q["latency_ms"]["total"]["p50"] > 0 and q["disk_bytes"] > 0
        assert set(q["answer_by_backend"]) == set(opts.answer_backends) == {"extractive", "ranked"}
        assert all(v["answer_p50"] > 0 for v in q["answer_by_backend"].values())
    for setup in ("single", "two_workers"):
        load = saved["load"][setup]
        assert load["errors"] == 0 and load["answered"] == opts.questions, load
    assert sum(saved["load"]["two_workers"]["per_worker"].values()) == opts.questions
    assert all(n > 0 for n in saved["load"]["two_workers"]["per_worker"].values())
    cold = saved["cold"]
    assert cold["sample_ingest"]["chunks"] > 0 and cold["reingest"]["unchanged"] == 2
    assert cold["reingest"]["stages"]["model_load"] == 0.0 and not cold["ask"]["refused"]
    assert cold["ask"]["peak_rss_bytes"] > 0 and len(cold["ask"]["seconds"]) == 1
    ET.fromstring((tmp_path / "out" / "bench.svg").read_text())
    text = format_results(r)
    assert "LOAD" in text and "COLD START" in text
