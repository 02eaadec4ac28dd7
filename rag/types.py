"""Passage, citation, sentence and answer: what `rag` produces, `ui` renders and `evals` scores.

`Answer.to_json()` is the one machine-readable shape shared by `newsqa ask --json`, the API and the
evaluation report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Sequence

from newsqa.index.articles import Chunk

REFUSAL_TEXT = "The indexed articles don't answer this."


@dataclass(slots=True)
class Passage:
    """A retrieved chunk, numbered `n` (1-based) as the answer cites it."""

    n: int
    chunk: Chunk
    score: float  # fused retrieval score, higher is better
    scores: dict[str, float] = field(default_factory=dict)  # per retriever, for inspection
    # the other articles of its near-duplicate group (same story, another outlet): article_id,
    # title, source, url, published_at each
    also_in: list[dict[str, str]] = field(default_factory=list)

    def published_day(self) -> date | None:
        """The day its article was published (UTC), None when undated."""
        if self.chunk.published_ts < 0:
            return None
        return datetime.fromtimestamp(self.chunk.published_ts, tz=timezone.utc).date()


@dataclass(slots=True)
class Sentence:
    """One sentence of an answer with the passages that support it.

    `supported` is decided by the one support scorer (rag/support.py), never by the backend's say-so.
    `spans` holds, per cited passage n, the character span within the passage text that the sentence
    rests on, so a page can highlight it.
    """

    text: str
    citations: list[int] = field(default_factory=list)
    support: float = 0.0
    supported: bool = False
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ShortAnswer:
    """The span that answers a who/what/when/where/how-many question ("Westhaven", "1.85 per
    litre"), taken from a cited sentence: `start`/`end` are character offsets in passage `n`'s text."""

    text: str
    n: int
    start: int
    end: int
    # the calendar day a date answer names ("Thursday" in a report of 21 June 2025 is 19 June),
    # read against its article's publication day (calendar_day.py); None for any other answer
    day: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "n": self.n, "start": self.start, "end": self.end,
                "day": self.day.isoformat() if self.day else None}

    def shown(self) -> str:
        """The text as a reader sees it: with the day it names where the text leaves out the year
        ("Thursday (19 June 2025)")."""
        if self.day is None or str(self.day.year) in self.text:
            return self.text
        return f"{self.text} ({self.day.day} {self.day:%B %Y})"


@dataclass(frozen=True)
class Refusal:
    """A refusal decision (the rule checks' in refuse.py, the learned path's in refusal.py): whether
    to refuse, why, and the best answer score it weighed."""

    refuse: bool
    reason: str = ""
    answer_score: float = 0.0

    @classmethod
    def below(cls, score: float, threshold: float) -> "Refusal":
        """A refusal because the best answer score is under the threshold, worded alike by both
        decisions (`newsqa eval` counts refusals by this reason without its figures)."""
        return cls(True, f"no sentence answers the question (score {score:.2f}, below {threshold:.2f})", score)


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """The publication dates a question is about, read against its as-of date ("this week", "in
    June", "latest"). `start`/`end` are inclusive; `recency` prefers the newest article before `end`."""

    phrase: str
    start: date | None = None
    end: date | None = None
    recency: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "recency": self.recency}


def has_words(question: str) -> bool:
    """Whether a question has anything to look for: "?" or "..." would still find the nearest
    vectors and list unrelated passages. Answering (qa.py) and the question-file loaders
    (evals/questions.py) ask it alike."""
    return any(ch.isalnum() for ch in question)


def unanswered_note(parts: Sequence[str]) -> str:
    """The line said beside an answer for the parts of its question the passages do not answer."""
    asked = "; ".join(f"“{p.strip()}”" for p in parts)
    return f"Not answered from the articles: {asked}"


@dataclass(slots=True)
class Answer:
    question: str
    sentences: list[Sentence]
    passages: list[Passage]
    backend: str
    refused: bool = False
    standalone_question: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    error: str = ""
    short_answer: ShortAnswer | None = None
    as_of: date | None = None  # the date the question was asked against (default: today)
    time_window: TimeWindow | None = None
    # for a question about time, the publication day of the newest article the answer cites, which
    # the answer is shown "as of" (13 May 2024); kept out of the sentences, which quote the passages
    answer_date: date | None = None
    # a compound question's short answers, one per answered part in the question's order ("Which
    # firm bought the mill, and when did it close?": the firm, the date), the first being
    # `short_answer`; read them through `all_short_answers`
    short_answers: tuple[ShortAnswer, ...] = ()
    # the parts of a compound question the passages do not answer, as asked ("who won the cup?"),
    # when others are answered: said beside the answer rather than left out silently
    unanswered_parts: tuple[str, ...] = ()
    # why a refusal is one when the reason is not the passages' content: no article is dated in the
    # question's time ("this year" in a year the store does not cover); said beside the refusal
    notice: str = ""
    # a refusal's reason as the decision gave it ("no sentence answers the question (score 0.33,
    # below 0.41)"), and the passage sentence that came closest to answering, quoted with its
    # citation: the reader sees what the articles do say and can judge the refusal, while the
    # answer stays a refusal (a near miss shown as an answer is the guess a refusal avoids)
    refusal_reason: str = ""
    closest: Sentence | None = None

    @property
    def reason_to_say(self) -> str:
        """A refusal's reason as shown to the reader: "" when an error or a notice has already said
        why (an empty store, no article in the question's time)."""
        return self.refusal_reason if self.refused and not (self.error or self.notice) else ""

    def all_short_answers(self) -> tuple[ShortAnswer, ...]:
        """Every part's short answer, led by `short_answer` (none without it): `short_answers` when
        they agree with it, else it alone."""
        if self.short_answer is None:
            return ()
        if self.short_answers and self.short_answers[0] == self.short_answer:
            return self.short_answers
        return (self.short_answer,)

    @property
    def text(self) -> str:
        """The answer with `[n]` markers after each sentence."""
        parts = []
        for s in self.sentences:
            marks = "".join(f"[{n}]" for n in s.citations)
            parts.append(f"{s.text}{' ' + marks if marks else ''}")
        return " ".join(parts)

    def cited_passages(self) -> list[Passage]:
        used = {n for s in self.sentences for n in s.citations}
        return [p for p in self.passages if p.n in used]

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "answer": self.text,
            "refused": self.refused,
            "short_answer": self.short_answer.to_json() if self.short_answer else None,
            "short_answers": [sa.to_json() for sa in self.all_short_answers()],
            "unanswered_parts": [] if self.refused else list(self.unanswered_parts),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "time_window": self.time_window.to_json() if self.time_window else None,
            "answer_date": self.answer_date.isoformat() if self.answer_date else None,
            "backend": self.backend,
            "sentences": [
                {"text": s.text, "citations": list(s.citations), "support": round(s.support, 4),
                 "supported": s.supported}
                for s in self.sentences
            ],
            "citations": [
                {
                    "n": p.n,
                    "article_id": p.chunk.article_id,
                    "chunk_id": p.chunk.id,
                    "title": p.chunk.title,
                    "source": p.chunk.source,
                    "published_at": p.chunk.published_at,
                    "url": p.chunk.url,
                    "text": p.chunk.text,
                    "char_start": p.chunk.char_start,
                    "char_end": p.chunk.char_end,
                    "score": round(p.score, 6),
                    "also_in": [dict(m) for m in p.also_in],
                }
                for p in self.passages
            ],
            "retrieved": _unique([p.chunk.article_id for p in self.passages]),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            **({"error": self.error} if self.error else {}),
            **({"notice": self.notice} if self.notice else {}),
            **({"refusal": {"reason": self.refusal_reason,
                            "closest": {"text": self.closest.text, "citations": list(self.closest.citations)}
                            if self.closest is not None else None}} if self.refused else {}),
        }


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for i in items:
        seen.setdefault(i, None)
    return list(seen)
