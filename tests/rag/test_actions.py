"""The short answer of "What did X offer to do?": the action, from the sentence's "to" clause."""

from __future__ import annotations

import pytest

from newsqa.rag.actions import action_answer, asked_action, asked_aim, asked_content, asked_reason
from newsqa.rag.analyse import analyse_sentences
from newsqa.rag.query import analyse
from newsqa.rag.ranker import load_model
from newsqa.rag.sentences import Candidate
from newsqa.rag.short import part_short_answer


def _cands(*texts: str) -> list[Candidate]:
    docs = analyse_sentences(list(texts))
    return [Candidate(n=i + 1, rank=i, span=(10, 10 + len(t)), text=t, index=0, doc=d, score=0.5)
            for i, (t, d) in enumerate(zip(texts, docs))]


@pytest.mark.parametrize("question, verb", [
    ("What did the harbour board offer to do?", "offer"),
    ("What has the dockers' union threatened to do?", "threaten"),
    ("What did the council agree to do about the bridge?", "agree"),
    ("What did the council offer?", ""),  # a thing offered, the span model's to find
    ("What did Ada Quist do?", ""),
])
def test_the_verb_whose_intended_action_is_asked(question: str, verb: str) -> None:
    assert asked_action(analyse(question)) == verb


@pytest.mark.parametrize("question, text, action", [
    ("What did the harbour board offer to do?",
     "The harbour board has offered to pay for the new crane, saying the port could not wait.",
     "to pay for the new crane"),
    ("What has the dockers' union threatened to do?",
     "Ada Quist said the dockers' union had threatened to strike for five days in May.",
     "to strike for five days in May"),
    # a noun of the verb's family carries the clause too
    ("What did the ferry operator plan to do?",
     "The ferry operator announced plans to close the night route from March.",
     "to close the night route from March"),
    # what a verb was for: the act after "for"
    ("What was the ferry operator fined for?",
     "The ferry operator was fined 40,000 euros on Monday for failing to keep its life rafts in order.",
     "failing to keep its life rafts in order"),
    ("What did the mayor praise the harbour crews for?",
     "The mayor praised the harbour crews for working through the storm, saying the town owed them.",
     "working through the storm"),
    # what someone found or decided: the clause in place of the verb's object
    ("What did the harbour study find?",
     "The harbour study, led by Ada Quist, found that ferries older than 30 years burn twice the fuel.",
     "ferries older than 30 years burn twice the fuel"),
    ("What did the council decide on Monday?",
     "The Kelham council decided on Monday to close the old bridge to lorries.",
     "to close the old bridge to lorries"),
    ("What did the ferry board agree?",
     "The ferry board agreed that fares would rise by 5 percent in May.",
     "fares would rise by 5 percent in May"),
])
def test_the_action_is_the_clause_the_sentence_gives_the_verb(question: str, text: str, action: str) -> None:
    quoted = _cands("Kelham's port reopened on Monday after the storm.", text)
    got = action_answer(analyse(question), quoted)
    assert got is not None and got.text == action and got.n == 2
    start = quoted[1].span[0] + text.index(action)  # offsets in the passage, as every short answer's
    assert (got.start, got.end) == (start, start + len(action))
    assert part_short_answer(analyse(question), quoted, quoted, load_model()) == got


@pytest.mark.parametrize("question, aim", [
    ("What is the council's priority this year?", "priority"),
    ("What was the purpose of the minister's visit?", "purpose"),
    ("What is the price of the ticket?", ""),  # an amount: "The price is to rise" is what is to come
    ("What did the council offer to do?", ""),
])
def test_the_noun_whose_aim_is_asked(question: str, aim: str) -> None:
    assert asked_aim(analyse(question)) == aim


def test_an_aim_is_the_action_a_sentence_equates_it_with_verbs_joined_to_it_included() -> None:
    text = ("Ada Quist said the priority this year is to reopen the ferry route, repair the pier and "
            "cut fares, and that talks would begin in May.")
    quoted = _cands(text)
    got = action_answer(analyse("What is the council's priority this year?"), quoted)
    assert got is not None and got.text == "to reopen the ferry route, repair the pier and cut fares"
    assert action_answer(analyse("What is the ferry operator's plan?"), quoted) is None


@pytest.mark.parametrize("question, verb", [
    ("What was the ferry operator fined for?", "fined"),
    ("What did the mayor praise the harbour crews for?", "praise"),
    ("What was the striker arrested for?", "arrested"),
    ("What team does Ada Quist play for?", ""),  # a team, the span model's to find
    ("Who did the council vote for?", ""),
])
def test_the_verb_whose_for_is_asked(question: str, verb: str) -> None:
    assert (verb in asked_reason(analyse(question))) if verb else not asked_reason(analyse(question))


@pytest.mark.parametrize("question, verb", [
    ("What did the harbour study find?", "find"),
    ("What did the council decide on Monday?", "decide"),
    ("What deal did the council agree?", ""),  # a deal: a thing, the span model's to find
    ("What did the mayor say?", ""),  # a statement (reported.py)
    ("What did the council do?", ""),
])
def test_the_verb_whose_object_is_asked(question: str, verb: str) -> None:
    assert asked_content(analyse(question)) == verb


@pytest.mark.parametrize("question, text", [
    ("What did the harbour board offer to do?", "The harbour board met on Monday to discuss the crane."),
    # "for fraud", "found a crack": a noun, which the span model reads like any other answer
    ("What was the ferry operator fined for?", "The ferry operator was fined 40,000 euros on Monday for fraud."),
    ("What did the harbour study find?", "The harbour study found a crack in the old pier."),
])
def test_no_clause_where_no_quoted_sentence_gives_one(question: str, text: str) -> None:
    assert action_answer(analyse(question), _cands(text)) is None
