"""Ages as news states them (rag/ages.py), and "how old" questions read with them: by the span
chooser (only a stated age answers) and by the sentence features (a sentence without one does not
hold what the question asks for)."""

from __future__ import annotations

import pytest

from newsqa.rag.ages import age_tokens, asked_person
from newsqa.rag.analyse import analyse_sentences
from newsqa.rag.features import Features, full_features
from newsqa.rag.query import analyse
from newsqa.rag.sentences import Candidate
from newsqa.rag.span import span_candidates


def _ages(sentence: str) -> list[str]:
    doc = analyse_sentences([sentence])[0]
    return [doc[i].text for i in sorted(age_tokens(doc))]


@pytest.mark.parametrize("sentence, ages", [
    ("Councillor Ada Marsh, 39, was elected mayor.", ["39"]),
    ("Two people died: a 68-year-old man and a woman, 54, who was struck by a tree.", ["68", "54"]),
    ("The singer, who died at age 75, was aged 80 in the film and 40 years old in the sequel.", ["75", "80", "40"]),
    ("She took the title at the age of 19 and retired at 34.", ["19", "34"]),
    ("The dog turns 31 this week, and the keepers baked a cake for his 31st birthday.", ["31", "31st"]),
    ("The toddler, two years of age, was unhurt.", ["two"]),
    ("Ann Roe (58) said she was 58, and her husband, 61, of Calder Bay, is now 62.", ["58", "58", "61", "62"]),
    ("Veteran actor dead at 83: a life on stage", ["83"]),
    ("An average 22 year-old earns less; she won at the age of just 14 and was about 35 when she left.",
     ["22", "14", "35"]),
    # numbers that count or measure something else
    ("The centre finished with 22 points, 14 rebounds and 3 blocks.", []),
    ("The Kites ended a 19-year wait, and the trophy must be returned within 60 days.", []),
    ("In 2021, 45 people were hurt; the match starts at 3 p.m. and tickets cost 30 crowns.", []),
    ("Turnout was 61 percent, the score was 3-1, there were 45 at the door and rates rose at 4%.", []),
])
def test_an_age_is_a_number_the_sentence_states_as_one(sentence: str, ages: list[str]) -> None:
    assert _ages(sentence) == ages


def _cands(*texts: str) -> list[Candidate]:
    docs = analyse_sentences(list(texts))
    return [Candidate(n=1, rank=0, span=(0, len(t)), text=t, index=i, doc=d, score=0.5, features=Features())
            for i, (t, d) in enumerate(zip(texts, docs))]


def test_how_old_is_answered_only_by_a_stated_age() -> None:
    q = analyse("How old is the Harbour Lions centre Pell Marrick?")
    # a bare count and a span of days pass as amounts of time; neither is stated as an age
    points = _cands("The Harbour Lions centre Pell Marrick scored 11 and will be out for 60 days.")
    assert span_candidates(q, points, points) == []
    stated = _cands("The Harbour Lions centre Pell Marrick, 27, finished with 22 points.")
    assert [s.ent.text for s in span_candidates(q, stated, stated)] == ["27"]


def test_a_sentence_without_an_age_does_not_hold_what_how_old_asks() -> None:
    q = analyse("How old is the Harbour Lions centre Pell Marrick?")
    cands = _cands("The centre Pell Marrick finished with 22 points and 14 rebounds for the Harbour Lions.",
                   "The Harbour Lions centre Pell Marrick, 27, finished with 22 points.")
    full_features(q, cands, [0.5, 0.5])
    assert [c.features.expected for c in cands] == [0.0, 1.0]
    # a count question reads the same sentence as holding its answer
    count = analyse("How many points did Pell Marrick score?")
    cands = _cands("The centre Pell Marrick finished with 22 points and 14 rebounds for the Harbour Lions.")
    full_features(count, cands, [0.5])
    assert cands[0].features.expected == 1.0


@pytest.mark.parametrize("question, person", [
    ("How old is Ann Roe?", "roe"),
    ("How old is Justice Ann Roe, who wrote the ruling?", "roe"),
    ("What is the age of the defeated mayor, Tor Lind?", "lind"),
    ("How old is the chief executive of Harbour Foods?", ""),
    ("What is the age of the woman who chairs the Harbour Guild?", ""),
])
def test_the_person_a_how_old_question_names(question: str, person: str) -> None:
    assert asked_person(analyse(question).doc) == person


def test_an_age_set_off_after_another_person_does_not_answer_for_a_named_one() -> None:
    sentence = "Writing for the court, Justice Hedda Lunn, 58, said the ruling stands."
    quoted = _cands(sentence)
    assert [s.ent.text for s in span_candidates(analyse("How old is Justice Ann Roe?"), quoted, quoted)] == []
    # asked by role, not by name: the age of whoever the sentence names may answer
    by_role = analyse("How old is the judge who wrote for the court?")
    assert [s.ent.text for s in span_candidates(by_role, quoted, quoted)] == ["58"]
    # and the named person's own age does
    own = _cands("Writing for the court, Justice Ann Roe, 61, said the ruling stands.")
    assert [s.ent.text for s in span_candidates(analyse("How old is Justice Ann Roe?"), own, own)] == ["61"]
