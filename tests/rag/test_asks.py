"""Which passage sentences ask rather than tell (candidates.asks): a question word opening a
clause asks; one opening a relative clause or an indirect question tells."""

from __future__ import annotations

import pytest

from newsqa.rag.backends.extractive import ExtractiveBackend
from newsqa.rag.candidates import _ASKS_ANYWHERE, asks
from newsqa.rag.refuse import RefusalPolicy
from newsqa.rag.support import SupportScorer
from rag_helpers import passages


@pytest.mark.parametrize("text", [
    "Who will win the race?",
    "Cup final: who is playing, when and where",
    "Tickets went on sale on Monday and who is winning the",
    "What would a remake of 'The Lamplighters' look like?",
])
def test_a_question_word_opening_a_clause_asks(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize("text", [
    "A crowd of 9,400 watched at the Harlow Arena, which was sold out for the first time.",
    "Older adults scored better than those who did not nap.",
    "It is still unclear who was responsible for the fire.",
    "The keeper (who was injured in March) returned on Sunday.",
    "I said ‘who is asking?’, and she laughed.",
])
def test_a_relative_clause_or_an_indirect_question_tells(text: str) -> None:
    assert not asks(text)


def test_the_rule_score_still_reads_a_relative_clause_as_asking() -> None:
    """The rule score's penalty keeps the reading its weights were set with (candidates.py)."""
    assert asks("The arena, which was sold out, holds 9,400.", _ASKS_ANYWHERE)


def test_a_sentence_with_a_relative_clause_is_not_refused_as_unsupported(scorer: SupportScorer) -> None:
    ps = passages("A crowd of 9,400 watched at the Harlow Arena, which was sold out for the first time "
                  "since it reopened.")
    question = "How many spectators watched at the Harlow Arena?"
    sentences = ExtractiveBackend(scorer).answer(question, ps)
    assert sentences and sentences[0].supported
    d = RefusalPolicy().decide(question, sentences, ps, scorer)
    assert d.reason != "no sentence is supported by the passages", d.reason
