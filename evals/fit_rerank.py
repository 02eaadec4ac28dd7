"""Fit the retriever's reranking weights (rag/rerank.py) on the training part of a question set.

    python -m newsqa.evals.fit_rerank --questions Q1.jsonl --store S1 [--questions Q2.jsonl --store S2 ...]
    python -m newsqa.evals.fit_rerank ... --no-fit --caps 0,2000,3000   (the join cap's effect only)

(one store per question set, in the same order; the product's weights were fit on two sets at once:
see rag/rerank.py)

For each answerable training question, asked as answering asks it (its time words read out and
nothing published after its as-of day), every candidate chunk the retriever proposes is a row of
features, labelled by whether the chunk holds the whole answer (in any accepted spelling) in an
evidence article. The weights maximise what retrieval is judged by, on the split they are fit on:
the share of questions with a gold article among the top-5 passages plus the share with the answer
inside them (passages chosen as the product chooses them: `select_passages`), with the reciprocal rank of
the first answer-bearing chunk as a tie-breaker. Both shares are step functions of the weights, so
the search is coordinate ascent over multiplicative steps from the current weights (a pointwise
logistic regression, `--method logistic`, fits the labels better and the top 5 worse). Fit on
`train`; read `validation` only to report.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from newsqa.evals.metrics import answer_correct
from newsqa.evals.questions import Question, load_questions
from newsqa.evals.split import select_split
from newsqa.index.articles import Chunk
from newsqa.rag.rerank import BIAS, FEATURES, WEIGHTS, Candidate


@dataclass
class Example:
    question: Question
    candidates: list[Candidate]
    features: np.ndarray
    groups: dict[str, set[str]]  # indexed article id -> the ids of its group (itself included)
    # the search evaluates thousands of weightings: labels and answer checks are computed once
    _labels: dict[bool, np.ndarray] = field(default_factory=dict)
    _answer_in: dict[tuple[str, ...], bool] = field(default_factory=dict)

    def answer_in(self, top: Sequence[Chunk]) -> bool:
        key = tuple(c.id for c in top)
        if key not in self._answer_in:
            self._answer_in[key] = answer_correct("\n".join(c.text for c in top), self.question.answers)
        return self._answer_in[key]


def collect(questions: Sequence[Question], retriever) -> list[Example]:
    from datetime import date

    from newsqa.rag.recency import time_filter
    from newsqa.rag.timeframe import read_time

    out = []
    for q in questions:
        as_of = q.as_of or date.today()
        reading = read_time(q.question, as_of)
        asked = reading.rest if reading else q.question
        cands = retriever.candidates_for(asked, time_filter(None, None, as_of))
        ids = list({c.chunk.article_id for c in cands})
        groups = {a: {a} for a in ids}
        for canon, members in retriever.store.duplicates_of(ids).items():
            groups.setdefault(canon, {canon}).update(m.id for m in members)
        feats = np.asarray([[c.features[n] for n in FEATURES] for c in cands], dtype=np.float64)
        out.append(Example(q, cands, feats.reshape(len(cands), len(FEATURES)), groups))
    return out


def labels(ex: Example, anywhere: bool = False) -> np.ndarray:
    if anywhere not in ex._labels:
        ex._labels[anywhere] = _labels(ex, anywhere)
    return ex._labels[anywhere]


def _labels(ex: Example, anywhere: bool) -> np.ndarray:
    gold = set(ex.question.evidence_ids)
    return np.asarray([
        answer_correct(c.chunk.text, ex.question.answers)
        and (anywhere or bool(ex.groups.get(c.chunk.article_id, {c.chunk.article_id}) & gold))
        for c in ex.candidates], dtype=np.int64)


def top_passages(ex: Example, w: np.ndarray, bias: float, k: int = 5, per_article: int = 2,
                 merge_max_chars: int | None = None) -> list[Chunk]:
    from newsqa.rag.retrieve import MERGE_MAX_CHARS, select_passages

    cap = MERGE_MAX_CHARS if merge_max_chars is None else merge_max_chars
    return [chunk for chunk, _ in select_passages(ex.candidates, ex.features @ w + bias, k, per_article, cap)]


def evaluate(examples: Sequence[Example], w: np.ndarray, bias: float,
             merge_max_chars: int | None = None) -> dict[str, float]:
    """The top-5 shares, and the passages' mean length in characters (what the answer stage reads)."""
    hit = ans = chars = 0
    for ex in examples:
        top = top_passages(ex, w, bias, merge_max_chars=merge_max_chars)
        gold = set(ex.question.evidence_ids)
        hit += any(ex.groups.get(c.article_id, {c.article_id}) & gold for c in top)
        ans += ex.answer_in(top)
        chars += sum(len(c.text) for c in top)
    n = max(1, len(examples))
    return {"gold_article_in_top5": hit / n, "answer_in_top5_passages": ans / n,
            "passage_chars_mean": round(chars / n), "n": len(examples)}


def objective(examples: Sequence[Example], w: np.ndarray) -> float:
    m = evaluate(examples, w, 0.0)
    rr = 0.0
    for ex in examples:
        y = labels(ex)
        if y.any():
            order = np.argsort(-(ex.features @ w), kind="stable")
            rr += 1.0 / (int(np.flatnonzero(y[order])[0]) + 1)
    return m["gold_article_in_top5"] + m["answer_in_top5_passages"] + 0.2 * rr / max(1, len(examples))


def coordinate_ascent(examples: Sequence[Example], start: np.ndarray, rounds: int = 4) -> np.ndarray:
    best, best_obj = start.astype(np.float64).copy(), objective(examples, start)
    for _ in range(rounds):
        improved = False
        for i in range(len(best)):
            # multiplicative steps keep a weight's sign; a zero weight (a new feature) tries both
            steps = [best[i] * f for f in (0.0, 0.25, 0.5, 0.8, 1.25, 2.0, 4.0)] if best[i] else \
                [s * 0.5 * f for s in (1.0, -1.0) for f in (0.25, 0.5, 0.8, 1.25, 2.0, 4.0)]
            for value in steps:
                w = best.copy()
                w[i] = value
                o = objective(examples, w)
                if o > best_obj + 1e-9:
                    best, best_obj, improved = w, o, True
        if not improved:
            break
    return best


def fit(examples: Sequence[Example], anywhere: bool = False, c: float = 1.0) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([ex.features for ex in examples if len(ex.candidates)])
    y = np.concatenate([labels(ex, anywhere) for ex in examples if len(ex.candidates)])
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(x, y)
    return model.coef_[0], float(model.intercept_[0])


def main(argv: Sequence[str] | None = None) -> int:
    from newsqa.index.embed import make_embedder
    from newsqa.index.store import Store
    from newsqa.rag.retrieve import Retriever
    from newsqa.settings import Settings

    p = argparse.ArgumentParser(prog="python -m newsqa.evals.fit_rerank", description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", required=True, action="append")
    p.add_argument("--store", required=True, action="append")
    p.add_argument("--split", default="train")
    p.add_argument("--method", choices=("ascent", "logistic"), default="ascent")
    p.add_argument("--label", choices=("answer-in-evidence", "answer-anywhere"), default="answer-in-evidence",
                   help="logistic only: which chunks count as positive")
    p.add_argument("--c", type=float, default=1.0, help="logistic only: inverse regularisation strength")
    p.add_argument("--caps", metavar="N,N,...",
                   help="also report the current weights' top-5 shares and passage length with each of these "
                        "join caps in characters (0: chunks kept apart)")
    p.add_argument("--no-fit", action="store_true", help="only report the current weights (with --caps: per cap)")
    args = p.parse_args(argv)
    if len(args.questions) != len(args.store):
        p.error("give one --store per --questions, in the same order")
    sets: dict[str, list[Example]] = {}
    for qfile, store in zip(args.questions, args.store):
        settings = Settings(store=Path(store))
        embedder = make_embedder(settings)  # the runtime follows each store's vectors
        retriever = Retriever(Store(settings, embedder.fingerprint), embedder)
        qs = [q for q in select_split(load_questions(Path(qfile)), args.split)
              if q.answerable and q.answers and q.evidence_ids]
        sets[qfile] = collect(qs, retriever)
    examples = [ex for exs in sets.values() for ex in exs]
    start = np.asarray([WEIGHTS[n] for n in FEATURES], dtype=np.float64)
    out: dict = {"split": args.split,
                 "sets": {name: {"questions": len(exs), "current_weights": evaluate(exs, start, BIAS)}
                          for name, exs in sets.items()}}
    if args.caps:
        try:
            caps = [int(c) for c in args.caps.split(",") if c.strip()]
        except ValueError:
            p.error(f"--caps: give whole numbers of characters separated by commas, not {args.caps!r}")
        for name, exs in sets.items():
            out["sets"][name]["by_join_cap"] = {str(c): evaluate(exs, start, BIAS, c) for c in caps}
    if not args.no_fit:
        if args.method == "ascent":
            w, b = coordinate_ascent(examples, start), BIAS
        else:
            w, b = fit(examples, args.label == "answer-anywhere", args.c)
        for name, exs in sets.items():
            out["sets"][name]["fitted"] = evaluate(exs, w, b)
        out["weights"] = {n: round(float(v), 3) for n, v in zip(FEATURES, w)}
        out["bias"] = round(b, 3)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
