"""Questions that ask what a thing is called, answered by the name a sentence gives it."""

from __future__ import annotations

import pytest

from newsqa.rag.analyse import analyse_sentences
from newsqa.rag.naming import given_names, name_answer
from newsqa.rag.query import analyse
from newsqa.rag.ranker import load_model
from newsqa.rag.sentences import Candidate
from newsqa.rag.short import part_short_answer
from newsqa.rag.span import parse_sentences


def _cands(*texts: str) -> list[Candidate]:
    docs = analyse_sentences(list(texts))
    return [Candidate(n=i + 1, rank=i, span=(10, 10 + len(t)), text=t, index=0, doc=d, score=0.5)
            for i, (t, d) in enumerate(zip(texts, docs))]


@pytest.mark.parametrize("question, asks", [
    ("What is the new ferry called?", True),
    ("A storm flooded Kelham on Monday. What is it called?", True),
    ("What was the vaccine dubbed?", True),
    ("What is the harbour plan known as?", True),
    ("What is the name of the new bridge?", True),
    ("What name did the council choose for the bridge?", True),
    ("What do locals call the old mill?", True),
    ("Kelham's bus app came back on Monday rebranded as:", True),
    ("The storm was nicknamed:", True),
    ("Who was named coach of the Harbour Lions?", False),
    ("What is the capital of Norland?", False),
    ("What did the mayor say about the bridge?", False),
])
def test_a_question_that_asks_what_a_thing_is_called(question: str, asks: bool) -> None:
    assert analyse(question).asks_name is asks


@pytest.mark.parametrize("text, names", [
    ("Crews named the Ridge Pass blaze on Monday.", ["Ridge Pass blaze"]),
    ("The storm, dubbed Storm Kelda by forecasters, hit the coast on Monday.", ["Storm Kelda"]),
    ("The new model is called the Vanta X2.", ["Vanta X2"]),
    ("The plan, known as Project Hearth, was unveiled on Monday.", ["Project Hearth"]),
    # the name it had is no name given: "formerly known as"
    ("Kelham's bus app, previously known as FlixNow, returns on Monday rebranded as Flix.", ["Flix"]),
    ("The minister called the plan a disaster.", []),  # no name: nothing capitalised or quoted
    ("The mayor called Ada Quist on Monday.", []),  # a telephone call
])
def test_the_names_a_sentence_gives(text: str, names: list[str]) -> None:
    parse = parse_sentences([text])[0]
    assert [parse[i:j].text for i, j in given_names(parse)] == names


@pytest.mark.parametrize("question, text, name", [
    ("What is the name of the new ferry?", "The new ferry, the Island Star, sails in May.", "Island Star"),
    ("What is the harbour spokesman called?", "Harbour spokesman Ivo Brandt declined to comment.", "Ivo Brandt"),
    ("What is the harbour spokesman called?", "Ivo Brandt, the harbour spokesman, declined to comment.",
     "Ivo Brandt"),
])
def test_the_name_beside_the_noun_the_question_names(question: str, text: str, name: str) -> None:
    got = name_answer(analyse(question), _cands(text))
    assert got is not None and got.text == name
    # the noun's name, not any name: another noun's apposition is no answer
    assert name_answer(analyse("What is the name of the new bridge?"), _cands(text)) is None


def test_the_name_answers_and_the_question_s_own_name_does_not() -> None:
    text = "Kelham's bus app, previously known as FlixNow, returns on Monday rebranded as Flix."
    quoted = _cands("Kelham's port reopened on Monday after the storm.", text)
    q = analyse("Kelham's bus app FlixNow came back on Monday rebranded as:")
    got = name_answer(q, quoted)
    assert got is not None and got.text == "Flix" and got.n == 2
    start = quoted[1].span[0] + text.index("Flix.")  # offsets in the passage
    assert (got.start, got.end) == (start, start + len("Flix"))
    assert part_short_answer(q, quoted, quoted, load_model()) == got


def test_no_name_answer_for_other_questions_or_without_a_name_given() -> None:
    quoted = _cands("The storm, dubbed Storm Kelda by forecasters, hit the coast on Monday.")
    assert name_answer(analyse("When did the storm hit the coast?"), quoted) is None
    plain = _cands("The storm hit the coast of Norland on Monday.")
    assert name_answer(analyse("What was the storm called?"), plain) is None
