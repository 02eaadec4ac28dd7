"""Citation parsing and answer verification."""

from __future__ import annotations


from newsqa.rag.cite import (
    answer_text, check_answer, highlight_span, is_filler, is_refusal, parse_citations,
)
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import REFUSAL_TEXT
from rag_helpers import passages

P1 = ("Ilsa Verhoven won the 2018 Harbourne Open women's singles title. "
      "She beat Greta Lindqvist in three sets in the final.")
P2 = "Corvane Motors reported revenue of $7.3 billion in the first quarter of 2019. Deliveries rose."
P3 = "The messaging app deal was worth $6 billion and closed in October."


# -- parsing -------------------------------------------------------------------------------------

def test_parse_markers_in_and_after_sentences() -> None:
    got = parse_citations("Verhoven won Harbourne [1]. Corvane earned more [2, 3]. It rained.[4] Fine[1][2].")
    assert got == [("Verhoven won Harbourne.", [1]), ("Corvane earned more.", [2, 3]),
                   ("It rained.", [4]), ("Fine.", [1, 2])]


def test_parse_labels_ranges_and_duplicates() -> None:
    got = parse_citations("One fact [Passage 2]. Another fact [1-3] [3]. A third, unsourced.")
    assert got == [("One fact.", [2]), ("Another fact.", [1, 2, 3]), ("A third, unsourced.", [])]


def test_parse_marker_mid_sentence_and_glued_text() -> None:
    got = parse_citations("Verhoven [1] beat Lindqvist.[2]Then she retired.")
    assert got == [("Verhoven beat Lindqvist.", [1, 2]), ("Then she retired.", [])]


def test_parse_empty() -> None:
    assert parse_citations("") == []
    assert parse_citations("   [1] ") == []


def test_filler_and_refusal_detection() -> None:
    for s in ("Sure!", "Here is the answer:", "Based on the passages provided:", "Okay.", "- "):
        assert is_filler(s), s
    assert not is_filler("Verhoven won in 2018.")
    assert is_refusal(REFUSAL_TEXT)
    assert is_refusal(REFUSAL_TEXT.upper().rstrip("."))
    assert not is_refusal("Verhoven won. " + REFUSAL_TEXT + " But also many other things were said here.")


# -- checking ------------------------------------------------------------------------------------

def test_check_keeps_a_correct_citation(scorer: SupportScorer) -> None:
    ps = passages(P1, P2)
    [s] = check_answer("Ilsa Verhoven won the 2018 Harbourne Open women's singles title [1].", ps, scorer)
    assert s.citations == [1] and s.supported and s.support > 0.9
    a, b = s.spans[1]
    assert P1[a:b] == "Ilsa Verhoven won the 2018 Harbourne Open women's singles title."


def test_check_reassigns_a_wrong_citation(scorer: SupportScorer) -> None:
    ps = passages(P1, P2)
    [s] = check_answer("Corvane Motors reported revenue of $7.3 billion in the first quarter of 2019 [1].", ps, scorer)
    assert s.citations == [2] and s.supported


def test_check_assigns_when_uncited_and_drops_missing_passages(scorer: SupportScorer) -> None:
    ps = passages(P1, P2)
    out = check_answer("Sure! Greta Lindqvist was beaten in three sets in the final [7].", ps, scorer)
    assert [s.text for s in out] == ["Greta Lindqvist was beaten in three sets in the final."]
    assert out[0].citations == [1]
    a, b = out[0].spans[1]
    assert P1[a:b] == "She beat Greta Lindqvist in three sets in the final."


def test_check_marks_unsupported_sentences(scorer: SupportScorer) -> None:
    ps = passages(P1, P2)
    out = check_answer("Verhoven won the 2015 Harbourne Open women's singles title [1]. "
                       "Corvane Motors reported revenue of $7.3 billion in the first quarter of 2019 [2].", ps, scorer)
    assert [s.supported for s in out] == [False, True]
    assert out[0].citations == [] and out[0].spans == {}
    assert out[1].citations == [2]


def test_check_joint_support_by_two_passages(scorer: SupportScorer) -> None:
    ps = passages("Brightwave bought the messaging app Quillo in October.", P3, P2)
    [s] = check_answer("Brightwave bought the messaging app Quillo in a deal worth $6 billion.", ps, scorer)
    assert s.supported
    assert sorted(s.citations) == [1, 2]
    assert set(s.spans) == {1, 2}


def test_check_refusal_and_empty(scorer: SupportScorer) -> None:
    ps = passages(P1)
    assert check_answer(REFUSAL_TEXT, ps, scorer) == []
    assert check_answer("  ", ps, scorer) == []
    assert check_answer("Here is the answer:", ps, scorer) == []
    [s] = check_answer("Verhoven won [1].", [], scorer)
    assert not s.supported and s.citations == []


def test_highlight_span_finds_the_backing_sentence(scorer: SupportScorer) -> None:
    text = "Intro line about tennis.\n\n" + P1 + " Later she retired."
    a, b = highlight_span("Lindqvist was beaten in three sets in the final.", text, scorer)
    assert text[a:b] == "She beat Greta Lindqvist in three sets in the final."
    # a sentence that needs the name from the sentence before gets both
    a, b = highlight_span("Verhoven beat Lindqvist in three sets in the final.", text, scorer)
    assert text[a:b] == P1
    assert highlight_span("anything", "", scorer) == (0, 0)


def test_answer_text_renders_markers(scorer: SupportScorer) -> None:
    out = check_answer("Ilsa Verhoven won the 2018 Harbourne Open women's singles title [1].", passages(P1), scorer)
    assert answer_text(out) == "Ilsa Verhoven won the 2018 Harbourne Open women's singles title. [1]"
