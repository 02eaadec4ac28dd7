""""Who is X?": the role the quoted sentences give the named person, as the short answer; "What is
X?": what they say X is."""

from __future__ import annotations

import pytest

from newsqa.index.embed import HashingEmbedder
from newsqa.rag.analyse import analyse_sentences
from newsqa.rag.backends.ranked import RankedBackend
from newsqa.rag.identity import asks_identity, identity_answer
from newsqa.rag.query import analyse
from newsqa.rag.sentences import Candidate
from newsqa.rag.support import SupportScorer
from rag_helpers import passages


def _cands(*texts: str) -> list[Candidate]:
    return [Candidate(n=i + 1, rank=i, span=(10, 10 + len(t)), text=t, index=0, doc=d)
            for i, (t, d) in enumerate(zip(texts, analyse_sentences(list(texts))))]


@pytest.mark.parametrize("question, asks", [
    ("Who is Ada Brenner?", True),
    ("Who was Tomas Reyes?", True),
    ("Who is the mayor of Kelham?", False),  # a role asked for: a person answers it
    ("Who is Ada Brenner's deputy?", False),  # another person
    ("Who founded Kelham Ferries?", False),
    ("What is the KFA?", True),
    ("What is the capital of Vestria?", False),
])
def test_a_question_that_asks_who_a_named_person_is(question: str, asks: bool) -> None:
    assert asks_identity(analyse(question)) is asks


@pytest.mark.parametrize("sentence, role", [
    ("Harbour board spokesman Tomas Reyes said the ferries would run again on Monday.", "Harbour board spokesman"),
    ("Kelham's deputy mayor Tomas Reyes opened the bridge.", "Kelham's deputy mayor"),
    ("Tomas Reyes, the chief executive of Kelham Ferries, declined to comment.",
     "the chief executive of Kelham Ferries"),
    ("Reyes is a retired fisherman from the north coast.", "a retired fisherman from the north coast"),
    ("Chairman of the harbour board Tomas Reyes signed the order.", "Chairman of the harbour board"),
])
def test_the_role_is_read_before_the_name_after_it_or_as_what_the_name_is(sentence: str, role: str) -> None:
    q = analyse("Who is Tomas Reyes?")
    short = identity_answer(q, _cands(sentence))
    assert short is not None and short.text == role
    assert short.n == 1 and sentence[short.start - 10:short.end - 10] == role  # offsets in the passage


def test_a_sentence_that_gives_the_name_no_role_gives_no_answer_and_the_next_one_is_read() -> None:
    q = analyse("Who is Tomas Reyes?")
    assert identity_answer(q, _cands("Tomas Reyes said the ferries would run again on Monday.")) is None
    short = identity_answer(q, _cands("Tomas Reyes said the ferries would run again.",
                                      "Port director Tomas Reyes has held the post since 2019."))
    assert short is not None and short.text == "Port director" and short.n == 2


def test_the_ranked_backend_leads_with_the_role() -> None:
    text = "Port director Tomas Reyes said on Monday that the Kelham ferries would run again from June."
    ps = passages(text)
    reply = RankedBackend(SupportScorer(HashingEmbedder())).respond("Who is Tomas Reyes?", ps, refusals=False)
    assert reply.short is not None and reply.short.text == "Port director"
    assert ps[0].chunk.text[reply.short.start:reply.short.end] == "Port director"


@pytest.mark.parametrize("sentence, thing", [
    ("Fares are set by the Kelham Ferry Authority (KFA), which met on Monday.", "the Kelham Ferry Authority"),
    ("The port-owned KFA board approved the fares on Monday.", "port-owned KFA board"),
    ("The KFA is the body that sets the harbour's ferry fares.", "the body that sets the harbour's ferry fares"),
])
def test_what_a_named_thing_is_includes_the_name_it_stands_for_and_the_noun_it_names(sentence: str,
                                                                                       thing: str) -> None:
    short = identity_answer(analyse("What is the KFA?"), _cands(sentence))
    assert short is not None and short.text == thing


def test_a_first_name_before_the_name_asked_is_not_a_role() -> None:
    """A role holds a noun for a person or a thing: a first name ending like one ("-ist") is none."""
    assert identity_answer(analyse("Who is Reyes?"), _cands("Harbour master Tomas Reyes spoke.")) is not None
    assert identity_answer(analyse("Who is Reyes?"), _cands("Lindqvist Reyes spoke on Monday.")) is None
