"""A question typed without case of its own takes its words' usual case in the passages
(rag/recase.py), so that the analysis finds the names in it."""

from __future__ import annotations

import pytest

from newsqa.rag.query import analyse
from newsqa.rag.recase import needs_case, recase, usual_forms

_TEXTS = ["Harbour Board names new director\n\nThe harbour board named a new director on Monday. "
          "Ada Quist will start in May, Quist said. The NATO liaison office in Port Arlen welcomed it.",
          "“Quist has our trust,” the board said. Officials in Port Arlen agreed."]


@pytest.mark.parametrize("question, expected", [
    ("who is the new director of the harbour board", True),
    ("when will ada quist start?", True),
    ("WHAT DID QUIST SAY ABOUT THE NATO OFFICE?", True),
    ("What did quist say?", False),  # the asker's own case, however odd
    ("NATO?", False),  # capitals in one or two words are an acronym, not shouting
    ("??", False),
])
def test_only_a_question_without_case_of_its_own_is_recased(question: str, expected: bool) -> None:
    assert needs_case(question) is expected


def test_words_take_the_case_they_have_away_from_sentence_starts() -> None:
    forms = usual_forms(_TEXTS)
    assert forms["quist"] == "Quist" and forms["nato"] == "NATO" and forms["arlen"] == "Arlen"
    assert "harbour" not in forms and "board" not in forms  # lowercase in running text
    assert forms["ada"] == "Ada"  # seen only opening a sentence: kept as written there
    assert "the" not in forms  # capitalised only opening sentences, lowercase elsewhere


def test_a_lowercase_question_gets_its_names_back() -> None:
    cased = recase("when will ada quist start at the port arlen office?", _TEXTS)
    assert cased == "When will Ada Quist start at the Port Arlen office?"
    assert {"ada", "quist", "port", "arlen"} <= analyse(cased).named_tokens
    assert not {"port", "arlen"} & analyse("when will ada quist start at the port arlen office?").named_tokens
    shouted = recase("WHAT DID QUIST SAY ABOUT THE NATO OFFICE?", _TEXTS)
    assert shouted == "What did Quist say about the NATO office?"
    mixed = "Who is ada Quist?"
    assert recase(mixed, _TEXTS) is mixed
