"""The short answer for backends that quote without ranking (rag/short.py), on sentences of our own,
with the real spaCy pipeline."""

from __future__ import annotations

from newsqa.rag.short import short_answers_for
from newsqa.rag.types import Sentence

from tests.rag.rag_helpers import passages

_TEXT = ("The council met on Monday. Mayor Ada Quist opened the new bridge in Port Elnor on Tuesday. "
         "The average price of diesel in Port Elnor fell to 1.85 per litre.")


def short_answer_for(*args, **kwargs):
    """The leading short answer (short_answers_for's first), or None."""
    found = short_answers_for(*args, **kwargs)
    return found[0] if found else None


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


def test_a_compound_question_gets_each_parts_span_in_its_order():
    ps = passages(_TEXT)
    bridge = _quoted("Mayor Ada Quist opened the new bridge in Port Elnor on Tuesday.")
    diesel = _quoted("The average price of diesel in Port Elnor fell to 1.85 per litre.")
    got = short_answers_for("Who opened the new bridge in Port Elnor, and what was the average diesel price "
                            "there?", [bridge, diesel], ps)
    assert [x.text for x in got] == ["Ada Quist", "1.85 per litre"]
    assert all(_TEXT[x.start:x.end] == x.text for x in got)
    # a part without a span of its own adds nothing; a simple question gets one
    assert [x.text for x in short_answers_for("Who opened the new bridge in Port Elnor, and why did the "
                                              "council meet?", [bridge, diesel], ps)] == ["Ada Quist"]
    assert [x.text for x in short_answers_for("Who opened the new bridge in Port Elnor?", [bridge], ps)] == \
        ["Ada Quist"]



def test_each_part_reads_its_own_sentence_and_a_skipped_part_gets_none():
    # two people in the second sentence: the first part must not take its answer from there
    text = ("Mayor Ada Quist opened the new bridge in Port Elnor on Tuesday. "
            "Councillor Ivo Brandt said Ada Quist would also open the ferry terminal.")
    ps = passages(text)
    quoted = []
    for sentence in ("Mayor Ada Quist opened the new bridge in Port Elnor on Tuesday.",
                     "Councillor Ivo Brandt said Ada Quist would also open the ferry terminal."):
        start = text.index(sentence)
        quoted.append(Sentence(sentence, [1], 1.0, True, {1: (start, start + len(sentence))}))
    question = "Who opened the new bridge in Port Elnor, and which councillor spoke about the ferry terminal?"
    got = [x.text for x in short_answers_for(question, quoted, ps)]
    assert len(got) == 2 and got[0] == "Ada Quist" and got[1].endswith("Ivo Brandt")
    skipped = short_answers_for(question, quoted, ps, skip=("Which councillor spoke about the ferry terminal?",))
    assert [x.text for x in skipped] == ["Ada Quist"]

def _position_model(weight: float, intercept: float = 0.0):
    """The shipped weights with a span model that reads only where a span starts."""
    from dataclasses import replace

    from newsqa.rag.ranker import Linear, load_model
    from newsqa.rag.span import SPAN_FEATURES

    n = len(SPAN_FEATURES)
    span = Linear(tuple(SPAN_FEATURES), (0.0,) * n, (1.0,) * n,
                  tuple(weight if f == "position" else 0.0 for f in SPAN_FEATURES), intercept)
    return replace(load_model(), span=span)


def test_the_span_model_chooses_when_the_weights_have_one_and_the_rule_when_not():
    from dataclasses import replace

    ps = passages(_TEXT)
    s = _quoted("Mayor Ada Quist opened the new bridge in Port Elnor on Tuesday.")
    question = "Who opened the new bridge?"
    last = short_answer_for(question, [s], ps, _position_model(8.0, -4.0))
    # the model takes the last span ("Tuesday", a date, is no candidate for a who question): the
    # one who opened it, which a filler of the asked role would be, has under half its probability
    assert last is not None and last.text == "Port Elnor" and _TEXT[last.start:last.end] == "Port Elnor"
    rule = short_answer_for(question, [s], ps, replace(_position_model(3.0), span=None))
    assert rule is not None and rule.text == "Ada Quist"


def test_a_statement_question_gets_what_the_quoted_sentence_reports() -> None:
    text = "The ferry stopped in March. Mayor Ada Quist said the ferry would run again by June."
    ps = passages(text)
    sentence = "Mayor Ada Quist said the ferry would run again by June."
    start = text.index(sentence)
    s = Sentence(sentence, [1], 1.0, True, {1: (start, start + len(sentence))})
    short = short_answer_for("What did Ada Quist say about the ferry?", [s], ps)
    assert short is not None and short.text == "the ferry would run again by June"
    assert text[short.start:short.end] == short.text
