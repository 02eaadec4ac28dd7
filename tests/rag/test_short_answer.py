"""The short answer for backends that quote without ranking (rag/short.py), on sentences of our own,
with the real spaCy pipeline."""

from __future__ import annotations

from newsqa.rag.short import short_answer_for
from newsqa.rag.types import Sentence

from tests.rag.rag_helpers import passages

_TEXT = ("The council met on Monday. Mayor Ada Quist opened the new bridge in Port Elnor on Tuesday. "
         "The average price of diesel in Port Elnor fell to 1.85 per litre.")


def _quoted(sentence: str, n: int = 1) -> Sentence:
    start = _TEXT.index(sentence)
    return Sentence(sentence, [n], 1.0, True, {n: (start, start + len(sentence))})


def test_a_who_question_gets_the_person_with_offsets_in_the_passage():
    ps = passages(_TEXT)
    s = _quoted("Mayor Ada Quist opened the new bridge in Port Elnor on Tuesday.")
    short = short_answer_for("Who opened the new bridge in Port Elnor?", [s], ps)
    assert short is not None and short.text == "Ada Quist" and short.n == 1
    assert _TEXT[short.start:short.end] == "Ada Quist"


def test_a_price_keeps_its_unit_and_later_sentences_are_read_when_the_first_has_none():
    ps = passages(_TEXT)
    first = _quoted("The council met on Monday.")
    second = _quoted("The average price of diesel in Port Elnor fell to 1.85 per litre.")
    short = short_answer_for("What was the average diesel price in Port Elnor?", [first, second], ps)
    assert short is not None and short.text == "1.85 per litre"


def test_no_short_answer_for_a_why_question_or_an_unlocated_sentence():
    ps = passages(_TEXT)
    s = _quoted("Mayor Ada Quist opened the new bridge in Port Elnor on Tuesday.")
    assert short_answer_for("Why did the council meet?", [s], ps) is None
    unlocated = Sentence("Ada Quist opened it.", [1], 1.0, True, {})
    assert short_answer_for("Who opened the new bridge in Port Elnor?", [unlocated], ps) is None
