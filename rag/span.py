"""The short answer's span, chosen by a learned model among the quoted sentences' entities.

Input: the analysed question, the quoted candidates (select.py) and every ranked candidate. Each
entity of a quoted sentence that the question does not already name is a candidate span with named
features (`SpanFeatures`): whether its label is one the question asks for and how high in that
kind's preference, how near it stands to the question's words and to its focus noun, the score and
place of its sentence, how many of the other ranked sentences hold it too (an answer several
sentences name is more likely the answer than a name that occurs once), whether it is part of a
longer span ("Lind" beside "Tomas Lind") and how exact a number or date it is. A linear model
(`RankerModel.span`, fit by `newsqa train-ranker` on the training parts, one choice per question: a
conditional logit over the question's spans, a span being right when it is an accepted spelling of
the answer) scores them and the best one is the short answer. Weights without it fall back to
select.short_answer's rule (the expected label nearest the question's words in the best sentence
that holds one).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

from newsqa.rag.features import answer_entities, question_word_positions
from newsqa.rag.select import _ANY_NAME, _NUMERIC, _surname, preference, span_answer

if TYPE_CHECKING:
    from spacy.tokens import Span

    from newsqa.rag.query import AnalysedQuestion
    from newsqa.rag.ranker import Linear
    from newsqa.rag.sentences import Candidate
    from newsqa.rag.types import ShortAnswer

_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")


@dataclass
class SpanFeatures:
    label: float = 0.0  # its label is one the question asks for
    preferred: float = 0.0  # 1 / (1 + place of its label in the kind's preference), 0 if not listed
    any_name: float = 0.0  # a named thing of any kind (a person, company, place ...)
    numeric: float = 0.0  # a number, amount, quantity or share
    date: float = 0.0  # a date or time
    near: float = 0.0  # 1 / (1 + words between it and the nearest of the question's words)
    focus: float = 0.0  # within three words of the question's focus noun ("union leader X")
    score: float = 0.0  # its sentence's probability of answering (ranker)
    best: float = 0.0  # its sentence is the best ranked one
    order: float = 0.0  # 1 / (1 + its sentence's place among the quoted ones)
    first: float = 0.0  # the first entity of its label in its sentence
    repeated: float = 0.0  # share of the other ranked sentences that hold it too
    partial: float = 0.0  # share of its words that the question uses (a part of a named thing)
    length: float = 0.0  # its words, capped at 5, / 5
    position: float = 0.0  # where it starts in its sentence (0 first word, 1 last)
    contained: float = 0.0  # part of a longer span of the quoted sentences ("Lind" in "Tomas Lind")
    numbers: float = 0.0  # numbers in it, capped at 3, / 3 ("3 May 2024" is more exact than "2024")

    def vector(self, names: list[str]) -> list[float]:
        d = asdict(self)
        return [float(d[n]) for n in names]


SPAN_FEATURES = [f.name for f in fields(SpanFeatures)]


@dataclass
class SpanCandidate:
    cand: "Candidate"
    ent: "Span"
    features: SpanFeatures
    score: float = 0.0


def span_candidates(q: "AnalysedQuestion", quoted: list["Candidate"],
                    ranked: list["Candidate"]) -> list[SpanCandidate]:
    """Every entity of the quoted sentences that could answer `q`, with its features."""
    if not q.typed:
        return []
    named = q.named_tokens
    order = preference(q)
    others = [normalise(c.text) for c in ranked if c.doc is not None]
    best_key = (ranked[0].n, ranked[0].index) if ranked else None
    q_words = named | q.content
    out: list[SpanCandidate] = []
    for place, c in enumerate(quoted):
        doc = c.doc
        if doc is None:
            continue
        anchors = question_word_positions(q, doc)
        focus_at = [t.i for t in doc if q.focus and t.lower_ == q.focus]
        seen_labels: set[str] = set()
        for e in answer_entities(q, doc):
            if e.label_ == "PERSON" and _surname(e.text) in named:
                continue  # "Mayor Tomas Lind" does not answer a question that names "Lind"
            f = SpanFeatures()
            f.label = float(e.label_ in q.labels)
            f.preferred = 1.0 / (1 + order[e.label_]) if e.label_ in order else 0.0
            f.any_name = float(e.label_ in _ANY_NAME)
            f.numeric = float(e.label_ in _NUMERIC)
            f.date = float(e.label_ in ("DATE", "TIME"))
            if anchors:
                f.near = 1.0 / (1 + min(_gap(a, e) for a in anchors))
            if focus_at:
                f.focus = float(min(_gap(a, e) for a in focus_at) <= 3)
            f.score = c.score
            f.best = float((c.n, c.index) == best_key)
            f.order = 1.0 / (1 + place)
            f.first = float(e.label_ not in seen_labels)
            seen_labels.add(e.label_)
            key = normalise(e.text)
            if key.strip() and len(others) > 1:
                f.repeated = (sum(key in o for o in others) - 1) / (len(others) - 1)
            words = [w.lower() for w in _WORD.findall(e.text)]
            f.partial = sum(w in q_words for w in words) / len(words) if words else 0.0
            f.length = min(len(words), 5) / 5
            f.position = e.start / max(1, len(doc) - 1)
            f.numbers = min(len(_DIGITS.findall(e.text)), 3) / 3
            out.append(SpanCandidate(c, e, f))
    keys = [normalise(s.ent.text) for s in out]
    for s, k in zip(out, keys):
        s.features.contained = float(any(k != o and k in o for o in keys))
    return out


def choose_span(q: "AnalysedQuestion", quoted: list["Candidate"], ranked: list["Candidate"],
                model: "Linear") -> SpanCandidate | None:
    """The span the model scores highest (the first of equals), or None when no quoted sentence
    holds one."""
    spans = span_candidates(q, quoted, ranked)
    for s in spans:
        s.score = model.probability(s.features)
    return max(spans, key=lambda s: s.score, default=None)


def learned_short_answer(q: "AnalysedQuestion", quoted: list["Candidate"], ranked: list["Candidate"],
                         model: "Linear") -> "ShortAnswer | None":
    best = choose_span(q, quoted, ranked, model)
    return span_answer(best.cand, best.ent) if best is not None else None


def normalise(text: str) -> str:
    """Lowercase words joined by single spaces, padded: `f" {x} " in normalise(t)` is a whole-word
    containment test."""
    return " " + " ".join(w.lower() for w in _WORD.findall(text)) + " "


def _gap(a: int, e: "Span") -> int:
    return min(abs(a - e.start), abs(a - (e.end - 1)))
