"""Kinds of real places from WordNet, and the short answer that keeps to the kind asked for."""

from __future__ import annotations

from newsqa.rag.analyse import analyse_sentences
from newsqa.rag.places import another_kind_of_place, place_kinds, place_of_kind
from newsqa.rag.query import analyse
from newsqa.rag.ranker import Linear
from newsqa.rag.sentences import Candidate
from newsqa.rag.span import SPAN_FEATURES, choose_span


def test_a_real_place_has_the_kinds_wordnet_files_it_under() -> None:
    assert place_kinds("Munich") == {"city"} and place_kinds("Bavaria") == {"state"}
    assert place_kinds("the Netherlands") == {"country"}  # as the NER writes it
    assert place_kinds("Bavaria’s") == {"state"}
    assert "river" in place_kinds("Danube")
    assert place_kinds("Kelham") == frozenset()  # an invented town: no kind known
    assert place_kinds("LA") == frozenset()  # a postal code that is also a city's name: left out


def test_a_place_of_another_kind_is_ruled_out_a_place_of_no_known_kind_is_not() -> None:
    assert another_kind_of_place("city", "Bavaria") and another_kind_of_place("country", "Munich")
    assert not another_kind_of_place("city", "Munich")
    assert not another_kind_of_place("town", "Munich")  # WordNet files many towns as cities
    assert not another_kind_of_place("state", "Bavaria") and not another_kind_of_place("province", "Bavaria")
    assert not another_kind_of_place("city", "Kelham")
    assert not another_kind_of_place("company", "Bavaria")  # no kind of place asked for


def _position_first() -> Linear:
    """A span model that prefers the earliest span of the asked label: the one that would answer
    without the rule."""
    n = len(SPAN_FEATURES)
    weights = {"label": 3.0, "position": -3.0}
    return Linear(tuple(SPAN_FEATURES), (0.0,) * n, (1.0,) * n,
                  tuple(weights.get(f, 0.0) for f in SPAN_FEATURES), 0.0)


def test_which_city_is_not_answered_by_a_state_the_sentence_names_first() -> None:
    text = "The state of Bavaria paid for a third of the new stadium, which Munich opened on Saturday."
    doc = analyse_sentences([text])[0]
    quoted = [Candidate(n=1, rank=0, span=(0, len(text)), text=text, index=0, doc=doc, score=0.9)]
    chosen = choose_span(analyse("Which city opened the new stadium?"), quoted, quoted, _position_first())
    assert chosen is not None and chosen.ent.text == "Munich"
    chosen = choose_span(analyse("Which state paid for the new stadium?"), quoted, quoted, _position_first())
    assert chosen is not None and chosen.ent.text == "Bavaria"


def test_a_place_of_the_asked_kind_answers_before_a_place_of_no_known_kind() -> None:
    """"Which country ...?" over a sentence that names a town first: the town may be of any kind,
    the country WordNet knows is the kind asked for."""
    assert place_of_kind("country", "Norway") and not place_of_kind("country", "Oslo")
    assert not place_of_kind("city", "Kelham") and not place_of_kind("team", "Norway")
    text = "Ada Brenner, who grew up in Kelham, won the Open for Norway on Sunday."
    doc = analyse_sentences([text])[0]
    quoted = [Candidate(n=1, rank=0, span=(0, len(text)), text=text, index=0, doc=doc, score=0.9)]
    chosen = choose_span(analyse("Which country did Ada Brenner win the Open for?"), quoted, quoted,
                         _position_first())
    assert chosen is not None and chosen.ent.text == "Norway"
