"""The evaluation runner with the hashing embedder: records, aggregates, temporary stores, the
plain llama-index baseline and the progress callback."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tiny_eval_set import ARTICLES, QUESTIONS, write_tiny_set

from newsqa.evals.metrics import METRICS
from newsqa.evals.questions import load_questions
from newsqa.evals.run import EvalResult, run_eval
from newsqa.settings import Settings

EXTRA = ("latency_p50_ms", "latency_p95_ms")


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    return write_tiny_set(tmp_path / "set")


@pytest.fixture
def track_tmp(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the temporary folders run_eval makes, to check they are gone afterwards."""
    made: list[str] = []
    real = tempfile.mkdtemp

    def mkdtemp(*a: Any, **kw: Any) -> str:
        path = real(*a, **kw)
        made.append(path)
        return path

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    return made


def test_records_and_aggregates(settings: Settings, tiny: tuple[Path, Path], track_tmp: list[str]) -> None:
    questions, articles = tiny
    result = run_eval(questions, settings, articles=[str(articles)], k=3)
    assert isinstance(result, EvalResult)
    assert [r["id"] for r in result.records] == [q["id"] for q in QUESTIONS]
    for r in result.records:
        for key in ("question", "answer", "refused", "sentences", "citations", "retrieved", "timings_ms"):
            assert key in r, key
        assert len(r["citations"]) <= 3
        assert r["eval"]["type"] == next(q["type"] for q in QUESTIONS if q["id"] == r["id"])
    overall = result.aggregates["overall"]
    for name in (*METRICS, *EXTRA, "support_scorer_accuracy"):
        assert name in overall, name
    assert overall["n"] == len(QUESTIONS)
    assert set(result.aggregates["by_type"]) == {q["type"] for q in QUESTIONS}
    assert result.aggregates["by_type"]["who"]["n"] == 2
    assert "total" in result.aggregates["latency"]
    # the scorer is measured on the bundled pairs in the same run
    assert result.support_scorer["n"] >= 50 and 0 <= result.support_scorer["accuracy"] <= 1
    assert overall["support_scorer_accuracy"] == result.support_scorer["accuracy"]
    # the hashing embedder still finds the one article that shares the question's words
    assert overall["hit@5"] == 1.0
    # ingested into a temporary store that is gone afterwards; the configured store is untouched
    assert track_tmp and not any(Path(p).exists() for p in track_tmp)
    assert not Path(settings.store).exists()
    meta = result.meta
    assert meta["articles"] == [str(articles)] and meta["store"] == "temporary"
    assert meta["ingest"]["added"] == len(ARTICLES)
    assert meta["k"] == 3 and meta["backend"] == "ranked" and meta["embedder"] == "hash:256"
    assert meta["timestamp"] and meta["machine"]["cpus"]
    assert result.baseline_aggregates is None and result.baseline_records == []
    assert result.html.startswith("<!DOCTYPE html>") and "<svg" in result.html


def test_follow_up_gets_its_turns_as_history(settings: Settings, tiny: tuple[Path, Path]) -> None:
    questions, articles = tiny
    result = run_eval(load_questions(questions), settings, articles=[str(articles)])
    follow = next(r for r in result.records if r["id"] == "t4")
    assert follow["question"] == "When did it open?"
    # the earlier turn's names were carried into the standalone question used for retrieval
    assert "Acme Robotics" in follow["standalone_question"]
    assert follow["retrieved"][0] == "acme"


def test_drop_evidence_leaves_evidence_out_and_scores_refusals(settings: Settings, tiny: tuple[Path, Path]) -> None:
    questions, articles = tiny
    result = run_eval(load_questions(questions), settings, articles=[str(articles)], drop_evidence=True)
    # every article is some question's evidence, so nothing was left to retrieve from
    assert result.meta["ingest"]["evidence_removed"] == len(ARTICLES)
    assert all(r["retrieved"] == [] for r in result.records)
    overall = result.aggregates["overall"]
    assert overall["refusal_recall"] == 1.0 and overall["answer_correctness"] is None
    assert {q.type for q in result.questions} == {"evidence-removed", "unanswerable"}
    with pytest.raises(ValueError, match="never deletes from an existing store"):
        run_eval(questions, settings, drop_evidence=True)


def test_drop_evidence_also_leaves_out_unlisted_articles_that_hold_an_answer(
        settings: Settings, tiny: tuple[Path, Path]) -> None:
    import json

    questions, articles = tiny
    extra = [  # states t3's answer without being listed as its evidence; the other is off the subject
        {"id": "chess-2", "title": "Chess round-up", "source": "Wire", "body": "Carlsen took the Oslo title."},
        {"id": "tennis", "title": "Tennis", "source": "Wire", "body": "Halep won Wimbledon on grass in July."},
    ]
    with articles.open("a", encoding="utf-8") as fh:
        fh.writelines(json.dumps(a) + "\n" for a in extra)
    result = run_eval(load_questions(questions), settings, articles=[str(articles)], drop_evidence=True)
    info = result.meta["ingest"]
    assert info["evidence_removed"] == len(ARTICLES) and info["answer_bearing_removed"] == 1
    assert {aid for r in result.records for aid in r["retrieved"]} <= {"tennis"}


def test_drop_evidence_each_hides_only_the_asked_questions_evidence(
        settings: Settings, tiny: tuple[Path, Path]) -> None:
    questions, articles = tiny
    result = run_eval(load_questions(questions), settings, articles=[str(articles)], drop_evidence="each")
    assert result.meta["ingest"]["added"] == len(ARTICLES)  # nothing deleted
    assert result.meta["articles_indexed"] == len(ARTICLES)
    by_id = {r["id"]: r for r in result.records}
    evidence = {q["id"]: set(q["evidence_ids"]) for q in QUESTIONS}
    for qid, r in by_id.items():
        assert not set(r["retrieved"]) & evidence[qid], qid
    # the other questions' articles stay searchable: t1 (Acme) may still see the Danube story
    assert any(r["retrieved"] for r in by_id.values())
    assert {q.type for q in result.questions} == {"evidence-removed", "unanswerable"}
    with pytest.raises(ValueError, match="'all' or 'each'"):
        run_eval(questions, settings, articles=[str(articles)], drop_evidence="some")
    with pytest.raises(ValueError, match="baseline"):
        run_eval(questions, settings, articles=[str(articles)], drop_evidence="each", baseline=True)


def test_current_store_is_used_without_articles(settings: Settings, tiny: tuple[Path, Path]) -> None:
    from newsqa.index.embed import make_embedder
    from newsqa.index.ingest import ingest

    questions, articles = tiny
    ingest([str(articles)], settings, make_embedder(settings))
    result = run_eval(questions, settings)
    assert result.meta["store"] == str(settings.store)
    assert result.meta["articles"] is None and result.meta["articles_indexed"] == len(ARTICLES)
    assert [r["id"] for r in result.records] == [q["id"] for q in QUESTIONS]
    assert result.aggregates["overall"]["hit@5"] == 1.0


def test_baseline_uses_plain_vector_top_k(settings: Settings, tiny: tuple[Path, Path]) -> None:
    from llama_index.core import Settings as LlamaSettings

    questions, articles = tiny
    calls: list[tuple[int, int, str]] = []
    result = run_eval(questions, settings.with_overrides(chunk_tokens=32, chunk_overlap=0),
                      articles=[str(articles)], baseline=True, k=4,
                      progress=lambda done, total, phase: calls.append((done, total, phase)))
    assert [r["id"] for r in result.baseline_records] == [q["id"] for q in QUESTIONS]
    assert result.baseline_aggregates is not None
    assert set(result.baseline_aggregates["overall"]) >= set(METRICS) | set(EXTRA)
    for r in result.baseline_records:
        # vector top-k with no per-article cap: k passages, and no BM25 or rerank scores
        assert len(r["citations"]) == 4
        assert r["timings_ms"].keys() >= {"retrieve", "answer", "total"}
        # refusal only when the backend returned nothing
        assert r["refused"] == (r["sentences"][0]["citations"] == [] and len(r["sentences"]) == 1
                                and not r["sentences"][0]["supported"])
    # the follow-up is asked as written: plain llama-index has no rewrite without an LLM
    assert next(r for r in result.baseline_records if r["id"] == "t4")["standalone_question"] == "When did it open?"
    # no per-article cap: some answer rests on more than the product's two chunks of one article
    assert any(max(Counter(c["article_id"] for c in r["citations"]).values()) > 2
               for r in result.baseline_records)
    # llama-index's global models were never resolved
    assert LlamaSettings._llm is None and LlamaSettings._embed_model is None
    n = len(QUESTIONS)
    assert calls[-1] == (2 * n, 2 * n, "baseline")
    assert [c[0] for c in calls] == list(range(1, 2 * n + 1))
    assert {c[2] for c in calls[:n]} == {"product"}


def test_judge_adds_faithfulness(settings: Settings, tiny: tuple[Path, Path]) -> None:
    class HalfJudge:
        def describe(self) -> dict[str, str]:
            return {"url": "fake"}

        def judge_record(self, record: dict[str, Any]) -> dict[str, Any] | None:
            if record["refused"]:
                return None
            return {"faithfulness": 0.5, "claims": [{}, {}], "invalid": 1}

    questions, articles = tiny
    result = run_eval(questions, settings, articles=[str(articles)], judge=HalfJudge())
    overall = result.aggregates["overall"]
    answered = [r for r in result.records if not r["refused"]]
    assert answered, "the tiny set should get some answers"
    assert overall["judge_faithfulness"] == 0.5
    assert overall["judge_invalid_rate"] == 0.5
    assert result.meta["judge"] == {"url": "fake"}


def test_bad_inputs(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        run_eval([], settings)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    questions, _ = write_tiny_set(tmp_path / "set")
    with pytest.raises(ValueError, match="nothing to index"):
        run_eval(questions, settings, articles=[str(empty)])
    with pytest.raises(ValueError, match="not available"):
        run_eval(questions, settings, articles=[str(tmp_path / "set" / "articles.jsonl")], backend="openai")
