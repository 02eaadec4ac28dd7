"""Fit the answer ranker (rag/ranker.py) and its refusal threshold on question sets.

For every question of the chosen part (default: the training part, evals/split.py) the product's
retriever finds its passages and every candidate sentence gets its features; a sentence is a
positive example when it holds an accepted spelling of the whole answer. Each answerable question is
asked a second time with its evidence (and every article holding its answer) filtered out, as
`newsqa eval --drop-evidence each` does: that instance, and every unanswerable question, should be
refused. Two logistic regressions are fit (cheap features on every candidate, all features), then
the refusal threshold and the named-things share are chosen by grouped cross-validation on the same
part: each fold's questions are decided by models fit on the other folds, and the pair that
maximises (share of answerable questions answered right) + (share of the others refused) is kept.

`newsqa train-ranker --questions Q --store S [--questions Q2 --articles A2 ...] --out FILE`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from newsqa.evals.metrics import answer_correct
from newsqa.evals.questions import Question, load_questions
from newsqa.evals.split import select_split
from newsqa.rag.sentences import Candidate
from newsqa.rag.features import CHEAP, FULL
from newsqa.rag.query import AnalysedQuestion, analyse
from newsqa.rag.recency import retrieve_in_time
from newsqa.rag.timeframe import read_time
from newsqa.rag.ranker import PRESELECT, Linear, RankerModel, featurise, load_model
from newsqa.rag.refusal import names_share
from newsqa.rag.select import FOLLOW
from newsqa.rag.types import Passage
from newsqa.settings import Settings

MIN_NAMES_GRID = (0.0, 0.25, 0.34, 0.5, 0.67, 0.75, 1.0)
FOLDS = 5


@dataclass
class Instance:
    """One question asked once, with or without its evidence."""

    qid: str
    answerable: bool  # False for an unanswerable question and for one asked without its evidence
    q: AnalysedQuestion
    passages: list[Passage]
    cands: list[Candidate]
    labels: list[int]


@dataclass(frozen=True)
class Source:
    """A question file and where its articles are: a store folder or article files to ingest."""

    questions: Path
    store: Path | None = None
    articles: tuple[str, ...] = ()


def collect(questions: Sequence[Question], settings: Settings, store: Any, embedder: Any,
            drop_evidence: bool = True, progress: Callable[[str], None] | None = None) -> list[Instance]:
    from newsqa.evals.run import _per_question_filters
    from newsqa.rag.retrieve import Retriever
    from newsqa.rag.support import SupportScorer

    scorer = SupportScorer(embedder)
    retriever = Retriever(store, embedder)
    model = load_model()
    asked = [q for q in questions if not q.turns]  # follow-ups need the conversation: skipped
    answers_of = {q.id: q.answers for q in asked if q.answerable and q.answers}
    filters = _per_question_filters(store, asked, answers_of) if drop_evidence else {}
    out: list[Instance] = []
    for q in asked:
        runs = [(q.answerable and bool(q.answers), None)]
        if drop_evidence and q.id in filters and q.answerable:
            runs.append((False, filters[q.id]))
        # the question as QA.stream answers it: its time words read against its as-of day and
        # taken out, retrieval bounded by that day and window
        as_of = q.as_of or date.today()
        reading = read_time(q.question, as_of)
        asked_text = reading.rest if reading else q.question
        aq = analyse(asked_text)
        for answerable, flt in runs:
            ret = retrieve_in_time(retriever, asked_text, settings.top_k, flt, reading, as_of,
                                   settings.max_chunks_per_article)
            cands = featurise(aq, ret.passages, scorer, model, full_for_all=True)
            labels = [int(answerable and answer_correct(c.text, q.answers)) for c in cands]
            out.append(Instance(q.id, answerable, aq, ret.passages, cands, labels))
        if progress:
            progress(q.id)
    return out


def _matrix(cands: list[Candidate], names: list[str]) -> np.ndarray:
    return np.array([c.features.vector(names) for c in cands], dtype=float).reshape(len(cands), len(names))


def _fit_linear(X: np.ndarray, y: np.ndarray, names: list[str], C: float = 1.0) -> Linear:
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit((X - mean) / scale, y)
    return Linear(tuple(names), tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                  tuple(float(v) for v in clf.coef_[0]), float(clf.intercept_[0]))


def fit_models(instances: list[Instance]) -> tuple[Linear, Linear]:
    cands = [c for i in instances for c in i.cands]
    y = np.array([lab for i in instances for lab in i.labels])
    if len(set(y.tolist())) < 2:
        raise ValueError("training needs both sentences that answer and sentences that do not: "
                         "check that the questions' answers occur in the articles")
    cheap = _fit_linear(_matrix(cands, CHEAP), y, CHEAP)
    full = _fit_linear(_matrix(cands, FULL), y, FULL)
    return cheap, full


def decide_inputs(inst: Instance, cheap: Linear, full: Linear) -> tuple[float, float, bool]:
    """(best probability, named-things share of its article, the answer is right) as the product
    would compute them: the cheap model pre-selects, the full model scores, and the answer quotes
    the best and the next ones within `select.FOLLOW` of it (up to three)."""
    if not inst.cands:
        return 0.0, 0.0, False
    order = sorted(range(len(inst.cands)), key=lambda k: -cheap.probability(inst.cands[k].features))
    top = order[:PRESELECT]
    probs = {k: full.probability(inst.cands[k].features) for k in top}
    ranked = sorted(top, key=lambda k: -probs[k])
    best = ranked[0]
    quoted = [k for k in ranked[:3] if probs[k] >= FOLLOW * probs[best]]
    by_n = {p.n: p for p in inst.passages}
    share = names_share(inst.q, [by_n[inst.cands[best].n]], inst.passages)
    return probs[best], share, any(inst.labels[k] for k in quoted)


def choose_refusal(rows: list[tuple[float, float, bool, bool]]) -> tuple[float, float, dict[str, float]]:
    """The (threshold, min_names) maximising answered-right share + refused share over rows of
    (best probability, names share, best is right, answerable)."""
    ans = [r for r in rows if r[3]]
    una = [r for r in rows if not r[3]]
    best_key: tuple[float, float, float] | None = None
    probs = sorted({round(r[0], 4) for r in rows} | {0.0})
    for t in probs:
        for m in MIN_NAMES_GRID:
            answered = lambda r: r[0] >= t and r[1] >= m  # noqa: E731
            right = sum(answered(r) and r[2] for r in ans) / max(1, len(ans))
            refused = sum(not answered(r) for r in una) / max(1, len(una))
            key = (right + refused, -t, -m)
            if best_key is None or key > best_key:
                best_key, best_stats = key, {"answered_right": right, "refused": refused,
                                             "answered": sum(answered(r) for r in ans) / max(1, len(ans))}
    assert best_key is not None
    return -best_key[1], -best_key[2], best_stats


def fit(instances: list[Instance], folds: int = FOLDS) -> tuple[RankerModel, dict[str, Any]]:
    """Weights on every instance; the refusal pair by grouped cross-validation."""
    qids = sorted({i.qid for i in instances})
    rng = np.random.default_rng(0)
    order = rng.permutation(len(qids))
    fold_of = {qids[k]: int(pos % folds) for pos, k in enumerate(order)}
    rows: list[tuple[float, float, bool, bool]] = []
    for f in range(folds):
        train = [i for i in instances if fold_of[i.qid] != f]
        held = [i for i in instances if fold_of[i.qid] == f]
        if not held or not train:
            continue
        cheap, full = fit_models(train)
        for i in held:
            p, share, right = decide_inputs(i, cheap, full)
            rows.append((p, share, right, i.answerable))
    threshold, min_names, cv = choose_refusal(rows)
    cheap, full = fit_models(instances)
    n_pos = sum(sum(i.labels) for i in instances)
    report = {"instances": len(instances), "questions": len(qids),
              "answerable_instances": sum(i.answerable for i in instances),
              "candidates": sum(len(i.cands) for i in instances), "positives": n_pos,
              "threshold": threshold, "min_names": min_names,
              "cv": {k: round(v, 4) for k, v in cv.items()}}
    return RankerModel(cheap, full, threshold, min_names, {"fit": report}), report


def train_ranker(sources: Sequence[Source], settings: Settings, split: str = "train",
                 out: Path | None = None, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Collect instances from every source, fit, write the weights to `out` (when given)."""
    from newsqa.index.embed import make_embedder
    from newsqa.index.store import Store

    embedder = make_embedder(settings)
    instances: list[Instance] = []
    sets: list[dict[str, Any]] = []
    for src in sources:
        questions = select_split(load_questions(src.questions), split)
        tmp: str | None = None
        try:
            if src.articles:
                from newsqa.index.ingest import ingest

                tmp = tempfile.mkdtemp(prefix="newsqa-train-")
                s = settings.with_overrides(store=Path(tmp), chroma_url="")
                store = Store(s, embedder.fingerprint)
                ingest(list(src.articles), s, embedder, store=store)
            else:
                s = settings.with_overrides(store=src.store) if src.store else settings
                store = Store(s, embedder.fingerprint)
            got = collect(questions, s, store, embedder, progress=progress)
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
        instances += got
        sets.append({"questions": str(src.questions), "split": split, "asked": len(got)})
    if not instances:
        raise ValueError("no questions to train on")
    model, report = fit(instances)
    report["sets"] = sets
    model = RankerModel(model.cheap, model.full, model.threshold, model.min_names, {"fit": report})
    if out is not None:
        model.save(out)
    return report
