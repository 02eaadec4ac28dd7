"""Word families in the ranker's lexical features: a question's word is found in a sentence that
writes it in another part of speech ("financial" / "finance", "statement" / "stated")."""

from __future__ import annotations

from newsqa.rag.families import relatives
from newsqa.rag.features import cheap_features
from newsqa.rag.query import analyse
from newsqa.rag.sentences import passage_candidates
from rag_helpers import passages


def test_a_word_s_family_is_found_in_any_of_its_regular_forms() -> None:
    assert {"finance", "financing"} <= relatives("financial")
    assert {"state", "stated", "stating"} <= relatives("statement")
    assert "attendance" in relatives("attend")
    assert relatives("kelham") == frozenset()  # a word without a family
    assert "death" not in relatives("die")  # a relative by WordNet only, not by spelling


def test_a_question_word_counts_as_present_in_another_part_of_speech() -> None:
    ps = passages("The ferry company's finance chief, Ada Brenner, resigned on Monday. "
                  "The ferry company's chief engineer, Tomas Reyes, stayed on.")
    cands = passage_candidates(ps)
    cheap_features(analyse("Who was the ferry company's chief financial officer?"), ps, cands)
    finance, engineer = cands[0].features, cands[1].features
    assert finance.overlap > engineer.overlap and finance.bm25 == 1.0
