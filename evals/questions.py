"""Evaluation questions and support-scorer pairs: loading and validating the JSONL files.

A question file holds one JSON object per line:
    {"id", "question", "answers": [[spelling, ...], ...], "evidence_ids": [...],
     "answerable": bool, "type": str, "turns": [earlier questions], "as_of": "YYYY-MM-DD"}
`answers` is a list of parts; an answer is right when every part has one of its spellings in it.
`as_of` is the day the question is asked on ("this week" is read against it; default today).
`answerable`, `type`, `turns` and `as_of` are optional so that third-party sets (rgb-dev) load unchanged;
a missing type falls back to "answerable"/"unanswerable" so per-type reports still split them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsqa.rag.types import has_words

SUPPORT_KINDS = (
    "verbatim", "paraphrase", "swapped_name", "swapped_year", "swapped_number", "unrelated",
    "partial", "negation",
)


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: list[list[str]]
    evidence_ids: list[str]
    answerable: bool = True
    type: str = ""
    turns: list[str] = field(default_factory=list)
    as_of: date | None = None


@dataclass(frozen=True)
class SupportPair:
    """A sentence and a passage, labelled with whether the passage alone supports the sentence."""

    id: str
    sentence: str
    passage: str
    supported: bool
    kind: str


def load_questions(path: Path) -> list[Question]:
    """Read a question JSONL file; raise ValueError naming the file and line of any bad entry."""
    path = Path(path)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for lineno, obj in _json_lines(path):
        where = f"{path}:{lineno}"
        qid = _require_str(obj, "id", where)
        if qid in seen:
            raise ValueError(f"{where}: duplicate id {qid!r} (first on line {seen[qid]})")
        seen[qid] = lineno
        answerable = obj.get("answerable", True)
        if not isinstance(answerable, bool):
            raise ValueError(f"{where}: 'answerable' must be true or false")
        qtype = obj.get("type") or ("answerable" if answerable else "unanswerable")
        if not isinstance(qtype, str):
            raise ValueError(f"{where}: 'type' must be a string")
        questions.append(
            Question(
                id=qid,
                question=_question(obj, where),
                answers=_answers(obj, where),
                evidence_ids=_str_list(obj, "evidence_ids", where, required=True),
                answerable=answerable,
                type=qtype,
                turns=_str_list(obj, "turns", where, required=False),
                as_of=_as_of(obj, where),
            )
        )
    return questions


def load_asked(path: Path) -> list[Question]:
    """Questions to answer (`newsqa ask --questions`), not to score: a line needs only its
    `question`; `id` (default "line N"), `turns` and `as_of` are read when present, and an
    evaluation set's lines load as they are. A `.txt` file is one question a line. Raise
    ValueError naming the file and line of a bad entry."""
    path = Path(path)
    if path.suffix.lower() == ".txt":
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise ValueError(f"{path}: cannot read ({e})") from e
        return [Question(id=f"line {n}", question=_worded(line.strip(), f"{path}:{n}"), answers=[],
                        evidence_ids=[]) for n, line in enumerate(lines, start=1) if line.strip()]
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for lineno, obj in _json_lines(path):
        where = f"{path}:{lineno}"
        qid = _require_str(obj, "id", where) if "id" in obj else f"line {lineno}"
        if qid in seen:
            raise ValueError(f"{where}: duplicate id {qid!r} (first on line {seen[qid]})")
        seen[qid] = lineno
        questions.append(Question(id=qid, question=_question(obj, where), answers=[],
                                  evidence_ids=[], turns=_str_list(obj, "turns", where, required=False),
                                  as_of=_as_of(obj, where)))
    return questions


def load_support_pairs(path: Path) -> list[SupportPair]:
    """Read a support-pair JSONL file; raise ValueError naming the file and line of any bad entry."""
    path = Path(path)
    pairs: list[SupportPair] = []
    for lineno, obj in _json_lines(path):
        where = f"{path}:{lineno}"
        supported = obj.get("supported")
        if not isinstance(supported, bool):
            raise ValueError(f"{where}: 'supported' must be true or false")
        kind = _require_str(obj, "kind", where)
        if kind not in SUPPORT_KINDS:
            raise ValueError(f"{where}: unknown kind {kind!r}; expected one of {SUPPORT_KINDS}")
        pairs.append(
            SupportPair(
                id=_require_str(obj, "id", where),
                sentence=_require_str(obj, "sentence", where),
                passage=_require_str(obj, "passage", where),
                supported=supported,
                kind=kind,
            )
        )
    return pairs


def sample_questions_path() -> Path:
    """The question set shipped with the package, written over the bundled demo articles."""
    return _data_path("sample.jsonl")


def support_pairs_path() -> Path:
    """The labelled sentence–passage pairs shipped with the package."""
    return _data_path("support_pairs.jsonl")


def _data_path(name: str) -> Path:
    # Installed normally or editable, the package data is a real file; a zipped install is not
    # supported, which keeps callers free of context managers.
    return Path(str(files("newsqa.evals").joinpath("data", name)))


def _question(obj: dict[str, Any], where: str) -> str:
    return _worded(_require_str(obj, "question", where), where)


def _worded(question: str, where: str) -> str:
    # answering refuses such a question: a set holding one is told so, with its line, before any
    # question is asked
    if not has_words(question):
        raise ValueError(f"{where}: 'question' has no words to look for: {question!r}")
    return question


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ValueError(f"{path}: cannot read ({e})") from e
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{lineno}: not valid JSON ({e.msg})") from e
        if not isinstance(obj, dict):
            raise ValueError(f"{path}:{lineno}: expected a JSON object")
        yield lineno, obj


def _require_str(obj: dict[str, Any], key: str, where: str) -> str:
    if key not in obj:
        raise ValueError(f"{where}: missing field {key!r}")
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key!r} must be a non-empty string")
    return value


def _as_of(obj: dict[str, Any], where: str) -> date | None:
    value = obj.get("as_of")
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str) and len(value.strip()) == 10:
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise ValueError(f"{where}: 'as_of' must be a date YYYY-MM-DD, got {value!r}")


def _str_list(obj: dict[str, Any], key: str, where: str, *, required: bool) -> list[str]:
    if key not in obj:
        if required:
            raise ValueError(f"{where}: missing field {key!r}")
        return []
    value = obj[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: {key!r} must be a list of non-empty strings")
    return list(value)


def _answers(obj: dict[str, Any], where: str) -> list[list[str]]:
    if "answers" not in obj:
        raise ValueError(f"{where}: missing field 'answers'")
    value = obj["answers"]
    ok = isinstance(value, list) and all(
        isinstance(part, list) and part and all(isinstance(s, str) and s.strip() for s in part)
        for part in value
    )
    if not ok:
        raise ValueError(
            f"{where}: 'answers' must be a list of parts, each a non-empty list of spellings"
        )
    return [list(part) for part in value]
