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
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from newsqa.evals.metrics import answer_correct
from newsqa.evals.questions import Question, load_questions
from newsqa.evals.split import select_split
from newsqa.evals.train_cache import (FORMAT, Analyses, Asked, TrainCache, digest, file_digest,
                                      source_code_digest, store_identity)
from newsqa.rag.sentences import Candidate
from newsqa.rag.features import CHEAP, FULL
from newsqa.rag.query import AnalysedQuestion, analyse, analysed_parts
from newsqa.rag.recency import retrieve_in_time
from newsqa.rag.timeframe import read_time
from newsqa.rag.ranker import PRESELECT, Linear, RankerModel, featurise, load_model
from newsqa.rag.recase import recase
from newsqa.rag.refusal import QUESTION_FEATURES, SIGNS, QuestionFeatures, names_share, question_features
from newsqa.rag.select import FOLLOW
from newsqa.rag.stack import RuleView, read_rules
from newsqa.rag.types import Passage
from newsqa.settings import Settings

if TYPE_CHECKING:
    from newsqa.rag.span import Embed

MIN_NAMES_GRID = (0.0, 0.25, 0.34, 0.5, 0.67, 0.75, 1.0)
FOLDS = 5
REPEATS = 3  # cross-validation repeated with other fold assignments


@dataclass
class Instance:
    """One question asked once, with or without its evidence, with its featurised candidates."""

    qid: str
    answerable: bool  # False for an unanswerable question and for one asked without its evidence
    q: AnalysedQuestion
    passages: list[Passage]
    cands: list[Candidate]
    labels: list[int]
    answers: list[list[str]] = field(default_factory=list)  # the accepted spellings, part by part
    rules: RuleView | None = None  # the rule path's reading of the passages (stack.py)


@dataclass(frozen=True)
class Source:
    """A question file and where its articles are: a store folder or article files to ingest."""

    questions: Path
    store: Path | None = None
    articles: tuple[str, ...] = ()


def retrieve_questions(questions: Sequence[Question], settings: Settings, store: Any, embedder: Any,
                       drop_evidence: bool = True,
                       progress: Callable[[str], None] | None = None) -> list[Asked]:
    """Every question asked as answering asks it (a follow-up made standalone from its earlier
    turns, time words read against its as-of day and taken out, retrieval bounded by that day and
    window), and each answerable one again with its evidence filtered out."""
    from newsqa.evals.run import _per_question_filters
    from newsqa.rag.chat import Turn, needs_context, standalone_question
    from newsqa.rag.qa import build_qa

    qa = build_qa(settings, store=store, embedder=embedder)
    answers_of = {q.id: q.answers for q in questions if q.answerable and q.answers}
    filters = _per_question_filters(store, list(questions), answers_of) if drop_evidence else {}
    out: list[Asked] = []
    for q in questions:
        as_of = q.as_of or date.today()
        text = q.question
        if q.turns:  # as QA.stream makes it standalone
            history = [Turn(t) for t in q.turns]
            if needs_context(q.question):
                history = qa._answered(history, None, as_of)
            text = standalone_question(q.question, history)
        runs = [(q.answerable and bool(q.answers), None)]
        if drop_evidence and q.id in filters and q.answerable:
            runs.append((False, filters[q.id]))
        reading = read_time(text, as_of)
        asked_text = reading.rest if reading else text
        for answerable, flt in runs:
            ret = retrieve_in_time(qa.retriever, asked_text, settings.top_k, flt, reading, as_of,
                                   settings.max_chunks_per_article)
            out.append(Asked(q.id, answerable, asked_text, q.answers if answerable else [],
                             ret.passages, q.type or ""))
        if progress:
            progress(q.id)
    return out


def featurise_asked(asked: Sequence[Asked], scorer: Any, analyses: Analyses | None = None,
                    model: RankerModel | None = None) -> list[Instance]:
    """Instances with every candidate's features (cheap and full) and labels: a sentence is a
    positive when it holds an accepted spelling of the whole answer. A compound question whose
    answer has one part per question part is trained on part by part, as it is answered
    (backends/ranked.py); each part is an instance of the same question (one CV group)."""
    analyses = analyses or Analyses(None, "")
    embed = analyses.embedder(scorer)
    model = model or load_model()
    out: list[Instance] = []
    for a in asked:
        aq = analyse(recase(a.text, [p.chunk.text for p in a.passages]))  # as QA.stream reads it
        parts = analysed_parts(aq)
        if len(parts) > 1 and (not a.answerable or len(a.answers) == len(parts)):
            asks = [(p, [a.answers[j]] if a.answerable else []) for j, p in enumerate(parts)]
        else:
            asks = [(aq, a.answers)]
        for q, answers in asks:
            rules = read_rules(q.text, a.passages, embed)  # per part, as answering reads it
            cands = featurise(q, a.passages, embed, model, full_for_all=True, analyser=analyses.analyser,
                              rules=rules)
            labels = [int(a.answerable and answer_correct(c.text, answers)) for c in cands]
            out.append(Instance(a.qid, a.answerable, q, a.passages, cands, labels, answers, rules))
    return out


def collect(questions: Sequence[Question], settings: Settings, store: Any, embedder: Any,
            drop_evidence: bool = True, progress: Callable[[str], None] | None = None) -> list[Instance]:
    from newsqa.rag.support import SupportScorer

    asked = retrieve_questions(questions, settings, store, embedder, drop_evidence, progress)
    return featurise_asked(asked, SupportScorer(embedder))


def _matrix(cands: list[Candidate], names: list[str]) -> np.ndarray:
    return np.array([c.features.vector(names) for c in cands], dtype=float).reshape(len(cands), len(names))


def _fit_linear(X: np.ndarray, y: np.ndarray, names: list[str], C: float = 1.0,
                signs: dict[str, int] | None = None) -> Linear:
    """A standardised L2 logistic regression (scikit-learn's, same C); with `signs`, the named
    features' weights are kept >= 0 (sign 1) or <= 0 (sign -1)."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    if signs:
        coef, intercept = _fit_signed(Z, y, [signs.get(n, 0) for n in names], C)
    else:
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=C, max_iter=2000)
        clf.fit(Z, y)
        coef, intercept = clf.coef_[0], float(clf.intercept_[0])
    return Linear(tuple(names), tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                  tuple(float(v) for v in coef), float(intercept))


def _fit_signed(Z: np.ndarray, y: np.ndarray, signs: list[int], C: float) -> tuple[np.ndarray, float]:
    """Minimise C * log loss + |w|^2 / 2 (the intercept unpenalised) with bounds on the signed
    weights (L-BFGS-B)."""
    from scipy.optimize import minimize

    t = 2.0 * np.asarray(y, dtype=float) - 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        m = t * (Z @ w + b)
        value = C * float(np.logaddexp(0.0, -m).sum()) + 0.5 * float(w @ w)
        g = -C * t / (1.0 + np.exp(np.clip(m, -500, 500)))
        return value, np.concatenate([Z.T @ g + w, [g.sum()]])

    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in signs]
    res = minimize(loss, np.zeros(Z.shape[1] + 1), jac=True, method="L-BFGS-B",
                   bounds=bounds + [(None, None)], options={"maxiter": 5000})
    return res.x[:-1], float(res.x[-1])


def fit_models(instances: list[Instance]) -> tuple[Linear, Linear]:
    cands = [c for i in instances for c in i.cands]
    y = np.array([lab for i in instances for lab in i.labels])
    if len(set(y.tolist())) < 2:
        raise ValueError("training needs both sentences that answer and sentences that do not: "
                         "check that the questions' answers occur in the articles")
    cheap = _fit_linear(_matrix(cands, CHEAP), y, CHEAP)
    full = _fit_linear(_matrix(cands, FULL), y, FULL)
    return cheap, full


SPAN_C = 1.0  # L2 strength of the span model (cross-validated on the training parts: C 0.3 and 1
# chose a right span for 0.383 and 0.386 of answerable instances)


def _quoted(inst: Instance, cheap: Linear, full: Linear) -> tuple[list[Candidate], list[Candidate]]:
    """The instance's ranked candidates (pre-selected, scored by `full`, best first) and the ones
    the answer quotes (select.py), as answering makes them."""
    from newsqa.rag.select import select

    top = sorted(inst.cands, key=lambda c: -cheap.probability(c.features))[:PRESELECT]
    ranked = sorted((replace(c, score=full.probability(c.features), citations=[], cited_spans={}) for c in top),
                    key=lambda c: -c.score)
    return ranked, select(ranked)


def span_groups(instances: Sequence[Instance], cheap: Linear, full: Linear, embed: Embed | None = None
                ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per answerable instance, its candidate spans' features and whether each is right (an accepted
    spelling of the answer, as `newsqa eval` judges a short answer)."""
    from newsqa.evals.metrics import short_answer_correct
    from newsqa.rag.select import span_answer
    from newsqa.rag.span import SPAN_FEATURES, span_candidates

    out = []
    for inst in instances:
        if not inst.answerable or not inst.cands or not inst.q.typed:
            continue
        ranked, quoted = _quoted(inst, cheap, full)
        spans = span_candidates(inst.q, quoted, ranked, embed)
        if spans:
            X = np.array([s.features.vector(SPAN_FEATURES) for s in spans], dtype=float)
            y = np.array([short_answer_correct(span_answer(s.cand, s.ent).text, inst.answers) for s in spans],
                         dtype=float)
            out.append((X, y))
    return out


def fit_span(groups: list[tuple[np.ndarray, np.ndarray]], C: float = SPAN_C) -> Linear | None:
    """The span model: one choice per question, a conditional logit (weights w maximising
    log(sum of exp(w.x) over the right spans / sum over all the question's spans) - |w|^2 / (2C)),
    which ranks a question's spans against each other; a pointwise logistic regression over all
    spans chose no better than the hand-set rule (0.355 against 0.367, cross-validated). None when
    no question has a right span."""
    from scipy.optimize import minimize

    from newsqa.rag.span import SPAN_FEATURES

    if not any(y.any() for _, y in groups):
        return None
    X = np.vstack([x for x, _ in groups])
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    useful = [((x - mean) / scale, y) for x, y in groups if y.any()]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = 0.5 * float(w @ w) / C, w / C
        for z, y in useful:
            s = z @ w
            e = np.exp(s - s.max())
            ey = e * y
            value -= float(np.log(ey.sum()) - np.log(e.sum()))
            grad = grad - z.T @ (ey / ey.sum() - e / e.sum())
        return value, grad

    w = minimize(loss, np.zeros(len(SPAN_FEATURES)), jac=True, method="L-BFGS-B").x
    return Linear(tuple(SPAN_FEATURES), tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                  tuple(float(v) for v in w), 0.0)


def short_right(inst: Instance, cheap: Linear, full: Linear, span: Linear | None,
                embed: Embed | None = None) -> bool:
    """Whether the short answer (the span model's, or without one the rule's) is right."""
    from newsqa.evals.metrics import short_answer_correct
    from newsqa.rag.select import short_answer
    from newsqa.rag.span import learned_short_answer

    ranked, quoted = _quoted(inst, cheap, full)
    if span is not None:
        sh = learned_short_answer(inst.q, quoted, ranked, span, embed)
    else:
        sh = next((x for x in (short_answer(inst.q, c) for c in quoted) if x is not None), None)
    return sh is not None and short_answer_correct(sh.text, inst.answers)


@dataclass
class Row:
    """One instance as decided by models that did not see its question (cross-validation)."""

    qid: str
    best: float  # the best candidate's probability
    share: float  # named-things share of its article
    right: bool  # the quoted sentences hold the answer
    answerable: bool
    qf: QuestionFeatures
    preselected: bool = False  # a sentence holding the answer is among those the full model scores
    anywhere: bool = False  # a candidate sentence of the passages holds the answer


def by_set(rows: Sequence[Row], scores: Sequence[float], threshold: float, min_names: float,
           set_of: dict[str, str]) -> dict[str, dict[str, float]]:
    """The cross-validated figures per question set: a gain on the pooled figures can come from
    one set alone (the bundled set's questions share two articles)."""
    out: dict[str, dict[str, float]] = {}
    for name in dict.fromkeys(set_of.values()):
        got = [(r, s) for r, s in zip(rows, scores) if set_of.get(r.qid) == name]
        ans = [(r, s) for r, s in got if r.answerable]
        una = [(r, s) for r, s in got if not r.answerable]
        n_a, n_u = max(1, len(ans)), max(1, len(una))

        def answered(r: Row, s: float) -> bool:
            return s >= threshold and r.share >= min_names

        out[name] = {"answerable": len(ans), "not_answerable": len(una),
                     "quoted_right": round(sum(r.right for r, _ in ans) / n_a, 4),
                     "preselected": round(sum(r.preselected for r, _ in ans) / n_a, 4),
                     "answered_right": round(sum(r.right and answered(r, s) for r, s in ans) / n_a, 4),
                     "refused": round(sum(not answered(r, s) for r, s in una) / n_u, 4)}
    return out


def decide_inputs(inst: Instance, cheap: Linear, full: Linear) -> Row:
    """The instance as the product would decide it: the cheap model pre-selects, the full model
    scores, and the answer quotes the best and the next ones within `select.FOLLOW` of it (up to
    three)."""
    if not inst.cands:
        return Row(inst.qid, 0.0, 0.0, False, inst.answerable,
                   question_features(inst.q, [], inst.passages, inst.rules))
    order = sorted(range(len(inst.cands)), key=lambda k: -cheap.probability(inst.cands[k].features))
    top = order[:PRESELECT]
    probs = {k: full.probability(inst.cands[k].features) for k in top}
    ranked = sorted(top, key=lambda k: -probs[k])
    best = ranked[0]
    quoted = [k for k in ranked[:3] if probs[k] >= FOLLOW * probs[best]]
    if inst.rules is not None and not inst.rules.refuse and inst.rules.chosen:
        # the rules' first sentence follows the ranker's choice (stack.rules_first_choice)
        quoted += [k for k, c in enumerate(inst.cands) if (c.n, c.index) == inst.rules.chosen[0]]
    by_n = {p.n: p for p in inst.passages}
    share = names_share(inst.q, [by_n[inst.cands[best].n]], inst.passages)
    scored = [replace(inst.cands[k], score=probs[k]) for k in ranked]
    qf = question_features(inst.q, scored, inst.passages, inst.rules)
    return Row(inst.qid, probs[best], share, any(inst.labels[k] for k in quoted), inst.answerable, qf,
               any(inst.labels[k] for k in top), any(inst.labels))


def _objective(answered: Sequence[bool], rows: Sequence[Row]) -> tuple[float, dict[str, float]]:
    """(share of answerable instances answered right) + (share of the others refused)."""
    ans = [(a, r) for a, r in zip(answered, rows) if r.answerable]
    una = [(a, r) for a, r in zip(answered, rows) if not r.answerable]
    right = sum(a and r.right for a, r in ans) / max(1, len(ans))
    refused = sum(not a for a, _ in una) / max(1, len(una))
    return right + refused, {"answered_right": right, "refused": refused,
                             "answered": sum(a for a, _ in ans) / max(1, len(ans))}


def choose_refusal(rows: list[tuple[float, float, bool, bool]]) -> tuple[float, float, dict[str, float]]:
    """The (threshold, min_names) maximising answered-right share + refused share over rows of
    (score, names share, best is right, answerable); ties go to the lower threshold, then the lower
    share."""
    p = np.array([r[0] for r in rows], dtype=float)
    share = np.array([r[1] for r in rows], dtype=float)
    right = np.array([r[2] for r in rows], dtype=bool)
    ans = np.array([r[3] for r in rows], dtype=bool)
    n_ans, n_una = max(1, int(ans.sum())), max(1, int((~ans).sum()))
    thresholds = np.array(sorted({round(float(x), 4) for x in p} | {0.0}))
    best: tuple[float, float, float, dict[str, float]] | None = None
    for m in MIN_NAMES_GRID:
        answered = (p[None, :] >= thresholds[:, None]) & (share[None, :] >= m)
        got_right = (answered & (ans & right)[None, :]).sum(axis=1) / n_ans
        refused = (~answered & (~ans)[None, :]).sum(axis=1) / n_una
        k = int(np.argmax(got_right + refused))  # the first maximum: the lowest threshold
        score = float(got_right[k] + refused[k])
        better = best is None or score > best[0] + 1e-12 or (
            abs(score - best[0]) <= 1e-12 and float(thresholds[k]) < best[1])
        if better:
            best = (score, float(thresholds[k]), m, {
                "answered_right": float(got_right[k]), "refused": float(refused[k]),
                "answered": float((answered[k] & ans).sum() / n_ans)})
    assert best is not None
    return best[1], best[2], best[3]


def _folds(qids: Sequence[str], folds: int, seed: int) -> dict[str, int]:
    keys = sorted(set(qids))
    order = np.random.default_rng(seed).permutation(len(keys))
    return {keys[k]: int(pos % folds) for pos, k in enumerate(order)}


def _answerable_oof(rows: list[Row], folds: int, seed: int) -> list[float]:
    """Each row's answerability probability from a model fit on the other folds' rows."""
    fold_of = _folds([r.qid for r in rows], folds, seed)
    out = [0.0] * len(rows)
    for f in range(folds):
        tr = [r for r in rows if fold_of[r.qid] != f]
        if len({r.answerable for r in tr}) < 2:
            continue
        m = fit_answerable(tr)
        for k, r in enumerate(rows):
            if fold_of[r.qid] == f:
                out[k] = m.probability(r.qf)
    return out


def fit_answerable(rows: Sequence[Row], C: float = 1.0) -> Linear:
    """The question-level model: is the answer in these passages (the instance is answerable)."""
    X = np.array([r.qf.vector(QUESTION_FEATURES) for r in rows], dtype=float)
    y = np.array([int(r.answerable) for r in rows])
    return _fit_linear(X, y, QUESTION_FEATURES, C=C, signs=SIGNS)


def fit(instances: list[Instance], folds: int = FOLDS, set_of: dict[str, str] | None = None,
        embed: Embed | None = None) -> tuple[RankerModel, dict[str, Any]]:
    """Weights on every instance; the refusal decision by grouped cross-validation: the ranker's
    outputs on each fold come from models fit on the others, and the answerability model is then
    judged by a second grouped cross-validation over those outputs; both are repeated with
    `REPEATS` fold assignments and the threshold chosen over all of them. Of the two decisions (a
    threshold on the best probability with a names share, or on the answerability model) the one
    with the higher cross-validated objective is kept."""
    # repeated with REPEATS fold assignments, so that the threshold does not rest on one split
    rows: list[Row] = []
    oof: list[float] = []
    span_cv = {"rule": 0, "model": 0, "n": 0}  # short answers right, first fold assignment
    for rep in range(REPEATS):
        fold_of = _folds([i.qid for i in instances], folds, rep)
        got: list[Row] = []
        for f in range(folds):
            train = [i for i in instances if fold_of[i.qid] != f]
            held = [i for i in instances if fold_of[i.qid] == f]
            if not held or not train:
                continue
            cheap, full = fit_models(train)
            got += [decide_inputs(i, cheap, full) for i in held]
            if rep == 0:
                span = fit_span(span_groups(train, cheap, full, embed))
                for i in held:
                    if i.answerable and i.cands:
                        span_cv["n"] += 1
                        span_cv["rule"] += short_right(i, cheap, full, None)
                        span_cv["model"] += short_right(i, cheap, full, span, embed)
        rows += got
        oof += _answerable_oof(got, folds, 100 + rep)
    threshold, min_names, cv = choose_refusal([(r.best, r.share, r.right, r.answerable) for r in rows])
    plain = {"threshold": threshold, "min_names": min_names}
    plain_score = cv["answered_right"] + cv["refused"]
    answerable: Linear | None = None
    cv_model: dict[str, float] = {}
    if len({r.answerable for r in rows}) == 2:
        t2, m2, cv_model = choose_refusal([(p, r.share, r.right, r.answerable) for p, r in zip(oof, rows)])
        if cv_model["answered_right"] + cv_model["refused"] > plain_score:
            answerable, threshold, min_names = fit_answerable(rows), t2, m2
    cheap, full = fit_models(instances)
    span_model = fit_span(span_groups(instances, cheap, full, embed))
    n_pos = sum(sum(i.labels) for i in instances)
    report = {"instances": len(instances), "questions": len({i.qid for i in instances}),
              "answerable_instances": sum(i.answerable for i in instances),
              "candidates": sum(len(i.cands) for i in instances), "positives": n_pos,
              "threshold": threshold, "min_names": min_names,
              "refusal": "answerability model" if answerable else "best probability",
              "cv": {k: round(v, 4) for k, v in (cv_model if answerable else cv).items()},
              "cv_best_probability": {**{k: round(v, 4) for k, v in cv.items()}, **plain},
              "cv_answerability_model": {k: round(v, 4) for k, v in cv_model.items()},
              # the ranker alone: answerable instances whose quoted sentences hold the answer
              "cv_quoted_right": round(sum(r.right for r in rows if r.answerable)
                                       / max(1, sum(r.answerable for r in rows)), 4),
              # ... whose answer is among the candidates the full model scores (the cheap model's
              # pre-selection), and anywhere in the passages: what each stage loses
              "cv_preselected": round(sum(r.preselected for r in rows if r.answerable)
                                      / max(1, sum(r.answerable for r in rows)), 4),
              "answer_in_passages": round(sum(r.anywhere for r in rows if r.answerable)
                                          / max(1, sum(r.answerable for r in rows)), 4),
              # answerable instances whose short answer is right: the rule's, the span model's
              "cv_short_rule": round(span_cv["rule"] / max(1, span_cv["n"]), 4),
              "cv_short_model": round(span_cv["model"] / max(1, span_cv["n"]), 4)}
    if set_of:
        scores = oof if answerable is not None else [r.best for r in rows]
        report["cv_by_set"] = by_set(rows, scores, threshold, min_names, set_of)
    return RankerModel(cheap, full, threshold, min_names, {"fit": report}, answerable, span_model), report


def judge(model: RankerModel, instances: Sequence[Instance]) -> dict[str, float]:
    """How `model` decides `instances`, as answering decides them: the share of answerable ones
    answered with quoted sentences that hold the answer, the share answered at all, the share of
    the others refused (the threshold and names share as `choose_refusal` applies them)."""
    rows = [decide_inputs(inst, model.cheap, model.full) for inst in instances]
    answered = []
    for inst, row in zip(instances, rows):
        p = model.answerable.probability(row.qf) if model.answerable is not None else row.best
        answered.append(bool(inst.cands) and p >= model.threshold and row.share >= model.min_names)
    _, figures = _objective(answered, rows)
    n_ans = sum(r.answerable for r in rows)
    return {"answerable": n_ans, "not_answerable": len(rows) - n_ans,
            **{k: round(figures[k], 4) for k in ("answered_right", "answered", "refused")}}


def held_out_sets(instances: list[Instance], set_of: dict[str, str],
                  embed: Embed | None = None) -> dict[str, dict[str, float]]:
    """Per question set: the weights fit on every other set, judged on this one. Cross-validation
    mixes every set's questions in each fold; this is how the weights carry to news and questions
    of a kind they never saw, which is what a user's own corpus is. A set is left out of this
    when the others lack answerable or unanswerable instances."""
    out: dict[str, dict[str, float]] = {}
    for name in dict.fromkeys(set_of.values()):
        rest = [i for i in instances if set_of.get(i.qid) != name]
        held = [i for i in instances if set_of.get(i.qid) == name]
        if not held or len({i.answerable for i in rest}) < 2 or not any(any(i.labels) for i in rest):
            continue
        model, _ = fit(rest, embed=embed)
        out[name] = judge(model, held)
    return out


@dataclass
class Collected:
    """What fitting reads: every source's instances, the question set each instance comes from (by
    question id), and a line per set for the report."""

    instances: list[Instance]
    set_of: dict[str, str]
    sets: list[dict[str, Any]]
    # the answer path's sentence vectors (the span model's `completes` feature reads them)
    embed: "Embed | None" = None


def train_ranker(sources: Sequence[Source], settings: Settings, split: str = "train",
                 out: Path | None = None, progress: Callable[[str], None] | None = None,
                 cache_dir: Path | None = None, held_out: bool = False) -> dict[str, Any]:
    """Collect instances from every source, fit, write the weights to `out` (when given).
    With `cache_dir`, retrievals and sentence analyses are kept there (evals/train_cache.py).
    With `held_out` and two sets or more, the report adds `held_out_sets` (one more fit per set)."""
    got = collect_instances(sources, settings, split, progress, cache_dir)
    if not got.instances:
        raise ValueError("no questions to train on")
    model, report = fit(got.instances, set_of=got.set_of, embed=got.embed)
    report["sets"] = got.sets
    if held_out and len(got.sets) > 1:
        report["held_out_sets"] = held_out_sets(got.instances, got.set_of, got.embed)
    model = replace(model, meta={"fit": report})
    if out is not None:
        model.save(out)
    return report


def collect_instances(sources: Sequence[Source], settings: Settings, split: str = "train",
                      progress: Callable[[str], None] | None = None,
                      cache_dir: Path | None = None) -> Collected:
    """Every source's questions of `split`, retrieved and featurised as answering would (with
    `cache_dir`, from and into its caches). A variant of the model (a feature, a decision) is tried
    by fitting on these: `fit(c.instances, set_of=c.set_of)` and `held_out_sets(...)`."""
    from newsqa.index.embed import make_embedder
    from newsqa.index.store import SCHEMA, Store
    from newsqa.rag.analyse import MODEL, nlp
    from newsqa.rag.support import SupportScorer

    cache = TrainCache(cache_dir)
    pipeline = f"{MODEL}-{nlp().meta.get('version', '')}"
    analyses_of: dict[str, Analyses] = {}
    set_of: dict[str, str] = {}  # question id -> its question file, for the figures per set
    instances: list[Instance] = []
    sets: list[dict[str, Any]] = []
    embed: Embed | None = None  # the first source's scorer's: every scorer embeds alike
    for src in sources:
        # each store is read with the embedder that built it (the "auto" runtime reads an int8
        # store with int8); article files are ingested as `newsqa eval --articles` ingests them
        s = settings.with_overrides(store=src.store) if src.store and not src.articles else settings
        embedder = make_embedder(s)
        preload = getattr(embedder, "preload", None)
        if preload is not None:
            # the features are computed by the engine that answers in `newsqa serve` and `newsqa
            # eval` (torch, loaded at start), not the numpy encoder a cold process begins with,
            # whose int8 vectors differ for a few sentences (cosine down to about 0.98)
            preload()
        if embedder.fingerprint not in analyses_of:
            analyses_of[embedder.fingerprint] = Analyses.load(cache_dir, pipeline, embedder.fingerprint)
        analyses = analyses_of[embedder.fingerprint]
        scorer = SupportScorer(embedder)
        embed = embed or scorer.embed
        retrieval_key = (source_code_digest(), settings.top_k, settings.max_chunks_per_article,
                         embedder.fingerprint, settings.chunk_tokens, settings.chunk_overlap, SCHEMA,
                         FORMAT)
        questions = select_split(load_questions(src.questions), split)
        q_key = (file_digest([src.questions]), split)
        asked: list[Asked] | None = None
        key = ""
        if src.articles:
            key = digest("articles", file_digest(list(src.articles)), q_key, retrieval_key)
            asked = cache.retrievals(key)
        tmp: str | None = None
        try:
            if asked is None:
                if src.articles:
                    from newsqa.index.ingest import ingest

                    tmp = tempfile.mkdtemp(prefix="newsqa-train-")
                    s = settings.with_overrides(store=Path(tmp), chroma_url="")
                    store = Store(s, embedder.fingerprint)
                    ingest(list(src.articles), s, embedder, store=store)
                else:
                    store = Store(s, embedder.fingerprint)
                    key = digest("store", store_identity(store), q_key, retrieval_key)
                    asked = cache.retrievals(key)
                if asked is None:
                    asked = retrieve_questions(questions, s, store, embedder, progress=progress)
                    cache.save_retrievals(key, asked)
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
        got = featurise_asked(asked, scorer, analyses)
        analyses.save()
        set_of.update({i.qid: str(src.questions) for i in got})
        instances += got
        sets.append({"questions": str(src.questions), "split": split, "asked": len(got)})
    return Collected(instances, set_of, sets, embed)
