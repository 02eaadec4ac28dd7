"""Scoring candidate sentences with weights learned from data.

Two logistic regressions over `Features` (features.py), fit by `newsqa train-ranker` and stored in
rag/data/ranker.json with the refusal model (refusal.py) and the short answer's span model (span.py;
refit them all on your own news with that command):
  cheap: on the cheap features of every candidate; the best `preselect` go on;
  full:  on all features of those few (after spaCy and the embedder have read them); its output is
         the probability that the sentence answers the question, the score that selection and the
         refusal threshold (stored in the same file) read.

`rank(question, passages, scorer)` runs candidates -> features -> score and returns the candidates
best first.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from newsqa.rag.analyse import analyse_sentences
from newsqa.rag.sentences import Candidate, quotable_candidates
from newsqa.rag.features import Features, cheap_features, full_features

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.stack import RuleView
    from newsqa.rag.support import SupportScorer
    from newsqa.rag.types import Passage

PRESELECT = 6  # candidates analysed by spaCy and embedded per question: their cost is most of the
# answer stage, and on the validation parts the best 6 by the cheap model answer as the best 10 do


@dataclass(frozen=True)
class Linear:
    """A standardised logistic regression: p = sigmoid(intercept + coef . (x - mean) / scale)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, f: "Features | Any") -> float:
        """`f`: any object with `vector(names)` (Features, refusal.QuestionFeatures)."""
        z = self.intercept
        for x, m, s, w in zip(f.vector(list(self.features)), self.mean, self.scale, self.coef):
            z += w * (x - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Linear":
        return cls(tuple(d["features"]), tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]),
                   float(d["intercept"]))


@dataclass(frozen=True)
class RankerModel:
    cheap: Linear
    full: Linear
    threshold: float  # refuse below this: the answerability model's probability when there is one,
    # else the best candidate's probability
    min_names: float  # ... or when the cited articles hold less than this share of the named things
    meta: dict[str, Any]
    answerable: Linear | None = None  # question-level: is the answer in these passages (refusal.py)
    span: Linear | None = None  # the short answer's span among the quoted sentences' (span.py)

    def to_json(self) -> dict[str, Any]:
        refusal: dict[str, Any] = {"threshold": self.threshold, "min_names": self.min_names}
        if self.answerable is not None:
            refusal["answerable"] = self.answerable.to_json()
        out = {"cheap": self.cheap.to_json(), "full": self.full.to_json(), "refusal": refusal,
               "meta": self.meta}
        if self.span is not None:
            out["span"] = self.span.to_json()
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "RankerModel":
        try:
            r = d["refusal"]
            answerable = Linear.from_json(r["answerable"]) if r.get("answerable") else None
            span = Linear.from_json(d["span"]) if d.get("span") else None
            model = cls(Linear.from_json(d["cheap"]), Linear.from_json(d["full"]),
                        float(r["threshold"]), float(r["min_names"]), d.get("meta", {}), answerable, span)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ValueError(f"ranker weights: missing or bad field ({e})") from e
        model.check_features()
        return model

    def check_features(self) -> None:
        """Raise ValueError when a part reads a feature this version does not compute (weights fit
        by another version): refused at load, not as an AttributeError mid-answer."""
        from newsqa.rag.features import FULL
        from newsqa.rag.refusal import QUESTION_FEATURES
        from newsqa.rag.span import SPAN_FEATURES

        parts = {"cheap": (self.cheap, FULL), "full": (self.full, FULL),
                 "refusal.answerable": (self.answerable, QUESTION_FEATURES), "span": (self.span, SPAN_FEATURES)}
        for name, (lin, known) in parts.items():
            unknown = [f for f in lin.features if f not in known] if lin is not None else []
            if unknown:
                raise ValueError(f"ranker weights: {name} reads features this version does not compute "
                                 f"({', '.join(unknown)}); refit them with `newsqa train-ranker`")

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n")


def load_model(path: str | Path | None = None) -> RankerModel:
    """The fitted model from `path`, or the one shipped in newsqa/rag/data/ranker.json."""
    if path is None:
        return _bundled()
    p = Path(path)
    try:
        return RankerModel.from_json(json.loads(p.read_text()))
    except (OSError, json.JSONDecodeError, ValueError) as e:
        raise ValueError(f"{p}: not a ranker weights file ({e})") from e


@lru_cache(maxsize=1)
def _bundled() -> RankerModel:
    text = (resources.files("newsqa.rag") / "data" / "ranker.json").read_text()
    return RankerModel.from_json(json.loads(text))


def cheap_rank(q: "AnalysedQuestion", passages: list["Passage"],
               model: RankerModel | None = None, rules: "RuleView | None" = None) -> list[Candidate]:
    """Every candidate scored by the cheap model alone (no spaCy, no embedder beyond what `rules`
    already read), best first."""
    model = model or load_model()
    cands = rules.candidates(passages) if rules is not None else quotable_candidates(passages)
    if cands:
        cheap_features(q, passages, cands, rules)
        for c in cands:
            c.score = model.cheap.probability(c.features)
        cands.sort(key=lambda c: (-c.score, c.rank, c.index))
    return cands


def featurise(q: "AnalysedQuestion", passages: list["Passage"], scorer: "SupportScorer",
              model: RankerModel, preselect: int = PRESELECT, full_for_all: bool = False,
              analyser: "Callable[[Sequence[str]], list[Doc]]" = analyse_sentences,
              rules: "RuleView | None" = None) -> list[Candidate]:
    """Candidates with cheap features (all) and full features (the `preselect` best by the cheap
    model, or every one with `full_for_all`, which training uses), best cheap score first.
    `scorer` needs only `embed`; training passes cached analyses and embeddings. `rules`: the rule
    path's reading of the passages (stack.py), read here when not given."""
    from newsqa.rag.stack import read_rules

    if rules is None:
        rules = read_rules(q.text, passages, scorer)
    # never quote (or score) an instruction planted in an article
    cands = cheap_rank(q, passages, model, rules)
    if not cands:
        return []
    top = cands if full_for_all else cands[:preselect]
    for c, d in zip(top, analyser([c.text for c in top])):
        c.doc = d
    vecs = scorer.embed([q.text] + [c.text for c in top])
    sims = (vecs[1:] @ vecs[0]).tolist()
    for c, v in zip(top, vecs[1:]):
        c.vector = v
    full_features(q, top, sims)
    return cands


def rank(q: "AnalysedQuestion", passages: list["Passage"], scorer: "SupportScorer",
         model: RankerModel | None = None, rules: "RuleView | None" = None) -> list[Candidate]:
    """The pre-selected candidates scored by the full model, best first (the rest are dropped)."""
    model = model or load_model()
    cands = [c for c in featurise(q, passages, scorer, model, rules=rules) if c.doc is not None]
    for c in cands:
        c.score = model.full.probability(c.features)
    cands.sort(key=lambda c: (-c.score, c.rank, c.index))
    return cands
