"""The refusal decision: a threshold on the ranker's probability and the named things' presence."""

from __future__ import annotations

import pytest

from newsqa.rag.backends.ranked import RankedBackend
from newsqa.rag.query import analyse
from newsqa.rag.ranker import load_model, rank
from newsqa.rag.refusal import decide, names_share, should_refuse
from newsqa.rag.stack import read_rules
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Sentence
from rag_helpers import passages
from six_articles import ARTICLES


@pytest.fixture
def six():
    return passages(*[t for _, t in ARTICLES], titles=tuple(h for h, _ in ARTICLES))


def _decide(question: str, ps, scorer: SupportScorer, model=None):
    q = analyse(question)
    rules = read_rules(question, ps, scorer)
    ranked = rank(q, ps, scorer, model, rules)
    sentences, _ = RankedBackend(scorer, model=model).compose(q, ranked, ps, rules=rules)
    return decide(q, ranked, sentences, ps, rules, model), sentences


@pytest.mark.slow
def test_answers_when_a_passage_answers(six) -> None:
    """The shipped weights with the real embedder: the answerability model reads similarities."""
    from newsqa.index.embed import make_embedder
    from newsqa.settings import Settings

    minilm = SupportScorer(make_embedder(Settings(embedder="local")))
    d, sentences = _decide("Where did Lumera Glassworks open a new factory?", six, minilm)
    assert not d.refuse, d.reason
    assert "Westhaven" in sentences[0].text
    assert _decide("Who won the figure skating final in Kaldoria?", six, minilm)[0].refuse


def test_refuses_when_the_articles_are_about_something_else(scorer: SupportScorer, six) -> None:
    d, _ = _decide("Who won the figure skating final in Kaldoria?", six, scorer)
    assert d.refuse


def test_refuses_without_sentences_or_support(scorer: SupportScorer, six) -> None:
    q = analyse("Where did Lumera Glassworks open a new factory?")
    ranked = rank(q, six, scorer)
    assert decide(q, ranked, [], six, None).refuse
    unsupported = [Sentence("Lumera opened a plant in orbit.", [3], 0.1, False)]
    assert decide(q, ranked, unsupported, six, None).reason == "no sentence is supported by the passages"
    asking = [Sentence("Where will the plant open?", [3], 1.0, True)]
    assert decide(q, ranked, asking, six, None).refuse


def test_the_threshold_comes_from_the_fitted_model(scorer: SupportScorer, six) -> None:
    from dataclasses import replace

    question = "Where did Lumera Glassworks open a new factory?"
    strict = replace(load_model(), threshold=1.01)
    lenient = replace(load_model(), threshold=0.0, min_names=0.0)
    assert _decide(question, six, scorer, strict)[0].refuse
    assert not _decide(question, six, scorer, lenient)[0].refuse
    assert not should_refuse(question, _decide(question, six, scorer, lenient)[1], six, scorer, lenient)


def test_the_answerability_model_decides_when_the_weights_have_one(scorer: SupportScorer, six) -> None:
    """With a question-level model the threshold applies to its probability, not to the best
    sentence's: here a model that only reads whether the question's named things are in the best
    sentence's article."""
    from dataclasses import replace

    from newsqa.rag.ranker import Linear
    from newsqa.rag.refusal import QUESTION_FEATURES, answer_probability, question_features

    coef = tuple(8.0 if n == "names_article" else 0.0 for n in QUESTION_FEATURES)
    names_only = Linear(tuple(QUESTION_FEATURES), (0.0,) * len(coef), (1.0,) * len(coef), coef, -4.0)
    model = replace(load_model(), answerable=names_only, threshold=0.5, min_names=0.0)
    on_topic, off_topic = analyse("Where did Lumera Glassworks open a new factory?"), analyse(
        "Who won the figure skating final in Kaldoria?")
    r_on, r_off = rank(on_topic, six, scorer, model), rank(off_topic, six, scorer, model)
    assert question_features(on_topic, r_on, six).names_article == 1.0
    assert question_features(off_topic, r_off, six).names_article == 0.0
    assert answer_probability(model, on_topic, r_on, six) > 0.98
    assert answer_probability(model, off_topic, r_off, six) < 0.02
    assert not _decide("Where did Lumera Glassworks open a new factory?", six, scorer, model)[0].refuse
    assert _decide("Who won the figure skating final in Kaldoria?", six, scorer, model)[0].refuse
    plain = replace(model, answerable=None)  # without one: the best sentence's probability
    assert answer_probability(plain, on_topic, r_on, six) == r_on[0].score


def test_a_description_question_lacks_no_entity(scorer: SupportScorer, six) -> None:
    """"Why ...?" asks for no entity: the answerability model reads none as missing from the best
    sentence, while a typed question whose best sentence holds none of its kind lacks one."""
    from newsqa.rag.refusal import question_features

    why = analyse("Why was the coastal rail line delayed?")
    ranked = rank(why, six, scorer)
    assert ranked[0].features.expected == 0.0  # the sentence feature: no entity of an asked label
    assert question_features(why, ranked, six).expected == 1.0
    who = analyse("Who delayed the coastal rail line?")
    ranked = rank(who, six, scorer)
    assert "delayed" in ranked[0].text and ranked[0].features.expected == 0.0  # no person in it
    assert question_features(who, ranked, six).expected == 0.0


def test_the_answerability_model_reads_the_best_sentence_the_answer_can_quote(scorer: SupportScorer) -> None:
    """A heading that asks ("When will the Kelham bridge reopen?") is never quoted: the question
    features describe the best sentence that tells, as select.py quotes it."""
    from newsqa.rag.refusal import question_features

    ps = passages("When will the Kelham bridge reopen? The council said on Monday that the Kelham bridge "
                  "would reopen in May after repairs. Traffic will use the ferry until then.",
                  titles=("Kelham bridge",))
    q = analyse("When will the Kelham bridge reopen?")
    ranked = rank(q, ps, scorer)
    heading = next(c for c in ranked if c.text.endswith("?"))
    telling = next(c for c in ranked if c.text.startswith("The council"))
    heading.score, telling.score = 0.9, 0.6  # the heading ranked first, as the model may
    ranked = sorted(ranked, key=lambda c: -c.score)
    qf = question_features(q, ranked, ps)
    assert qf.sem_best == telling.features.sem and qf.sem_best != heading.features.sem
    assert qf.sem_max < heading.features.sem and qf.overlap_best == telling.features.overlap


def test_names_share_reads_the_cited_articles_only(six) -> None:
    q = analyse("When will the Brightwater river festival return?")
    assert names_share(q, [six[3]], six) == 1.0
    assert names_share(q, [six[0]], six) == 0.0
    assert names_share(analyse("When does the festival return?"), [six[0]], six) == 1.0
