"""Readers' feedback as an evaluation set: approved answers become regression questions.

Verdicts are grouped by what was asked (the question, the earlier questions of its conversation and
the as-of date); within a group each reader's latest verdict counts. A group that some reader marked
down or "wrong citation" goes to the review list (someone must write the right answer); a group with
only thumbs up becomes a question in the format of evals/questions.py:
- an answered question: `answers` = the short answer when there is one (a compound question's,
  one part each), else the first cited sentence (one part, one spelling), `evidence_ids` = the
  articles the answer cites;
- an approved refusal: `answerable` false, no answers, no evidence.
`newsqa eval --questions` then checks after every change that these answers still come back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from newsqa.evals.metrics import short_answer_texts
from newsqa.rag.feedback import Feedback

NEGATIVE = ("down", "wrong_citation")


@dataclass
class Export:
    questions: list[dict[str, Any]] = field(default_factory=list)
    review: list[dict[str, Any]] = field(default_factory=list)  # one per group needing a person


def _key(fb: Feedback) -> tuple[str, tuple[str, ...], str]:
    return (" ".join(fb.question.split()).casefold(), tuple(" ".join(t.split()).casefold() for t in fb.turns),
            fb.as_of)


def question_id(fb: Feedback) -> str:
    q, turns, as_of = _key(fb)
    digest = hashlib.sha1(json.dumps([q, list(turns), as_of]).encode("utf-8")).hexdigest()[:12]
    return f"feedback-{digest}"


def accepted_answer(answer: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    """(accepted answer parts, cited article ids) of an answer's JSON, or None when it cites
    nothing: its short answers (one per part of a compound question), else its first supported
    cited sentence."""
    by_n = {c.get("n"): c for c in answer.get("citations", []) if isinstance(c, dict)}
    cited = [s for s in answer.get("sentences", []) if isinstance(s, dict) and s.get("citations")]
    evidence: list[str] = []
    for s in cited:
        for n in s["citations"]:
            aid = (by_n.get(n) or {}).get("article_id")
            if aid and aid not in evidence:
                evidence.append(aid)
    if not evidence:
        return None
    shorts = [t.strip() for t in short_answer_texts(answer) if t.strip()]
    if shorts:
        return shorts, evidence
    first = next((s for s in cited if s.get("supported", True)), cited[0])
    return [str(first.get("text") or "").strip()], evidence


def export_feedback(rows: Iterable[Feedback]) -> Export:
    groups: dict[tuple, dict[str, Feedback]] = {}
    for fb in sorted(rows, key=lambda r: r.id):
        groups.setdefault(_key(fb), {})[fb.user] = fb  # the later verdict of a reader replaces the earlier
    out = Export()
    for latest in groups.values():
        verdicts = sorted(latest.values(), key=lambda r: r.id)
        newest = verdicts[-1]
        negative = [v for v in verdicts if v.rating in NEGATIVE]
        if negative:
            out.review.append(_review(newest.question, negative, "rated " + ", ".join(
                sorted({v.rating.replace('_', ' ') for v in negative}))))
            continue
        up = [v for v in verdicts if v.rating == "up"][-1]
        record: dict[str, Any] = {"id": question_id(up), "question": up.question.strip()}
        if up.answer.get("refused"):
            record.update(answers=[], evidence_ids=[], answerable=False)
        else:
            got = accepted_answer(up.answer)
            if got is None or not got[0]:
                out.review.append(_review(up.question, [up], "approved, but the answer cites no article"))
                continue
            record.update(answers=[[part] for part in got[0]], evidence_ids=got[1], answerable=True)
        if up.turns:
            record["turns"] = list(up.turns)
        if up.as_of:
            record["as_of"] = up.as_of
        record["type"] = "feedback"
        record["feedback_ids"] = [v.id for v in verdicts]
        out.questions.append(record)
    return out


def _review(question: str, rows: list[Feedback], reason: str) -> dict[str, Any]:
    return {"question": question, "reason": reason,
            "answer": rows[-1].answer.get("answer", ""),
            "as_of": rows[-1].as_of,
            "notes": [v.note for v in rows if v.note],
            "users": sorted({v.user for v in rows if v.user}),
            "feedback_ids": [v.id for v in rows]}


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write one JSON object a line (via a temporary file, so a failed write leaves the old file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n
