"""The rule path's reading of the passages as evidence for the learned path (rag/stack.py)."""

from __future__ import annotations

from newsqa.rag.backends.extractive import ExtractiveBackend
from newsqa.rag.query import analyse
from newsqa.rag.ranker import load_model, rank
from newsqa.rag.refuse import RefusalPolicy
from newsqa.rag.refusal import question_features
from newsqa.rag.stack import RuleView, read_rules
from newsqa.rag.support import SupportScorer
from rag_helpers import passages

RACES = [
    "Marta Olsen won the 2019 Vesterby marathon in two hours and 31 minutes.",
    "The Vesterby marathon starts at the harbour and ends in the old town square.",
    "Jonas Berg won the 2021 Vesterby marathon after a late sprint.",
]


def test_the_view_holds_the_rule_backends_choice_and_scores(scorer: SupportScorer) -> None:
    ps = passages(*RACES)
    view = read_rules("Who won the Vesterby marathon in 2021?", ps, scorer)
    quoted = ExtractiveBackend(scorer).answer("Who won the Vesterby marathon in 2021?", ps)
    assert view.top() == (3, 0)  # the third passage's sentence, as the rule backend quotes it
    assert quoted[0].text == RACES[2]
    assert view.relative((3, 0)) == 1.0
    assert 0.0 <= view.relative((1, 0)) < 1.0  # the other year's winner scores below
    assert not view.refuse


def test_the_views_refusal_follows_the_rule_checks(scorer: SupportScorer) -> None:
    ps = passages(*RACES)
    view = read_rules("Who won the Vesterby marathon in 2016?", ps, scorer)
    assert view.refuse and "2016" in view.reason
    off = read_rules("Who is the chief executive of Norlake Shipping?", ps, scorer)
    assert off.refuse
    assert read_rules("   ", ps, scorer) == RuleView() and RuleView().refuse


def test_decide_candidates_agrees_with_the_sentence_rule(scorer: SupportScorer) -> None:
    """The candidates' checks give the sentence rule's verdict without scoring anything again."""
    ps = passages(*RACES)
    for question in ("Who won the Vesterby marathon in 2019?", "Who won the Vesterby marathon in 2016?",
                     "Where does the Vesterby marathon end?", "How many people live in Oslo?"):
        sentences = ExtractiveBackend(scorer).answer(question, ps)
        by_sentences = RefusalPolicy().decide(question, sentences, ps, scorer)
        assert read_rules(question, ps, scorer).refuse == by_sentences.refuse, question


def test_rule_features_reach_the_ranker_and_the_answerability_model(scorer: SupportScorer) -> None:
    ps = passages(*RACES)
    q = analyse("Who won the Vesterby marathon in 2021?")
    view = read_rules(q.text, ps, scorer)
    ranked = rank(q, ps, scorer, load_model(), view)
    by_key = {(c.n, c.index): c.features for c in ranked}
    assert by_key[(3, 0)].rule_top == 1.0 and by_key[(3, 0)].rule_pick == 1.0
    assert all(f.rule_top == 0.0 for k, f in by_key.items() if k != (3, 0))
    qf = question_features(q, ranked, ps, view)
    assert qf.rule_answers == 1.0 and qf.rule_best == min(view.best, 1.5) > 0
    assert qf.rule_agree == float((ranked[0].n, ranked[0].index) in view.chosen)
    # without the view the rule features stay at 0 (weights fit without them are unaffected)
    assert question_features(q, ranked, ps).rule_answers == 0.0


def test_the_rules_first_sentence_follows_when_the_ranker_chose_another(scorer: SupportScorer) -> None:
    from newsqa.rag.stack import rules_first_choice

    ps = passages(*RACES)
    view = read_rules("Who won the Vesterby marathon in 2021?", ps, scorer)
    q = analyse("Who won the Vesterby marathon in 2021?")
    ranked = rank(q, ps, scorer, load_model(), view)
    other = [c for c in ranked if (c.n, c.index) != view.top()][:1]
    extra = rules_first_choice(other, ranked, view, ps)
    assert extra is not None and extra.text == RACES[2] and extra.citations == [3]
    mine = [c for c in ranked if (c.n, c.index) == view.top()]
    assert rules_first_choice(mine, ranked, view, ps) is None  # already quoted
    # a sentence the ranker did not pre-select is cut from its passage
    assert rules_first_choice(other, [], view, ps).text == RACES[2]
    refused = read_rules("Who won the Vesterby marathon in 2016?", ps, scorer)
    assert rules_first_choice(other, ranked, refused, ps) is None  # the rules would not answer
    assert rules_first_choice(other, ranked, None, ps) is None
