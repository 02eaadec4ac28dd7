"""Conversations: per-owner storage, answers read back as they were, concurrent writers, bad records,
and the Markdown export with numbered sources."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from newsqa.index.articles import Chunk
from newsqa.rag.conversations import (
    ConversationStore, StoredTurn, answer_from_record, answer_record, conversation_markdown, md_text, title_of,
)
from newsqa.rag.types import REFUSAL_TEXT, Answer, Passage, Sentence, ShortAnswer, TimeWindow
from rag_helpers import errors_in_threads

TEXT1 = "The Amberline bridge in Corvel reopened on Monday after a year of repairs costing 4 million."
TEXT2 = "Corvel's mayor, Tilde Varga, cut the ribbon and promised a second bridge by 2029."


def _answer(question: str = "Which bridge reopened in Corvel?") -> Answer:
    c1 = Chunk("corvel-1:0", "corvel-1", 0, TEXT1, 10, 10 + len(TEXT1), title="Bridge <reopens>",
               source="Valley Post", url="https://vp.example/bridge", published_at="2026-05-01T08:00:00")
    c2 = Chunk("corvel-2:3", "corvel-2", 3, TEXT2, 0, len(TEXT2), title="Ribbon cut", source="Coast Daily",
               url="javascript:alert(1)", published_at="2026-05-02")
    return Answer(question, [Sentence("The Amberline bridge in Corvel reopened on Monday.", [1], 0.91, True,
                                      {1: (0, 45)}),
                             Sentence("The mayor promised a second bridge.", [2], 0.4, False, {2: (30, 80)})],
                  [Passage(1, c1, 0.61), Passage(2, c2, 0.33)], "extractive", standalone_question=question,
                  timings_ms={"total": 20.5}, short_answer=ShortAnswer("The Amberline bridge", 1, 0, 20),
                  as_of=date(2026, 5, 3),
                  time_window=TimeWindow("this week", date(2026, 4, 27), date(2026, 5, 3), False))


def test_answer_record_round_trip():
    a = _answer()
    back = answer_from_record(answer_record(a))
    assert back.to_json() == a.to_json()
    assert [s.spans for s in back.sentences] == [{1: (0, 45)}, {2: (30, 80)}]
    assert back.short_answer == a.short_answer and back.time_window == a.time_window and back.as_of == a.as_of
    refusal = Answer("Q?", [Sentence(REFUSAL_TEXT)], [], "extractive", refused=True)
    assert answer_from_record(answer_record(refusal)).to_json() == refusal.to_json()
    refusal.notice = "No article in the store is dated in this week."  # why, kept with the turn
    assert answer_from_record(answer_record(refusal)).notice == refusal.notice
    md = conversation_markdown("C", [StoredTurn("Q?", refusal)])
    assert f"*{refusal.notice}*" in md
    # a refusal's reason and the sentence that came closest are kept with the turn and exported
    a = _answer()
    near = Answer("Q?", [Sentence(REFUSAL_TEXT)], a.passages, "ranked", refused=True,
                  refusal_reason="no sentence answers the question (score 0.30, below 0.41)",
                  closest=Sentence("The Amberline bridge in Corvel reopened on Monday.", [1], spans={1: (0, 45)}))
    back = answer_from_record(answer_record(near))
    assert back.refusal_reason == near.refusal_reason and back.closest is not None
    assert (back.closest.text, back.closest.citations, back.closest.spans) == (near.closest.text, [1], {1: (0, 45)})
    assert back.closest.supported  # shown again without an "unsupported" flag
    md = conversation_markdown("C", [StoredTurn("Q?", near)])
    assert "> The Amberline bridge in Corvel reopened on Monday. [1]" in md and "Bridge" in md
    assert f"*Refused because {md_text(near.refusal_reason)}.*" in md


def test_a_compound_questions_short_answers_survive_the_round_trip_and_old_records_keep_theirs():
    a = _answer("Which bridge reopened in Corvel, and who cut the ribbon?")
    a.short_answers = (a.short_answer, ShortAnswer("Tilde Varga", 2, 16, 27))
    rec = answer_record(a)
    back = answer_from_record(rec)
    assert back.all_short_answers() == a.all_short_answers() and len(back.all_short_answers()) == 2
    assert [x["text"] for x in back.to_json()["short_answers"]] == ["The Amberline bridge", "Tilde Varga"]
    del rec["short_answers"]  # a record written before there was one per part
    assert answer_from_record(rec).all_short_answers() == (a.short_answer,)


def test_also_in_survives_the_round_trip():
    rec = answer_record(_answer())
    rec["citations"][0]["also_in"] = [{"source": "Hill Herald", "url": "https://hh.example/b", "date": "2026-05-01",
                                       "article_id": "hh-9"}]
    from newsqa.ui.render import also_in

    back = answer_from_record(rec)
    assert also_in(back.passages[0]) == [{"source": "Hill Herald", "url": "https://hh.example/b",
                                          "date": "2026-05-01", "article_id": "hh-9"}]
    assert also_in(back.passages[1]) == []


@pytest.mark.parametrize("rec", [{}, {"question": "Q?", "sentences": "x"},
                                 {"question": "Q?", "sentences": [], "citations": [{"n": "one"}]}])
def test_bad_records_raise_value_error(rec):
    with pytest.raises(ValueError, match="not an answer record"):
        answer_from_record(rec)


def test_conversations_are_per_owner(tmp_path: Path):
    store = ConversationStore(tmp_path / "conversations.sqlite3")
    cid = store.create("user:ines", "Which bridge reopened in Corvel?")
    store.save_turn(cid, "user:ines", 0, "Which bridge reopened in Corvel?", _answer())
    store.save_turn(cid, "user:ines", 1, "Who cut the ribbon?", None, "the store is busy")
    store.set_rating(cid, "user:ines", 0, "up")
    other = store.create("user:omar", "Something else?")
    listed = store.list("user:ines")
    assert [(i.id, i.n_turns, i.title) for i in listed] == [(cid, 2, "Which bridge reopened in Corvel?")]
    conv = store.load(cid, "user:ines")
    assert conv is not None
    assert [(t.question, t.rating, t.error) for t in conv.turns] == [
        ("Which bridge reopened in Corvel?", "up", ""), ("Who cut the ribbon?", "", "the store is busy")]
    assert conv.turns[0].answer.to_json() == _answer().to_json()
    # another reader can neither read nor write it
    assert store.load(cid, "user:omar") is None
    with pytest.raises(KeyError):
        store.save_turn(cid, "user:omar", 2, "Mine now?", None)
    assert [i.id for i in store.list("user:omar")] == [other]
    # rewriting a turn replaces it
    store.save_turn(cid, "user:ines", 1, "Who cut the ribbon?", _answer("Who cut the ribbon?"))
    assert store.load(cid, "user:ines").turns[1].answer.question == "Who cut the ribbon?"


def test_a_bad_stored_answer_becomes_that_turns_error(tmp_path: Path):
    path = tmp_path / "conversations.sqlite3"
    store = ConversationStore(path)
    cid = store.create("browser:x", "First?")
    store.save_turn(cid, "browser:x", 0, "First?", _answer("First?"))
    store.save_turn(cid, "browser:x", 1, "Second?", _answer("Second?"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE turns SET answer_json = '{\"question\": 3' WHERE idx = 0")
    conv = store.load(cid, "browser:x")
    assert "could not be read back" in conv.turns[0].error and conv.turns[0].answer is None
    assert conv.turns[1].answer is not None and conv.turns[1].answer.question == "Second?"


def test_concurrent_writers_keep_every_turn(tmp_path: Path):
    store = ConversationStore(tmp_path / "conversations.sqlite3")

    def work(w: int) -> None:
        cid = store.create(f"user:{w}", f"Reader {w}")
        for i in range(10):
            store.save_turn(cid, f"user:{w}", i, f"Question {i}?", _answer(f"Question {i}?"))

    assert errors_in_threads(work, 5) == []
    for w in range(5):
        (info,) = store.list(f"user:{w}")
        assert info.n_turns == 10
        assert len(store.load(info.id, f"user:{w}").turns) == 10


def test_markdown_export_numbers_sources_once_and_quotes_them():
    a = _answer()
    follow = _answer("And who cut the ribbon?")
    md = conversation_markdown("Which bridge reopened in Corvel?",
                               [StoredTurn(a.question, a), StoredTurn("Broken?", None, "no answer was produced"),
                                StoredTurn(follow.question, follow)], exported=date(2026, 5, 4))
    assert md.startswith("# Which bridge reopened in Corvel?\n")
    assert "Exported from newsqa on 2026-05-04." in md
    assert "## 1. Which bridge reopened in Corvel?" in md and "## 3. And who cut the ribbon?" in md
    assert "**The Amberline bridge**" in md  # the short answer first
    assert "The Amberline bridge in Corvel reopened on Monday. [1]" in md
    assert "The mayor promised a second bridge. [2] (unsupported)" in md
    assert "*no answer was produced*" in md and "*As of 2026-05-03.*" in md
    sources = md.split("## Sources", 1)[1]
    # the follow-up cites the same passages: still two sources, not four
    assert "1. **Bridge \\<reopens\\>**, Valley Post, 2026-05-01. <https://vp.example/bridge>" in sources
    assert "2. **Ribbon cut**, Coast Daily, 2026-05-02\n" in sources  # the javascript: URL is dropped
    assert "3. " not in sources
    assert f"   > {TEXT1[:45]}" in sources  # the quoted span the answer rests on
    assert "javascript" not in md


def test_a_compound_questions_unanswered_part_is_kept_and_said_in_the_export():
    a = _answer("Which bridge reopened in Corvel, and who won the regatta?")
    a.unanswered_parts = ("who won the regatta?",)
    back = answer_from_record(answer_record(a))
    assert back.unanswered_parts == ("who won the regatta?",) and back.to_json() == a.to_json()
    md = conversation_markdown("Bridge", [StoredTurn(a.question, a)], exported=date(2026, 5, 4))
    assert "*Not answered from the articles: “who won the regatta?”*" in md
    a.refused = True  # a refusal says so itself: no part is listed
    assert a.to_json()["unanswered_parts"] == []


def test_markdown_text_is_inert():
    assert md_text("<b>[x](http://e)</b> *y* #z") == "\\<b\\>\\[x\\](http://e)\\</b\\> \\*y\\* \\#z"
    assert title_of("word " * 40).endswith("…") and len(title_of("word " * 40)) <= 81
