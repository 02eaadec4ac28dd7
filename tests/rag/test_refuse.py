"""The refusal rule."""

from __future__ import annotations

import pytest

from newsqa.rag.backends.extractive import ExtractiveBackend
from newsqa.rag.refuse import RefusalPolicy, answer_score, refused_parts, should_refuse
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Sentence
from rag_helpers import passages

TOURNAMENT = [
    "Greta Holloway won the 2018 Kingsmere women's singles title, beating Maren Castell in the final.",
    "Petra Lindqvist won the women's singles at Kingsmere in 2019. She defeated Maren Castell in the final.",
    "Kingsmere is the oldest tennis tournament in the world and is played on grass in Eastbrook.",
]


def decide(question: str, texts: list[str], scorer: SupportScorer):
    ps = passages(*texts)
    sents = ExtractiveBackend(scorer).answer(question, ps)
    return RefusalPolicy().decide(question, sents, ps, scorer), sents


def test_answers_when_the_passages_answer(scorer: SupportScorer) -> None:
    d, sents = decide("Who won the women's singles Kingsmere in 2019?", TOURNAMENT, scorer)
    assert not d.refuse, d.reason
    assert "Lindqvist" in sents[0].text


def test_refuses_when_the_year_is_missing(scorer: SupportScorer) -> None:
    d, sents = decide("Who won the women's singles Kingsmere in 2021?", TOURNAMENT, scorer)
    assert sents  # the backend found something on the topic...
    assert d.refuse and "2021" in d.reason  # ...but not about 2021


def test_refuses_when_the_passages_are_about_something_else(scorer: SupportScorer) -> None:
    d, _ = decide("Who is the chief executive of Halvorsen Investments?", TOURNAMENT, scorer)
    assert d.refuse


def test_another_articles_mention_of_the_subject_does_not_vouch_for_the_answer(scorer: SupportScorer) -> None:
    ps = passages("The nominees for best puppet feature were Lanternfall, Brisk and Moonwhistle.",
                  "Glasshollow fans queued for hours outside the cinema in Dunmere.")
    nominees = Sentence(text=ps[0].chunk.text, citations=[1], support=1.0, supported=True, spans={1: (0, 77)})
    d = RefusalPolicy().decide("Who is the director of the Glasshollow movie?", [nominees], ps, scorer)
    assert d.refuse and "something else" in d.reason


def test_a_passage_that_leaves_its_subject_unnamed_may_lean_on_the_others(scorer: SupportScorer) -> None:
    ps = passages("The company reported revenue of $7.3 billion in Q1 2021, up 61 percent.",
                  "Corvane shares rose after the results were published.")
    said = Sentence(text=ps[0].chunk.text, citations=[1], support=1.0, supported=True, spans={1: (0, 70)})
    d = RefusalPolicy().decide("What was Corvane's revenue in Q1 2021?", [said], ps, scorer)
    assert "something else" not in d.reason


def test_refuses_when_no_sentence_gives_the_kind_of_answer(scorer: SupportScorer) -> None:
    texts = ["Paintrift 2 was a big hit with fans of the series on the Orbix.",
             "Fans of Paintrift 2 loved the new game mode and the colourful ink."]
    d, _ = decide("When was Paintrift 2 released?", texts, scorer)
    assert d.refuse and "date" in d.reason


def test_refuses_without_sentences_or_support(scorer: SupportScorer) -> None:
    ps = passages(*TOURNAMENT)
    assert should_refuse("Who won in 2019?", [], ps, scorer)
    unsupported = [Sentence(text="Lindqvist won in 2019.", citations=[], support=0.1, supported=False)]
    assert should_refuse("Who won in 2019?", unsupported, ps, scorer)


def test_asking_sentences_do_not_count(scorer: SupportScorer) -> None:
    ps = passages("Results of the 2018 election, including votes for Harlow and Mendes, and who is winning the")
    s = Sentence(text=ps[0].chunk.text, citations=[1], support=1.0, supported=True, spans={1: (0, 10)})
    assert should_refuse("Who won the election in 2018?", [s], ps, scorer)


def test_answer_score_ranks_the_answer_above_the_topic(scorer: SupportScorer) -> None:
    ps = passages(*TOURNAMENT)
    q = "Who won the women's singles Kingsmere in 2019?"
    good = Sentence(text="Petra Lindqvist won the women's singles at Kingsmere in 2019.", citations=[2],
                    support=1.0, supported=True, spans={2: (0, 60)})
    topic = Sentence(text=TOURNAMENT[2], citations=[3], support=1.0, supported=True, spans={3: (0, 10)})
    assert answer_score(q, [good], ps, scorer) > answer_score(q, [topic], ps, scorer) + 0.2


def test_policy_thresholds_are_adjustable(scorer: SupportScorer) -> None:
    ps = passages(*TOURNAMENT)
    sents = ExtractiveBackend(scorer).answer("Who won the women's singles Kingsmere in 2019?", ps)
    strict = RefusalPolicy(min_answer_score=5.0)
    assert strict.decide("Who won the women's singles Kingsmere in 2019?", sents, ps, scorer).refuse


@pytest.mark.slow
def test_real_model_refusal() -> None:
    from newsqa.index.embed import LocalEmbedder

    scorer = SupportScorer(LocalEmbedder())
    d, _ = decide("Who won the women's singles Kingsmere in 2019?", TOURNAMENT, scorer)
    assert not d.refuse, d.reason
    d, _ = decide("Who won the women's singles Kingsmere in 2021?", TOURNAMENT, scorer)
    assert d.refuse
    d, _ = decide("Who acquired Chatterly?", TOURNAMENT, scorer)
    assert d.refuse


def test_a_compound_questions_unanswered_part_is_named(scorer: SupportScorer) -> None:
    question = "Who won the women's singles Kingsmere in 2019, and who won the Tour of Aldermoor in 2019?"
    d, sents = decide(question, TOURNAMENT, scorer)
    assert not d.refuse  # the first part stands...
    ps = passages(*TOURNAMENT)
    # ...the second is named, in the words the ranked backend uses for its parts
    assert refused_parts(question, sents, ps, scorer) == ("Who won the Tour of Aldermoor in 2019?",)
    assert refused_parts("Who won the women's singles Kingsmere in 2019?", sents, ps, scorer) == ()
    # when no part is answered the whole question is refused: no part is named
    both = "Who won the Tour of Aldermoor in 2019, and who won the Giro di Veltrano in 2019?"
    assert refused_parts(both, sents, ps, scorer) == ()
