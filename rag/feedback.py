"""Readers' verdicts on answers: thumbs up, thumbs down, "wrong citation", with an optional note.

Each verdict is one row of `feedback.sqlite3` in the store's folder (rag/sqlite_db.py explains the
concurrency and durability), holding what is needed to ask the question again and check the answer
(question, earlier questions of the conversation, as-of date, the answer's JSON as `Answer.to_json`
made it) and who gave it (the `--auth` user, else ''). A verdict that fails validation raises
ValueError naming the field and writes nothing; a row that cannot be read back (edited by hand,
written by a future version) is reported by `FeedbackStore.all` and never hides the others.
evals/feedback_export.py turns the rows into an evaluation set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence

from newsqa.rag.sqlite_db import reading, transaction, user_data_dir
from newsqa.settings import Settings

RATINGS = ("up", "down", "wrong_citation")
RATING_LABELS = {"up": "thumbs up", "down": "thumbs down", "wrong_citation": "wrong citation"}
MAX_NOTE = 2000
MAX_QUESTION = 4000
FILE_NAME = "feedback.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    user TEXT NOT NULL DEFAULT '',
    rating TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    turns TEXT NOT NULL DEFAULT '[]',
    as_of TEXT NOT NULL DEFAULT '',
    answer_json TEXT NOT NULL,
    conversation_id TEXT NOT NULL DEFAULT '',
    turn INTEGER NOT NULL DEFAULT -1
);
CREATE INDEX IF NOT EXISTS feedback_question ON feedback (question)
"""


@dataclass(frozen=True)
class Feedback:
    """One reader's verdict on one answer."""

    rating: str  # one of RATINGS
    question: str
    answer: dict[str, Any]  # Answer.to_json() of the rated answer
    user: str = ""
    note: str = ""
    as_of: str = ""  # YYYY-MM-DD the question was asked against; '' = unknown
    turns: tuple[str, ...] = ()  # earlier questions of the conversation, oldest first
    conversation_id: str = ""
    turn: int = -1  # the answer's position in that conversation
    id: int = 0  # assigned when stored
    created_at: str = ""  # UTC ISO 8601, assigned when stored

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "created_at": self.created_at, "user": self.user, "rating": self.rating,
                "note": self.note, "question": self.question, "turns": list(self.turns),
                "as_of": self.as_of, "conversation_id": self.conversation_id, "turn": self.turn,
                "answer": self.answer}


def make_feedback(rating: str, answer: Mapping[str, Any] | str, *, user: str = "", note: str = "",
                  turns: Sequence[str] = (), conversation_id: str = "", turn: int = -1) -> Feedback:
    """A validated verdict on an answer given as its JSON (a dict, or a JSON string from an API
    client); the question and as-of date are the answer's own."""
    if isinstance(answer, str):
        try:
            answer = json.loads(answer)
        except json.JSONDecodeError as e:
            raise ValueError(f"answer: not valid JSON ({e.msg})") from e
    if not isinstance(answer, Mapping):
        raise ValueError("answer: expected the JSON object that `ask` returned")
    fb = Feedback(rating=rating, question=str(answer.get("question") or ""), answer=dict(answer),
                  user=user or "", note=note or "", as_of=str(answer.get("as_of") or ""),
                  turns=tuple(turns), conversation_id=conversation_id or "", turn=int(turn))
    validate(fb)
    return fb


def validate(fb: Feedback) -> None:
    """Raise ValueError naming the first bad field."""
    if fb.rating not in RATINGS:
        raise ValueError(f"rating: expected one of {', '.join(RATINGS)}, got {fb.rating!r}")
    if not isinstance(fb.question, str) or not fb.question.strip():
        raise ValueError("question: must be a non-empty string")
    if len(fb.question) > MAX_QUESTION:
        raise ValueError(f"question: longer than {MAX_QUESTION} characters")
    if not isinstance(fb.note, str) or len(fb.note) > MAX_NOTE:
        raise ValueError(f"note: must be text of at most {MAX_NOTE} characters")
    if not isinstance(fb.answer, dict) or not isinstance(fb.answer.get("sentences", []), list) \
            or not isinstance(fb.answer.get("citations", []), list):
        raise ValueError("answer: expected the JSON object that `ask` returned")
    if fb.as_of:
        try:
            date.fromisoformat(fb.as_of)
        except ValueError:
            raise ValueError(f"as_of: expected YYYY-MM-DD, got {fb.as_of!r}") from None
    if not all(isinstance(t, str) for t in fb.turns):
        raise ValueError("turns: must be a list of strings")
    try:
        json.dumps(fb.answer, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ValueError(f"answer: cannot be stored as JSON ({e})") from e


@dataclass
class Listing:
    """What `FeedbackStore.all` read: the good rows, and one message per row it could not read."""

    rows: list[Feedback] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def for_settings(cls, settings: Settings) -> "FeedbackStore":
        return cls(user_data_dir(settings) / FILE_NAME)

    def add(self, fb: Feedback) -> Feedback:
        """Store one verdict (validated first); returns it with its id and time."""
        validate(fb)
        created = fb.created_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
        with transaction(self.path, SCHEMA) as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created_at, user, rating, note, question, turns, as_of, answer_json, "
                "conversation_id, turn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (created, fb.user, fb.rating, fb.note, fb.question, json.dumps(list(fb.turns), ensure_ascii=False),
                 fb.as_of, json.dumps(fb.answer, ensure_ascii=False, allow_nan=False), fb.conversation_id, fb.turn))
            new_id = int(cur.lastrowid or 0)
        return replace(fb, id=new_id, created_at=created)

    def all(self, rating: str | None = None) -> Listing:
        """Every stored verdict, oldest first (optionally of one rating)."""
        out = Listing()
        with reading(self.path, SCHEMA) as conn:
            rows = conn.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        for r in rows:
            try:
                fb = Feedback(rating=r["rating"], question=r["question"], answer=json.loads(r["answer_json"]),
                              user=r["user"] or "", note=r["note"] or "", as_of=r["as_of"] or "",
                              turns=tuple(_str_list(json.loads(r["turns"] or "[]"))),
                              conversation_id=r["conversation_id"] or "", turn=int(r["turn"]),
                              id=int(r["id"]), created_at=r["created_at"])
                validate(fb)
            except (ValueError, TypeError) as e:
                out.problems.append(f"{self.path}: feedback row {r['id']} skipped: {e}")
                continue
            if rating is None or fb.rating == rating:
                out.rows.append(fb)
        return out


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("turns: must be a list of strings")
    return value
