"""The feedback store: validation, durability across processes, and bad rows never costing good ones."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import sqlite3
from pathlib import Path

import pytest

from newsqa.rag.feedback import Feedback, FeedbackStore, make_feedback
from newsqa.rag.sqlite_db import UserDataError
from rag_helpers import errors_in_threads


def answer_json(question: str = "Which bridge reopened in Corvel?", text: str = "The Amberline bridge reopened.",
                as_of: str | None = "2026-05-02") -> dict:
    return {"question": question, "standalone_question": question, "answer": f"{text} [1]", "refused": False,
            "short_answer": None, "as_of": as_of, "time_window": None, "backend": "extractive",
            "sentences": [{"text": text, "citations": [1], "support": 0.8, "supported": True}],
            "citations": [{"n": 1, "article_id": "corvel-1", "chunk_id": "corvel-1:0", "title": "Bridge",
                           "source": "Valley Post", "published_at": "2026-05-01", "url": "https://vp.example/1",
                           "text": text, "char_start": 0, "char_end": len(text), "score": 0.5}],
            "retrieved": ["corvel-1"], "timings_ms": {}}


def test_add_and_read_back(tmp_path: Path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    fb = store.add(make_feedback("up", answer_json(), user="ines", note="right", turns=["Earlier?"],
                                 conversation_id="c1", turn=1))
    assert fb.id == 1 and fb.created_at
    got = store.all()
    assert got.problems == [] and len(got.rows) == 1
    row = got.rows[0]
    assert (row.rating, row.user, row.note, row.question, row.as_of, row.turns, row.turn) == (
        "up", "ines", "right", "Which bridge reopened in Corvel?", "2026-05-02", ("Earlier?",), 1)
    assert row.answer == answer_json()
    # an API client may send the answer as a JSON string
    store.add(make_feedback("down", json.dumps(answer_json())))
    assert [r.rating for r in store.all().rows] == ["up", "down"]
    assert [r.rating for r in store.all("down").rows] == ["down"]


def test_missing_file_reads_empty_and_is_not_created(tmp_path: Path):
    path = tmp_path / "nowhere" / "feedback.sqlite3"
    assert FeedbackStore(path).all().rows == []
    assert not path.parent.exists()


@pytest.mark.parametrize("kwargs,field", [
    ({"rating": "meh"}, "rating"),
    ({"answer": {"question": ""}}, "question"),
    ({"answer": "{not json"}, "answer"),
    ({"answer": ["a list"]}, "answer"),
    ({"note": "x" * 5000}, "note"),
    ({"answer": {**answer_json(), "as_of": "May 2nd"}}, "as_of"),
    ({"answer": {**answer_json(), "sentences": "one"}}, "answer"),
])
def test_bad_feedback_names_the_field_and_stores_nothing(tmp_path: Path, kwargs, field):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add(make_feedback("up", answer_json()))
    args = {"rating": "up", "answer": answer_json(), **kwargs}
    with pytest.raises(ValueError, match=f"^{field}"):
        store.add(make_feedback(args.pop("rating"), args.pop("answer"), **args))
    assert len(store.all().rows) == 1


def test_unserialisable_answer_is_refused_before_writing(tmp_path: Path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add(make_feedback("up", answer_json()))
    bad = Feedback("up", "A question?", {**answer_json(), "score": float("nan")})
    with pytest.raises(ValueError, match="answer"):
        store.add(bad)
    assert len(store.all().rows) == 1


def test_a_write_failing_half_way_is_rolled_back(tmp_path: Path, monkeypatch):
    """The insert succeeds but the transaction dies before COMMIT: the row is not there, the
    earlier ones are, and the file still takes writes."""
    import newsqa.rag.feedback as fbmod

    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add(make_feedback("up", answer_json()))
    real = fbmod.transaction

    from contextlib import contextmanager

    @contextmanager
    def dying(path, schema):
        with real(path, schema) as conn:
            yield conn
            raise OSError("disk pulled out")

    monkeypatch.setattr(fbmod, "transaction", dying)
    with pytest.raises(OSError):
        store.add(make_feedback("down", answer_json()))
    monkeypatch.setattr(fbmod, "transaction", real)
    assert [r.rating for r in store.all().rows] == ["up"]
    store.add(make_feedback("wrong_citation", answer_json()))
    assert [r.rating for r in store.all().rows] == ["up", "wrong_citation"]


def test_corrupt_rows_are_reported_not_fatal(tmp_path: Path):
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path)
    store.add(make_feedback("up", answer_json()))
    with sqlite3.connect(path) as conn:  # a row edited by hand / by another program
        conn.execute("INSERT INTO feedback (created_at, rating, question, answer_json) VALUES "
                     "('2026-01-01', 'up', 'Broken?', '{truncated')")
        conn.execute("INSERT INTO feedback (created_at, rating, question, answer_json) VALUES "
                     "('2026-01-01', 'excellent', 'Odd?', '{}')")
    store.add(make_feedback("down", answer_json()))
    got = store.all()
    assert [r.rating for r in got.rows] == ["up", "down"]
    assert len(got.problems) == 2 and "row 2" in got.problems[0] and "rating" in got.problems[1]


def test_unwritable_place_is_a_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserDataError, match="feedback.sqlite3"):
        FeedbackStore(blocker / "feedback.sqlite3").add(make_feedback("up", answer_json()))


def test_concurrent_threads_lose_nothing(tmp_path: Path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")

    def work(w: int) -> None:
        for i in range(25):
            store.add(make_feedback("up", answer_json(question=f"Thread {w} question {i}?"), user=f"t{w}"))

    assert errors_in_threads(work, 6) == []
    rows = store.all().rows
    assert len(rows) == 150 and len({r.question for r in rows}) == 150


def _writer(path: str, w: int, n: int) -> None:
    store = FeedbackStore(Path(path))
    for i in range(n):
        store.add(make_feedback("down" if i % 2 else "up", answer_json(question=f"Worker {w} asks {i}?"),
                                user=f"w{w}"))


def _dies_mid_write(path: str) -> None:
    """Insert inside a transaction, then the process is killed before COMMIT."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO feedback (created_at, rating, question, answer_json) VALUES "
                 "('2026-01-01', 'up', 'Never committed?', '{}')")
    os._exit(1)


def test_concurrent_processes_lose_nothing_and_a_killed_writer_costs_nothing(tmp_path: Path):
    path = tmp_path / "feedback.sqlite3"
    FeedbackStore(path).add(make_feedback("up", answer_json()))
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 30)) for w in range(4)]
    procs.append(ctx.Process(target=_dies_mid_write, args=(str(path),)))
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0, 1]
    got = FeedbackStore(path).all()
    assert got.problems == []
    assert len(got.rows) == 1 + 4 * 30
    assert "Never committed?" not in {r.question for r in got.rows}
    assert {r.user for r in got.rows} == {"", "w0", "w1", "w2", "w3"}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
