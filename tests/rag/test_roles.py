"""Role questions ("Who is the mayor of Calder Bay?"): the person the passage titles with the role,
the role qualified by the thing the question names, leads the answer as its short answer."""

from __future__ import annotations

import pytest

from newsqa.index.embed import HashingEmbedder
from newsqa.rag.analyse import analyse_sentences
from newsqa.rag.backends.ranked import RankedBackend
from newsqa.rag.query import analyse
from newsqa.rag.roles import is_role_question, other_holders, role_holder
from newsqa.rag.span import parse_sentences
from newsqa.rag.support import SupportScorer
from rag_helpers import passages


def _holder(question: str, sentence: str) -> str | None:
    doc = analyse_sentences([sentence])[0]
    e = role_holder(analyse(question), doc, parse_sentences([sentence])[0])
    return e.text if e is not None else None


@pytest.mark.parametrize("question", [
    "Who is the mayor of Calder Bay?",
    "Who is Grenmoor's managing director?",
    "Who is the chief economist at Halden Savings Bank?",
    "Who is the Norlandic prime minister?",
])
def test_a_question_that_asks_for_nothing_but_a_role(question: str) -> None:
    assert is_role_question(analyse(question))


@pytest.mark.parametrize("question", [
    "Who is the mayor?",  # no thing named: whose mayor?
    "Who is Ada Quist?",  # a name to describe, not a role
    "Who is the former finance chief of Halden Savings Bank who resigned?",  # asks about the resignation
    "Who opened the pier at Calder Bay?",
    "Which mayor of Calder Bay opened the pier?",
])
def test_questions_that_ask_more_than_a_role(question: str) -> None:
    assert not is_role_question(analyse(question))


def test_the_role_beside_the_name_qualified_by_the_named_thing() -> None:
    q = "Who is the mayor of Calder Bay?"
    assert _holder(q, "Calder Bay Mayor Ada Quist opened the pier on Monday.") == "Ada Quist"
    assert _holder(q, "Ada Quist, the mayor of Calder Bay, opened the pier on Monday.") == "Ada Quist"
    # another town's mayor in a sentence that names Calder Bay
    assert _holder(q, "Orsk mayor Tomas Reyes visited Calder Bay on Monday.") is None
    # the first of two mayors is the other town's
    assert _holder(q, "Orsk Mayor Tomas Reyes met Calder Bay Mayor Ada Quist on Monday.") == "Ada Quist"
    eco = "Who is the chief economist at Halden Savings Bank?"
    assert _holder(eco, "Halden Savings Bank chief economist Dana Whitt said prices would fall.") == "Dana Whitt"
    assert _holder(eco, "Dana Whitt, chief economist at Halden Savings Bank, said prices would fall.") == "Dana Whitt"


def test_a_title_with_words_the_question_does_not_use_is_another_role() -> None:
    q = "Who is the director of Harbour Lights?"
    assert _holder(q, "Harbour Lights director Lena Moss thanked the cast.") == "Lena Moss"
    assert _holder(q, "The crew paid tribute to Harbour Lights video director Lena Moss.") is None
    assert _holder("Who is the mayor of Calder Bay?", "Former Calder Bay Mayor Ada Quist opened the pier.") is None


def test_every_thing_the_question_names_must_be_in_the_sentence() -> None:
    q = "Who is the chief economist at Halden Savings Bank?"
    # "Halden" alone is not the whole of what the question names
    assert _holder(q, "Halden's chief economist Dana Whitt said prices would fall.") is None


def test_the_role_holder_leads_the_answer_and_is_its_short_answer() -> None:
    text = ("Norland President Ivo Brandt has offered to mediate between the two coastal states, "
            "and his country is ready to host the talks. "
            "Brandt said he had discussed the offer in a phone call with Vestria President Mara Lind, "
            "who welcomed it. "
            "The talks could start next month.")
    backend = RankedBackend(SupportScorer(HashingEmbedder()))
    reply = backend.respond("Who is the president of Vestria?", passages(text), refusals=False)
    assert reply.short is not None and reply.short.text == "Mara Lind"
    assert reply.sentences[0].text.startswith("Brandt said he had discussed")
    assert text[reply.short.start:reply.short.end] == "Mara Lind"
    other = backend.respond("Who is the president of Norland?", passages(text), refusals=False)
    assert other.short is not None and other.short.text == "Ivo Brandt"


_TWO_PRESIDENTS = ("Norland President Ivo Brandt has offered to mediate between the two coastal states. "
                   "President Brandt said he had discussed the offer with Vestrian Prime Minister Mara "
                   "Lind. The talks could start next month.")


def test_an_adjective_names_the_thing_a_role_is_of() -> None:
    q = "Who is the president of Norland?"
    assert _holder(q, "Norlandic President Ivo Brandt opened the talks.") == "Ivo Brandt"
    assert _holder("Who is Vestria's prime minister?", _TWO_PRESIDENTS.split(". ")[1]) == "Mara Lind"
    assert _holder("Who is the president of Norway?", "Norland President Ivo Brandt opened the talks.") is None


def test_people_titled_with_the_role_for_something_else() -> None:
    texts = analyse_sentences([s + "." for s in _TWO_PRESIDENTS.rstrip(".").split(". ")])
    assert other_holders(analyse("Who is the president of Vestria?"), texts) == [frozenset({"ivo", "brandt"})]
    assert other_holders(analyse("Who is the president of Norland?"), texts) == []
    # the prime minister of Vestria is not a minister of Norland
    assert other_holders(analyse("Who is the Norland prime minister?"), texts) == [frozenset({"mara", "lind"})]
    assert other_holders(analyse("Who opened the talks?"), texts) == []  # not a role question
    # a title qualified by no name says nothing of whose holder it is
    union = "Our members will strike, said the union's regional secretary, Nessa Dolbrin."
    said = analyse_sentences([union])
    assert other_holders(analyse("Who is the regional secretary of the Kelvaris Dockers' Union?"), said) == []


def test_a_role_no_passage_names_a_holder_of_is_refused() -> None:
    backend = RankedBackend(SupportScorer(HashingEmbedder()))
    # the passage names Norland's president and Vestria's prime minister, not Vestria's president
    reply = backend.respond("Who is the president of Vestria?", passages(_TWO_PRESIDENTS))
    assert reply.refused and "holds the role" in reply.reason
    assert "holds the role" not in backend.respond("Who is the president of Norland?", passages(_TWO_PRESIDENTS)).reason
    # a short answer never gives the president of another country
    for q in ("Who is the president of Vestria?", "Who is the Vestrian president?"):
        short = backend.respond(q, passages(_TWO_PRESIDENTS), refusals=False).short
        assert short is None or "Brandt" not in short.text


def test_a_holder_named_anywhere_in_the_passages_counts() -> None:
    from newsqa.rag.roles import holder_named
    from newsqa.rag.sentences import Candidate

    texts = ["Norland President Ivo Brandt took the ferry to Vestria on Monday."]
    texts += [f"The ferry to Vestria ran late for the {w} time this month." for w in
              ("second", "third", "fourth", "fifth", "sixth", "seventh")]
    texts.append("Vestrian President Mara Lind thanked the ferry crews.")
    docs = analyse_sentences(texts)
    # ranked as the ranker leaves them: the pre-selected first six analysed, the rest not
    ranked = [Candidate(n=1, rank=0, span=(0, len(t)), text=t, index=i, doc=d if i < 6 else None)
              for i, (t, d) in enumerate(zip(texts, docs))]
    q = analyse("Who is the president of Vestria?")
    assert holder_named(q, ranked)
    assert not holder_named(q, ranked[:7])  # only Norland's president
    # no one titled president for something else: nothing to mistake, the models decide
    assert holder_named(q, ranked[1:7])
