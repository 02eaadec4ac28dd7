"""Conversations kept per reader, reopened later, and exported as Markdown with numbered sources.

A conversation belongs to an owner: the `--auth` user, or a random id the browser keeps when there is
no login. Its turns are stored in `conversations.sqlite3` in the store's folder (rag/sqlite_db.py
explains the concurrency and durability) as the question and the answer's record: `Answer.to_json`
plus the character spans each sentence rests on, so a reopened answer highlights its passages as it
did when new. A record that cannot be read back becomes that turn's error, never a lost conversation.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from newsqa.index.articles import Chunk
from newsqa.rag.links import safe_url
from newsqa.rag.sqlite_db import reading, transaction, user_data_dir
from newsqa.rag.types import Answer, Passage, Sentence, ShortAnswer, TimeWindow, unanswered_note
from newsqa.settings import Settings

FILE_NAME = "conversations.sqlite3"
TITLE_CHARS = 80
QUOTE_CHARS = 400  # of a passage quoted in an export when no span of it is cited

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (owner, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    idx INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer_json TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    rating TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, idx)
)
"""


# --- answers as stored records ------------------------------------------------------------------
def answer_record(answer: Answer) -> dict[str, Any]:
    """`Answer.to_json()` plus what the page needs to show the answer again (each sentence's spans)."""
    rec = answer.to_json()
    rec["spans"] = [[[n, a, b] for n, (a, b) in sorted(s.spans.items())] for s in answer.sentences]
    if answer.closest is not None:  # a refusal's closest sentence, highlighted in its source
        rec["closest_spans"] = [[n, a, b] for n, (a, b) in sorted(answer.closest.spans.items())]
    return rec


def answer_from_record(rec: dict[str, Any]) -> Answer:
    """The Answer a record was made from (timings, per-retriever scores and chunk ordinals aside).
    Raises ValueError on a record that is not one."""
    try:
        spans = rec.get("spans") or []
        sentences = []
        for i, s in enumerate(rec["sentences"]):
            sp = spans[i] if i < len(spans) else []
            sentences.append(Sentence(str(s["text"]), [int(n) for n in s.get("citations", [])],
                                      float(s.get("support", 0.0)), bool(s.get("supported", False)),
                                      _span_map(sp)))
        passages = []
        for c in rec.get("citations", []):
            extra = {"also_in": json.dumps(c["also_in"], ensure_ascii=False)} if c.get("also_in") else {}
            chunk = Chunk(str(c.get("chunk_id") or ""), str(c["article_id"]), 0, str(c.get("text") or ""),
                          int(c.get("char_start") or 0), int(c.get("char_end") or 0),
                          title=str(c.get("title") or ""), source=str(c.get("source") or ""),
                          url=str(c.get("url") or ""), published_at=str(c.get("published_at") or ""),
                          extra=extra)
            passages.append(Passage(int(c["n"]), chunk, float(c.get("score") or 0.0)))
        sa = rec.get("short_answer")
        short = _short(sa) if sa else None
        # records from before compound questions had one short answer per part have none
        shorts = tuple(_short(x) for x in rec.get("short_answers") or ())
        refusal = rec.get("refusal") or {}
        near = refusal.get("closest")
        # (only a supported sentence is ever quoted as the closest)
        closest = Sentence(str(near["text"]), [int(n) for n in near.get("citations", [])], supported=True,
                           spans=_span_map(rec.get("closest_spans") or [])) if near else None
        tw = rec.get("time_window")
        window = TimeWindow(str(tw.get("phrase") or ""), _day(tw.get("start")), _day(tw.get("end")),
                            bool(tw.get("recency"))) if tw else None
        return Answer(str(rec["question"]), sentences, passages, str(rec.get("backend") or ""),
                      refused=bool(rec.get("refused")), standalone_question=str(rec.get("standalone_question") or ""),
                      timings_ms={k: float(v) for k, v in (rec.get("timings_ms") or {}).items()},
                      error=str(rec.get("error") or ""), short_answer=short, as_of=_day(rec.get("as_of")),
                      time_window=window, short_answers=shorts,
                      unanswered_parts=tuple(str(x) for x in rec.get("unanswered_parts") or ()),
                      notice=str(rec.get("notice") or ""),
                      refusal_reason=str(refusal.get("reason") or ""), closest=closest)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ValueError(f"not an answer record ({type(e).__name__}: {e})") from e


def _span_map(rows: list[list[int]]) -> dict[int, tuple[int, int]]:
    """A sentence's spans as a record stores them ([n, start, end] rows), by passage n."""
    return {int(n): (int(a), int(b)) for n, a, b in rows}


def _short(sa: dict[str, Any]) -> ShortAnswer:
    return ShortAnswer(str(sa["text"]), int(sa["n"]), int(sa["start"]), int(sa["end"]), _day(sa.get("day")))


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


# --- the store -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConversationInfo:
    id: str
    owner: str
    title: str
    created_at: str
    updated_at: str
    n_turns: int = 0


@dataclass
class StoredTurn:
    question: str
    answer: Answer | None = None
    error: str = ""
    rating: str = ""


@dataclass
class Conversation:
    info: ConversationInfo
    turns: list[StoredTurn] = field(default_factory=list)


def title_of(question: str) -> str:
    t = " ".join(question.split())
    return t if len(t) <= TITLE_CHARS else t[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ConversationStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def for_settings(cls, settings: Settings) -> "ConversationStore":
        return cls(user_data_dir(settings) / FILE_NAME)

    def create(self, owner: str, title: str) -> str:
        cid = uuid.uuid4().hex
        now = _now()
        with transaction(self.path, SCHEMA) as conn:
            conn.execute("INSERT INTO conversations (id, owner, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                         (cid, owner, title_of(title) or "(untitled)", now, now))
        return cid

    def save_turn(self, conversation_id: str, owner: str, idx: int, question: str, answer: Answer | None,
                  error: str = "") -> None:
        """Write (or rewrite) turn `idx`; refused with KeyError when the conversation is not the owner's."""
        record = json.dumps(answer_record(answer), ensure_ascii=False, allow_nan=False) if answer is not None else ""
        with transaction(self.path, SCHEMA) as conn:
            self._check_owner(conn, conversation_id, owner)
            conn.execute(
                "INSERT INTO turns (conversation_id, idx, question, answer_json, error, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, idx) DO UPDATE SET "
                "question = excluded.question, answer_json = excluded.answer_json, error = excluded.error",
                (conversation_id, int(idx), question, record, error, _now()))
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (_now(), conversation_id))

    def set_rating(self, conversation_id: str, owner: str, idx: int, rating: str) -> None:
        with transaction(self.path, SCHEMA) as conn:
            self._check_owner(conn, conversation_id, owner)
            conn.execute("UPDATE turns SET rating = ? WHERE conversation_id = ? AND idx = ?",
                         (rating, conversation_id, int(idx)))

    def list(self, owner: str, limit: int = 50) -> list[ConversationInfo]:
        """The owner's conversations, most recently used first."""
        with reading(self.path, SCHEMA) as conn:
            rows = conn.execute(
                "SELECT c.*, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS n "
                "FROM conversations c WHERE c.owner = ? ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?",
                (owner, int(limit))).fetchall()
        return [ConversationInfo(r["id"], r["owner"], r["title"], r["created_at"], r["updated_at"], int(r["n"]))
                for r in rows]

    def load(self, conversation_id: str, owner: str) -> Conversation | None:
        """The conversation with its turns; None when it does not exist or is someone else's."""
        with reading(self.path, SCHEMA) as conn:
            c = conn.execute("SELECT * FROM conversations WHERE id = ? AND owner = ?",
                             (conversation_id, owner)).fetchone()
            if c is None:
                return None
            rows = conn.execute("SELECT * FROM turns WHERE conversation_id = ? ORDER BY idx",
                                (conversation_id,)).fetchall()
        turns = []
        for r in rows:
            t = StoredTurn(r["question"], None, r["error"] or "", r["rating"] or "")
            if r["answer_json"]:
                try:
                    t.answer = answer_from_record(json.loads(r["answer_json"]))
                except ValueError as e:  # json.JSONDecodeError is a ValueError
                    t.error = f"this answer could not be read back from {self.path.name}: {e}"
            turns.append(t)
        info = ConversationInfo(c["id"], c["owner"], c["title"], c["created_at"], c["updated_at"], len(turns))
        return Conversation(info, turns)

    @staticmethod
    def _check_owner(conn: Any, conversation_id: str, owner: str) -> None:
        row = conn.execute("SELECT owner FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if row is None or row["owner"] != owner:
            raise KeyError(f"no conversation {conversation_id!r} for this reader")


# --- Markdown export -------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_text(text: str) -> str:
    """Plain text that Markdown shows as written (no links, emphasis or HTML from an article)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _quote(p: Passage, answer: Answer) -> str:
    spans = sorted({s.spans[p.n] for s in answer.sentences if p.n in s.citations and p.n in s.spans})
    text = p.chunk.text
    if spans:
        return " … ".join(text[max(0, a):b] for a, b in spans if b > a) or text[:QUOTE_CHARS]
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def conversation_markdown(title: str, turns: Sequence[StoredTurn], exported: date | None = None) -> str:
    """The conversation as Markdown: each question and answer, with the answer's `[n]` markers
    renumbered into one list of sources for the whole conversation (title, outlet, date, URL and
    the quoted text the answer rests on)."""
    lines = [f"# {md_text(title) or 'Conversation'}", "",
             f"Exported from newsqa on {(exported or date.today()).isoformat()}.", ""]
    sources: list[tuple[Passage, Answer]] = []
    number: dict[tuple[str, str, int, int], int] = {}

    def global_n(p: Passage, answer: Answer) -> int:
        key = (p.chunk.article_id, p.chunk.id, p.chunk.char_start, p.chunk.char_end)
        if key not in number:
            sources.append((p, answer))
            number[key] = len(sources)
        return number[key]

    for i, t in enumerate(turns, 1):
        lines += [f"## {i}. {md_text(t.question)}", ""]
        a = t.answer
        if a is None:
            lines += [f"*{md_text(t.error or 'no answer')}*", ""]
            continue
        if a.as_of:
            lines += [f"*As of {a.as_of.isoformat()}.*", ""]
        by_n = {p.n: p for p in a.passages}
        if a.short_answer and not a.refused:
            lines += [" · ".join(f"**{md_text(sa.text)}**" for sa in a.all_short_answers()), ""]
        parts = []
        for s in a.sentences:
            marks = "".join(f"[{global_n(by_n[n], a)}]" for n in s.citations if n in by_n)
            flag = "" if s.supported or a.refused else " (unsupported)"
            parts.append(md_text(s.text) + (f" {marks}" if marks else "") + flag)
        lines += [" ".join(parts), ""]
        if a.unanswered_parts and not a.refused:
            lines += [f"*{md_text(unanswered_note(a.unanswered_parts))}*", ""]
        if a.notice:
            lines += [f"*{md_text(a.notice)}*", ""]
        if a.reason_to_say:
            lines += [f"*Refused because {md_text(a.reason_to_say)}.*", ""]
        if a.refused and a.closest is not None:
            marks = "".join(f"[{global_n(by_n[n], a)}]" for n in a.closest.citations if n in by_n)
            lines += ["The closest the articles come (not taken as an answer):", "",
                      f"> {md_text(a.closest.text)}" + (f" {marks}" if marks else ""), ""]
    if sources:
        lines += ["## Sources", ""]
        for k, (p, a) in enumerate(sources, 1):
            c = p.chunk
            meta = ", ".join(md_text(x) for x in (c.source, (c.published_at or "")[:10]) if x)
            url = safe_url(c.url).replace("<", "%3C").replace(">", "%3E")  # it goes between <...>
            head = f"{k}. **{md_text(c.title or c.article_id)}**" + (f", {meta}" if meta else "")
            lines.append(head + (f". <{url}>" if url else ""))
            lines.append(f"   > {md_text(_quote(p, a))}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
