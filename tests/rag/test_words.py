"""Words of questions and sentences: irregular forms matched through the lemmatizer's tables."""

from __future__ import annotations

import pytest

from newsqa.index.embed import HashingEmbedder
from newsqa.rag.backends.extractive import ExtractiveBackend
from newsqa.rag.support import SupportScorer
from newsqa.rag.words import content_words, matched_words, stem
from rag_helpers import passages


@pytest.mark.parametrize("question,sentence", [
    ("When did the storm strike?", "The storm struck the coast on Tuesday night."),
    ("When did the index fall?", "The index fell 4 percent in early trading."),
    ("When did rents rise?", "Rents rose 9 percent over the year."),
    ("When were child places cut?", "Nursery places for 400 children were cut."),
    ("When was the cargo ship?", "The cargo was first shipped to Ostrava."),
])
def test_irregular_forms_match_their_lemma(question: str, sentence: str) -> None:
    q = content_words(question)
    assert matched_words(q, content_words(sentence)) == q


def test_regular_forms_keep_their_reading() -> None:
    # "lives" is the verb "live" as often as the noun "life": the regular reading stays
    assert stem("lives") == stem("live")
    # "-ied"/"-ies" forms keep relating to their "-ier" relatives through the suffix stripper
    assert stem("supplied") == stem("supplies")
    assert matched_words({stem("supplied")}, {stem("supplier")})
    # the hand-kept relations of different words still hold
    assert stem("won") == stem("winner") == stem("wins")


def test_a_question_in_another_tense_is_answered() -> None:
    """Both sentences name the earthquake, the province and a day; only the tense of the question's
    verb ("strike") tells the one that answers."""
    ps = passages("The earthquake in Pellaro province was felt in towns 300 kilometres away on Monday.",
                  "The earthquake struck Pellaro province on Tuesday, officials said.")
    out = ExtractiveBackend(SupportScorer(HashingEmbedder())).answer(
        "When did the earthquake strike Pellaro province?", ps)
    assert out and "Tuesday" in out[0].text
