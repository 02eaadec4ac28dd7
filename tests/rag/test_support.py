"""The support scorer: key terms, evidence units, scores and the embedding cache."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pytest

from newsqa.index.embed import HashingEmbedder
from newsqa.rag.evidence import evidence_spans, split_evidence
from newsqa.rag.support import DEFAULT_THRESHOLD, P_NAME, P_NAME_PART, SupportScorer, claims, coverage
from newsqa.rag.terms import key_terms

CHAMPION = "Ilsa Verhoven won the 2021 Kingsmere women's singles title."
REVENUE = "Corvane reported revenue of $7.3 billion in the first quarter of 2021, up 61% from a year earlier."


class CountingEmbedder:
    """HashingEmbedder that records every text it is asked to embed."""

    def __init__(self) -> None:
        self._inner = HashingEmbedder()
        self.dim = self._inner.dim
        self.fingerprint = "count"
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self._inner.embed(texts)


# -- key terms -----------------------------------------------------------------------------------

def test_key_terms_names_years_and_numbers() -> None:
    k = key_terms(CHAMPION)
    assert ("ilsa", "verhoven") in k.names
    assert ("kingsmere",) in k.names
    assert k.years == {"2021"}
    assert not k.numbers


def test_sentence_initial_stopword_is_not_a_name() -> None:
    k = key_terms("The game was released by Velmora. In 2016, Marisa Quell became CEO.")
    tokens = k.name_tokens()
    assert "the" not in tokens and "in" not in tokens
    assert ("velmora",) in k.names
    assert ("marisa", "quell") in k.names
    assert "ceo" in k.weak  # titles are weak terms, not names


def test_sentence_initial_single_words() -> None:
    k = key_terms("Speaking on Monday, he agreed. Kovrin said no.")
    assert "speaking" in k.weak  # looks like an ordinary word
    assert "kovrin" in k.initial  # looks like a name


def test_numbers_are_normalised_by_value() -> None:
    def value(text: str) -> set[float]:
        return {n.value for n in key_terms(text).numbers}

    assert value("$7.3 billion") == value("7.3bn") == {7.3e9}
    assert value("1,000 cars") == value("1000 cars") == {1000.0}
    assert value("five players") == value("5 players") == {5.0}
    assert {n.kind for n in key_terms("up 23%").numbers} == {"%"}
    assert {(n.value, n.kind) for n in key_terms("the seventeenth season").numbers} == {(17.0, "ord")}


def test_dates_months_and_years() -> None:
    for text in ("released on March 9, 2019", "released on 9 March 2019", "released Mar. 9, 2019",
                 "released 2019-03-09", "released on March 9th of 2019"):
        k = key_terms(text)
        assert k.dates == {"03-09"}, text
        assert k.years == {"2019"}, text
        assert k.full_dates == {"2019-03-09"}, text
        assert not k.numbers, text  # the day is part of the date, not a figure
    k = key_terms("Thursday, Nov. 12 at 9pm")
    assert k.dates == {"11-12"} and not k.years
    assert key_terms("in March 2020").months == {"03"}


@pytest.mark.parametrize("text, months", [
    ("The crane will arrive in June.", {"06"}),  # a whole month name, however short
    ("The festival moved to July this year.", {"07"}),
    ("In March, prices rose.", {"03"}),
    ("Prices may rise in May.", set()),  # "May" is a month only with a year after it
    ("It opened in May 2020.", {"05"}),
    ("Jan Koum left the board.", set()),  # an abbreviation is a month only with a year or a day
    ("It shipped Jun. 3.", {"06"}),
])
def test_a_month_named_without_a_day(text: str, months: set[str]) -> None:
    assert key_terms(text).months == months


def test_codes_and_quarters() -> None:
    assert "q1" in key_terms("revenue in Q1 2021").codes
    assert "q1" in key_terms("revenue in the first quarter of 2021").codes
    assert "ps5" in key_terms("the PS5 version").codes


def test_rounded_number_is_covered_but_a_different_one_is_not() -> None:
    s = key_terms("Revenue was $7.3 billion.")
    assert coverage(s, key_terms("revenue of $7.281 billion"))[0] == 1.0
    factor, missing = coverage(s, key_terms("revenue of $8.3 billion"))
    assert factor < 0.2 and missing


# -- evidence units ------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,evidence,factor", [
    ("Nora Whitfield won the final.", "Clara Whitfield won the final.", P_NAME),  # another first name
    ("Finance minister Olaf Berg resigned.", "Finance minister Lena Dahl resigned.", P_NAME),
    ("Tobias Renner won the final.", "Renner won the final.", P_NAME_PART),  # a shorter form of the name
    ("Tobias Renner won the final.", "Tobias Renner won the final.", 1.0),
])
def test_a_swapped_person_costs_the_whole_name(sentence: str, evidence: str, factor: float) -> None:
    assert coverage(key_terms(sentence), key_terms(evidence))[0] == pytest.approx(factor)


@pytest.mark.parametrize("sentence,evidence,opposed", [
    ("The museum did not reopen in May.", "The museum reopened in May.", True),
    ("The museum reopened in May.", "The museum hasn't reopened since May.", True),
    ("The museum reopened in May.", "The museum reopened in May.", False),
    ("The museum never closed.", "The museum never closed, the mayor said.", False),
    ("Fares were cut by 5 percent.", "Fares were raised by 5 percent.", True),
    ("The council rejected the budget.", "The council approved the budget.", True),
    ("Exports fell in June.", "Exports rose in June after falling in May.", False),  # both present
    ("Sales tripled.", "Sales doubled.", True),
    ("Thousands marched.", "Hundreds marched.", True),
    ("Still no longer the leader.", "She is still the leader.", True),
])
def test_negation_and_contrary_claims(sentence: str, evidence: str, opposed: bool) -> None:
    factor, why = claims(key_terms(sentence), key_terms(evidence))
    assert (factor < 1.0) is opposed and bool(why) is opposed


def test_a_negation_elsewhere_in_a_whole_passage_proves_nothing() -> None:
    s, whole = key_terms("The museum reopened in May."), key_terms("The museum reopened in May. It did not say why.")
    assert claims(s, whole, unit=False)[0] == 1.0
    assert claims(s, whole, unit=True)[0] < 1.0


def test_evidence_spans_break_snippets_at_ellipses() -> None:
    text = "Feb 3, 2021 ... The final will be played in Port Alden, Nevada, at the stadium. This is the fifth\u00a0..."
    parts = split_evidence(text)
    assert parts == ["Feb 3, 2021", "The final will be played in Port Alden, Nevada, at the stadium.",
                     "This is the fifth"]
    for (a, b), part in zip(evidence_spans(text), parts):
        assert text[a:b] == part


def test_evidence_spans_break_table_cells() -> None:
    assert split_evidence("Release date. April 16, 2019 ; Genre. Role-playing ; Publisher. Velmora") == [
        "Release date.", "April 16, 2019", "Genre.", "Role-playing", "Publisher.", "Velmora"]


# -- scores --------------------------------------------------------------------------------------

def test_verbatim_sentence_scores_about_one(scorer: SupportScorer) -> None:
    passage = f"{CHAMPION} She beat Mirela Dobrescu in the final."
    s = scorer.score(CHAMPION, [passage])
    assert s.score == pytest.approx(1.0, abs=1e-5)
    assert s.missing == ()
    assert scorer.supported(s)


@pytest.mark.parametrize("sentence", [
    "Ilsa Verhoven won the 2019 Kingsmere women's singles title.",  # year
    "Petra Lindqvist won the 2021 Kingsmere women's singles title.",  # name
    "Lindqvist won the 2021 Kingsmere women's singles title.",  # sentence-initial surname
])
def test_swapped_year_or_name_scores_low(scorer: SupportScorer, sentence: str) -> None:
    s = scorer.score(sentence, [CHAMPION])
    assert s.semantic > 0.7  # the words are nearly the same...
    assert not scorer.supported(s)  # ...but the fact is not
    assert s.missing


def test_swapped_number_scores_low(scorer: SupportScorer) -> None:
    good = scorer.score("Corvane reported revenue of $7.3bn in the first quarter of 2021.", [REVENUE])
    bad = scorer.score("Corvane reported revenue of $8.3 billion in the first quarter of 2021.", [REVENUE])
    assert scorer.supported(good)
    assert not scorer.supported(bad)
    assert bad.score < 0.2


def test_unrelated_sentence_scores_low(scorer: SupportScorer) -> None:
    assert scorer.score("The central bank raised interest rates again.", [CHAMPION]).score < 0.2


def test_score_many_scores_each_passage_alone(scorer: SupportScorer) -> None:
    m = scorer.score_many([CHAMPION, REVENUE, "Nothing here matches."], [REVENUE, CHAMPION, ""])
    assert m.shape == (3, 3)
    assert m[0, 1] == pytest.approx(1.0, abs=1e-5) and m[0, 0] < DEFAULT_THRESHOLD
    assert m[1, 0] == pytest.approx(1.0, abs=1e-5) and m[1, 1] < DEFAULT_THRESHOLD
    assert m[2].max() < DEFAULT_THRESHOLD
    assert m[:, 2].max() == 0.0  # an empty passage supports nothing


def test_joint_support_needs_both_passages(scorer: SupportScorer) -> None:
    p1 = "Brightline bought the messaging app Chatterly in 2016."
    p2 = "The messaging app deal was worth $12 billion."
    sentence = "Brightline bought the messaging app Chatterly in 2016 for $12 billion."
    alone = scorer.score_many([sentence], [p1, p2])[0]
    assert alone.max() < DEFAULT_THRESHOLD
    assert scorer.supported(scorer.score(sentence, [p1, p2]))


def test_question_context_softens_only_names(scorer: SupportScorer) -> None:
    passage = "Revenue was $7.3 billion in Q1 2021."
    sentence = "Corvane revenue was $7.3 billion in Q1 2021."
    plain = scorer.score(sentence, [passage])
    leaning = scorer.score(sentence, [passage], context="What was Corvane's revenue in Q1 2021?")
    assert leaning.score > plain.score
    wrong_year = scorer.score("Corvane revenue was $7.3 billion in Q1 2022.", [passage],
                              context="What was Corvane's revenue in Q1 2022?")
    assert not scorer.supported(wrong_year)


def test_empty_inputs(scorer: SupportScorer) -> None:
    assert scorer.score("", [CHAMPION]).score == 0.0
    assert scorer.score(CHAMPION, []).score == 0.0
    assert scorer.score_many([], [CHAMPION]).shape == (0, 1)


def test_embeddings_are_cached_by_text() -> None:
    emb = CountingEmbedder()
    scorer = SupportScorer(emb)
    scorer.score_many([CHAMPION], [REVENUE, CHAMPION])
    first = len(emb.seen)
    scorer.score_many(["A new sentence about Kingsmere."], [REVENUE, CHAMPION])
    assert len(emb.seen) == first + 1  # only the new sentence was embedded
    scorer.score(CHAMPION, [REVENUE])
    assert len(emb.seen) == first + 1


class BatchDependent(CountingEmbedder):
    """Like an int8 model: every vector shifts with the size of the batch it was computed in."""

    batch_dependent = True

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(len(texts))
        v = super().embed(texts) + 0.05 * len(texts)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_a_batch_dependent_embedder_gets_one_text_per_pass() -> None:
    # otherwise a sentence's support would depend on which questions came before it (the cache
    # keeps whatever vector came first)
    a, b = SupportScorer(BatchDependent()), SupportScorer(BatchDependent())
    a.embed(["alpha beta", "gamma delta", "epsilon"])
    b.embed(["alpha beta"])
    assert np.allclose(a.embed(["alpha beta"]), b.embed(["alpha beta"]))
    assert set(a._cache._embedder.batches) == {1}  # type: ignore[attr-defined]


def test_cache_is_bounded() -> None:
    emb = CountingEmbedder()
    scorer = SupportScorer(emb, cache_size=2)
    scorer.embed(["a", "b", "c"])
    scorer.embed(["a"])  # evicted, so embedded again
    assert emb.seen.count("a") == 2


# -- the real model ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_scorer() -> SupportScorer:
    from newsqa.index.embed import LocalEmbedder

    return SupportScorer(LocalEmbedder())


@pytest.mark.slow
@pytest.mark.parametrize("sentence,ok", [
    (CHAMPION, True),
    ("Verhoven won Kingsmere in 2021.", True),
    ("In 2021, the Kingsmere ladies' champion was Ilsa Verhoven.", True),
    ("Ilsa Verhoven won the 2019 Kingsmere women's singles title.", False),
    ("Petra Lindqvist won the 2021 Kingsmere women's singles title.", False),
    ("Lindqvist won Kingsmere in 2021.", False),
    ("Ilsa Verhoven did not win the 2021 Kingsmere women's singles title.", False),
    ("Harriet Verhoven won the 2021 Kingsmere women's singles title.", False),
])
def test_real_model_tennis(real_scorer: SupportScorer, sentence: str, ok: bool) -> None:
    passage = f"{CHAMPION} She beat Mirela Dobrescu in the final."
    assert real_scorer.supported(real_scorer.score(sentence, [passage])) is ok


@pytest.mark.slow
@pytest.mark.parametrize("sentence,ok", [
    ("Corvane's revenue in Q1 2021 was $7.3bn.", True),
    ("Corvane's first-quarter revenue rose 61 percent.", True),
    ("Corvane's revenue in Q1 2021 was $8.3 billion.", False),
    ("Corvane's revenue in Q1 2020 was $7.3 billion.", False),
])
def test_real_model_numbers(real_scorer: SupportScorer, sentence: str, ok: bool) -> None:
    assert real_scorer.supported(real_scorer.score(sentence, [REVENUE])) is ok
