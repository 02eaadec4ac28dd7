"""The grounding evaluation: answer a question set, score it, optionally against a plain baseline.

`run_eval` is the core `newsqa eval` calls (no argparse here). Every metric goes through
`newsqa.evals.metrics` with the product's one support scorer, so "supported" in the report means
what it means in the answers; the scorer itself is measured on the bundled labelled pairs in the
same run, since the citation metrics are only as good as it is.
"""

from __future__ import annotations

import dataclasses

import os
import platform
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsqa.evals.metrics import (
    aggregate, answer_correct, answer_in_passages, group_hit_at_k, percentile, support_scorer_accuracy,
)
from newsqa.evals.metrics import latency_summary
from newsqa.evals.questions import Question, load_questions, load_support_pairs, support_pairs_path
from newsqa.settings import Settings

# (done, total, phase): phase is "product", "baseline" or "judge"
ProgressFn = Callable[[int, int, str], None]


@dataclass
class EvalResult:
    questions: list[Question]
    records: list[dict[str, Any]]
    aggregates: dict[str, Any]  # {"overall", "by_type", "latency"}
    support_scorer: dict[str, Any]
    meta: dict[str, Any]
    baseline_records: list[dict[str, Any]] = field(default_factory=list)
    baseline_aggregates: dict[str, Any] | None = None

    def to_report(self) -> dict[str, Any]:
        """The report.json document."""
        aggs: dict[str, Any] = {"product": self.aggregates}
        if self.baseline_aggregates is not None:
            aggs["baseline"] = self.baseline_aggregates
        aggs["support_scorer"] = self.support_scorer
        return {
            "aggregates": aggs,
            "questions": self.records,
            "baseline_questions": self.baseline_records,
            "meta": self.meta,
        }

    @property
    def html(self) -> str:
        """The self-contained report page (what report.html holds), for callers that show it inline."""
        from newsqa.evals.report import render_html

        return render_html(self.to_report())


def run_eval(
    questions: Sequence[Question] | str | os.PathLike[str],
    settings: Settings,
    articles: Sequence[str] | None = None,
    backend: str | None = None,
    baseline: bool = False,
    k: int = 5,
    progress: ProgressFn | None = None,
    judge: Any | None = None,
    drop_evidence: bool | str = False,
    ignore_as_of: bool = False,
) -> EvalResult:
    """Answer every question with the product (and the baseline), then score the answers.

    `questions` is a loaded list or the path of a question file. With `articles` (files, folders,
    globs), they are ingested into a fresh temporary store that is deleted afterwards; without, the
    store the settings name is used as it is. `judge` is an `evals.judge.Judge` (or anything with
    `judge_record(record)` and `describe()`); without one no LLM is asked anything.
    With `drop_evidence` (only together with `articles`), every answerable question's evidence
    articles are left out of the temporary store and the question is scored as unanswerable: the
    refusal test of "the articles are on the subject but do not hold the answer". Evidence lists
    are incomplete (other articles state the same answer), so every article that contains an
    accepted spelling of every part of an answer is left out too; otherwise "refusal" would be
    scored on questions the store can still answer. `drop_evidence="each"` leaves out only each
    question's own evidence and answer-bearing articles, while that question is asked (a search
    filter, nothing is deleted): the refusal test one question at a time, over an otherwise
    complete corpus. True means "all": everyone's evidence is removed at once.
    Each question is asked as of its `as_of` day; with `ignore_as_of`, as of today, as a question
    file without dates would be (the with/without comparison of reading time against the as-of day).
    Raises ValueError for an empty question list or articles that yield nothing to index, and
    StoreError when the store can't be used.
    """
    from newsqa.index.embed import make_embedder
    from newsqa.index.store import Store

    started = time.perf_counter()
    filters: dict[str, Any] = {}
    question_file = ""
    if not isinstance(questions, Sequence) or isinstance(questions, str):
        question_file = str(questions)
        questions = load_questions(Path(questions))
    questions = list(questions)
    if not questions:
        raise ValueError("the question set is empty")
    if k < 1:
        raise ValueError("k must be at least 1")

    mode = "all" if drop_evidence is True else drop_evidence or ""
    if mode not in ("", "all", "each"):
        raise ValueError(f"drop_evidence must be 'all' or 'each', not {drop_evidence!r}")
    if mode == "each" and baseline:
        raise ValueError("drop_evidence='each' filters each question's search; the baseline cannot")
    answers_of = {q.id: q.answers for q in questions if q.answerable and q.answers}
    if mode:
        if not articles:
            raise ValueError("drop_evidence needs articles: it never deletes from an existing store")
        questions = [_without_evidence(q) for q in questions]
    settings = settings.with_overrides(backend=backend, top_k=k)
    tmp_dir: str | None = None
    ingest_info: dict[str, Any] | None = None
    try:
        embedder = make_embedder(settings)
        if hasattr(embedder, "preload"):  # many questions: torch's model beats the cold-start encoder
            embedder.preload()
        if articles:
            from newsqa.index.ingest import ingest

            tmp_dir = tempfile.mkdtemp(prefix="newsqa-eval-")
            settings = settings.with_overrides(store=Path(tmp_dir), chroma_url="")
            store = Store(settings, embedder.fingerprint)
            report = ingest(list(articles), settings, embedder, store=store)
            if report.chunks_written == 0:
                raise ValueError(f"nothing to index in {', '.join(articles)}: {report.summary()}")
            ingest_info = {"added": len(report.added), "skipped": len(report.skipped),
                           "chunks": report.chunks_written, "seconds": round(report.wall, 2)}
            if mode == "all":
                evidence = {e for q in questions for e in q.evidence_ids}
                bearing = _answer_bearing(store, list(answers_of.values())) - evidence
                ingest_info["evidence_removed"] = len(store.remove_articles(sorted(evidence)))
                ingest_info["answer_bearing_removed"] = len(store.remove_articles(sorted(bearing)))
            elif mode == "each":
                filters = _per_question_filters(store, questions, answers_of)
                ingest_info["articles_left_out_per_question"] = round(
                    sum(store.count_articles() - len(f.article_ids or ()) for f in filters.values())
                    / max(1, len(filters)), 1)
        else:
            store = Store(settings, embedder.fingerprint)
        if ignore_as_of:
            questions = [dataclasses.replace(q, as_of=None) for q in questions]
        return _evaluate(questions, settings, store, embedder, baseline, k, progress, judge, filters,
                         meta_base={
                             "question_file": question_file,
                             "articles": list(articles) if articles else None,
                             "article_source": (f"temporary store ingested from {', '.join(articles)}"
                                                if articles else f"store {store.location}"),
                             "ingest": ingest_info,
                             "store": "temporary" if articles else store.location,
                             "as_of": "ignored (today)" if ignore_as_of else "each question's as_of",
                         },
                         started=started)
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)


def _article_texts(store: Any) -> dict[str, str]:
    texts: dict[str, list[str]] = {}
    for c in store.iter_chunks():
        texts.setdefault(c.article_id, [c.title] if c.title else []).append(c.text)
    return {aid: "\n".join(parts) for aid, parts in texts.items()}


def _answer_bearing(store: Any, answer_lists: list[list[list[str]]]) -> set[str]:
    """Ids of the stored articles whose text (title and chunks) holds some question's whole answer."""
    return {aid for aid, text in _article_texts(store).items()
            if any(answer_correct(text, answers) for answers in answer_lists)}


def _per_question_filters(store: Any, questions: list[Question],
                          answers_of: dict[str, list[list[str]]]) -> dict[str, Any]:
    """For each question with evidence: a search filter allowing every article but its evidence and
    the articles that hold its answer."""
    from newsqa.index.store import SearchFilter

    texts = _article_texts(store)
    out: dict[str, Any] = {}
    for q in questions:
        if not q.evidence_ids:
            continue
        answers = answers_of.get(q.id)
        gone = set(q.evidence_ids) | {aid for aid, t in texts.items() if answers and answer_correct(t, answers)}
        # an empty allow-list would read as "no filter": a sentinel id matches nothing instead
        out[q.id] = SearchFilter(article_ids=tuple(sorted(set(texts) - gone)) or ("",))
    return out


def _without_evidence(q: Question) -> Question:
    """The question as it stands once its evidence is gone: the right reply is a refusal. The
    evidence ids are kept so the runner knows what to leave out of the store."""
    if not q.answerable:
        return q
    return dataclasses.replace(q, answers=[], answerable=False, type="evidence-removed")


def _evaluate(questions: list[Question], settings: Settings, store: Any, embedder: Any, baseline: bool,
              k: int, progress: ProgressFn | None, judge: Any | None, filters: dict[str, Any],
              meta_base: dict[str, Any],
              started: float) -> EvalResult:
    from newsqa.rag.chat import Turn
    from newsqa.rag.qa import build_qa

    qa = build_qa(settings, store=store, embedder=embedder)
    scorer = qa.scorer
    backend_name = settings.backend
    if backend_name not in qa.backends:
        raise ValueError(f"answer backend {backend_name!r} is not available here; available: "
                         f"{', '.join(qa.backends)}")
    base_qa = None
    if baseline:
        from newsqa.evals.baseline import BaselineQA

        base_qa = BaselineQA(store, embedder, qa.backends[backend_name], k)

    total = len(questions) * (2 if base_qa else 1) + (len(questions) * (2 if base_qa else 1) if judge else 0)
    done = 0

    def tick(phase: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, phase)

    records: list[dict[str, Any]] = []
    for q in questions:
        ans = qa.ask(q.question, history=[Turn(t) for t in q.turns], k=k, flt=filters.get(q.id), as_of=q.as_of)
        records.append(_record(q, ans.to_json()))
        tick("product")
    base_records: list[dict[str, Any]] = []
    if base_qa is not None:
        for q in questions:
            ans = base_qa.ask(q.question, history=[Turn(t) for t in q.turns])
            base_records.append(_record(q, ans.to_json()))
            tick("baseline")
    if judge is not None:
        for recs in (records, base_records):
            for r in recs:
                r["judge"] = judge.judge_record(r)
                tick("judge")

    def support(sentence: str, passages: list[str]) -> bool:
        return scorer.supported(scorer.score(sentence, passages))

    scorer_acc = support_scorer_accuracy(
        load_support_pairs(support_pairs_path()),
        lambda sentence, passage: scorer.supported(scorer.score(sentence, [passage])),
    )
    product = score(questions, records, support, judged=judge is not None)
    product["overall"]["support_scorer_accuracy"] = scorer_acc["accuracy"]
    base_aggs = score(questions, base_records, support, judged=judge is not None) if base_qa else None

    meta = {
        **meta_base,
        "backend": backend_name,
        "baseline": bool(base_qa),
        "k": k,
        "embedder": embedder.fingerprint,
        "chunks": store.count_chunks(),
        "articles_indexed": store.count_articles(),
        "n_questions": len(questions),
        "judge": judge.describe() if judge is not None and hasattr(judge, "describe") else None,
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 2),
        "machine": machine_info(),
    }
    return EvalResult(questions, records, product, scorer_acc, meta, base_records, base_aggs)


def _record(q: Question, answer_json: dict[str, Any]) -> dict[str, Any]:
    """The answer JSON with the question id first, plus what a report needs to show next to it."""
    rec: dict[str, Any] = {"id": q.id, **answer_json}
    correct = None
    if q.answerable and q.answers:
        correct = not rec.get("refused") and answer_correct(rec.get("answer", ""), q.answers)
    hit5 = group_hit_at_k(rec, q.evidence_ids, 5) if q.answerable and q.evidence_ids else None
    ans5 = answer_in_passages(rec, q.answers, 5) if q.answerable and q.answers else None
    rec["eval"] = {"type": q.type, "answerable": q.answerable, "expected": q.answers,
                   "evidence_ids": q.evidence_ids, "turns": q.turns, "correct": correct, "hit@5": hit5,
                   "answer@5": ans5}
    return rec


def score(questions: list[Question], records: list[dict[str, Any]],
          support: Callable[[str, list[str]], bool], judged: bool = False) -> dict[str, Any]:
    """`metrics.aggregate` plus end-to-end latency (p50/p95 of `total`) per group, the per-stage
    latency summary and, when a judge ran, its faithfulness."""
    out = aggregate(questions, records, support)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q, r in zip(questions, records):
        groups[q.type].append(r)
    for name, recs in [("overall", records)] + sorted(groups.items()):
        target = out["overall"] if name == "overall" else out["by_type"][name]
        totals = [float(r["timings_ms"]["total"]) for r in recs if "total" in r.get("timings_ms", {})]
        target["latency_p50_ms"] = percentile(totals, 50)
        target["latency_p95_ms"] = percentile(totals, 95)
        if judged:
            target.update(_judge_metrics(recs))
    out["latency"] = latency_summary(records)
    return out


def _judge_metrics(records: list[dict[str, Any]]) -> dict[str, float | None]:
    judged = [r["judge"] for r in records if r.get("judge")]
    faith = [j["faithfulness"] for j in judged if j.get("faithfulness") is not None]
    claims = sum(len(j.get("claims", [])) for j in judged)
    invalid = sum(int(j.get("invalid", 0)) for j in judged)
    return {
        "judge_faithfulness": sum(faith) / len(faith) if faith else None,
        "judge_invalid_rate": invalid / claims if claims else None,
    }


def machine_info() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or "",
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }
