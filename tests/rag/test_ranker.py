"""Features, the two-stage ranker and its weights file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsqa.rag.sentences import passage_candidates
from newsqa.rag.features import CHEAP, FULL, Features, cheap_features
from newsqa.rag.query import analyse
from newsqa.rag.ranker import PRESELECT, Linear, RankerModel, cheap_rank, load_model, rank
from newsqa.rag.support import SupportScorer
from rag_helpers import passages
from six_articles import ARTICLES


@pytest.fixture
def six():
    return passages(*[t for _, t in ARTICLES], titles=tuple(h for h, _ in ARTICLES))


def test_cheap_features_measure_overlap_names_and_years(six) -> None:
    q = analyse("When will the Brightwater river festival return in 2025?")
    cands = passage_candidates(six)
    cheap_features(q, six, cands)
    by_text = {c.text[:20]: c.features for c in cands}
    f = by_text["The Brightwater rive"]
    other = by_text["The average price of"]
    assert f.overlap > other.overlap and f.bm25 == 1.0
    assert f.names == 1.0 and other.names == 0.0
    assert f.year == 1.0 and f.year_missing == 0.0 and other.year_missing == 1.0
    assert f.numeric_q == 1.0 and f.typed == 1.0


def test_cheap_features_mark_reported_speech_named_neighbours_and_new_numbers() -> None:
    text = ("The Port Arlen harbour reopened on Monday after the storm. "
            "She said the damage was worse than in 2019. "
            "About 40 boats were lost, officials counted.")
    ps = passages(text, titles=("Harbour reopens",))
    cands = passage_candidates(ps)
    said = analyse("What did the harbour master say about the storm damage?")
    cheap_features(said, ps, cands)
    by_text = {c.text[:12]: c.features for c in cands}
    assert by_text["She said the"].speech == 1.0 and by_text["She said the"].statement_speech == 1.0
    assert by_text["The Port Arl"].speech == 0.0 and by_text["The Port Arl"].statement_speech == 0.0
    named = analyse("How many boats did Port Arlen lose?")
    cheap_features(named, ps, cands)
    by_text = {c.text[:12]: c.features for c in cands}
    # the named place is in the sentence before: its neighbours name it, the first sentence's do not
    assert by_text["She said the"].names_near == 1.0 and by_text["The Port Arl"].names_near == 0.0
    assert by_text["About 40 boa"].numeric_new == 1.0 and by_text["The Port Arl"].numeric_new == 0.0
    assert by_text["The Port Arl"].position == 0.0 and by_text["About 40 boa"].position > 0.0


def _cheap_by_start(question: str, text: str) -> dict[str, Features]:
    """The cheap features of each sentence of `text` (one passage) for `question`, by the sentence's
    first 12 characters."""
    ps = passages(text, titles=("Harbour news",))
    cands = passage_candidates(ps)
    cheap_features(analyse(question), ps, cands)
    return {c.text[:12]: c.features for c in cands}


def test_a_number_written_out_is_a_number() -> None:
    """Wire style spells counts under ten: "Three children" holds a count as "About 40 boats" does;
    a number the question itself writes ("the two ferries") is not new."""
    text = ("The two ferries docked late on Friday. "
            "Three children were treated in hospital after the crossing. "
            "The operator apologised to passengers.")
    by_text = _cheap_by_start("How many children from the two ferries were treated in hospital?", text)
    assert by_text["Three childr"].has_digit == 1.0 and by_text["Three childr"].numeric_new == 1.0
    assert by_text["The two ferr"].has_digit == 1.0 and by_text["The two ferr"].numeric_new == 0.0
    assert by_text["The operator"].has_digit == 0.0 and by_text["The operator"].numeric_new == 0.0
    # for a question that asks no number the written-out ones weigh as before (as no number)
    assert _cheap_by_start("Who apologised to the passengers?", text)["Three childr"].has_digit == 0.0


def test_a_date_written_in_words_is_a_new_date_for_a_when_question() -> None:
    """"on Thursday", "in March" answer "when" as "on 4 May" does; a weekday the question names
    is not new, and for a question that asks no date a weekday is no number."""
    text = ("The Kelham mayor announced on Thursday that the bridge would reopen. "
            "Work on the bridge ends in March, the council said. "
            "The mayor thanked the engineers on Friday.")
    by_text = _cheap_by_start("When did the Kelham mayor announce the reopening?", text)
    assert by_text["The Kelham m"].numeric_new == 1.0 and by_text["Work on the "].numeric_new == 1.0
    assert _cheap_by_start("When on Friday did the mayor thank the engineers?", text)["The mayor th"].numeric_new == 0.0
    assert _cheap_by_start("How many engineers did the mayor thank?", text)["The Kelham m"].numeric_new == 0.0


def test_full_features_find_an_entity_of_the_asked_kind(scorer: SupportScorer, six) -> None:
    q = analyse("Where did Lumera Glassworks open a new factory?")
    ranked = rank(q, six, scorer)
    best = next(c for c in ranked if "Westhaven" in c.text)
    assert best.features.expected == 1.0 and best.features.expected_near > 0
    hauliers = next((c for c in ranked if c.text.startswith("Hauliers")), None)
    assert hauliers is None or hauliers.features.expected == 0.0
    assert len(ranked) <= PRESELECT and all(c.doc is not None for c in ranked)
    assert ranked == sorted(ranked, key=lambda c: -c.score)


def test_cheap_rank_scores_every_candidate_without_spacy(six) -> None:
    q = analyse("How many cargo ships were stranded?")
    cands = cheap_rank(q, six)
    assert len(cands) == len(passage_candidates(six))
    assert all(c.doc is None for c in cands)
    assert "40 cargo ships" in " ".join(c.text for c in cands[:3])


def test_linear_model_is_a_standardised_logistic_regression() -> None:
    m = Linear(("overlap", "sem"), (0.5, 0.0), (0.5, 1.0), (2.0, 1.0), -1.0)
    f = Features(overlap=1.0, sem=0.5)
    # z = -1 + 2 * (1 - 0.5) / 0.5 + 1 * 0.5 = 1.5
    assert m.probability(f) == pytest.approx(1 / (1 + 2.718281828 ** -1.5), rel=1e-6)


def test_weights_file_round_trip_and_errors(tmp_path: Path) -> None:
    model = load_model()
    assert list(model.cheap.features) == CHEAP and list(model.full.features) == FULL
    assert 0.0 <= model.threshold <= 1.0
    path = tmp_path / "w.json"
    model.save(path)
    assert load_model(path) == model
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"cheap": {}}))
    with pytest.raises(ValueError, match="bad.json"):
        load_model(bad)
    assert RankerModel.from_json(json.loads(path.read_text())) == model


def test_weights_naming_a_feature_this_version_lacks_are_refused_at_load(tmp_path: Path) -> None:
    d = load_model().to_json()
    for part in (d["refusal"]["answerable"], d["span"]):
        part["features"] = [*part["features"][:-1], "made_up_feature"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(d))
    with pytest.raises(ValueError, match=r"old\.json.*refusal\.answerable reads features.*made_up_feature"):
        load_model(path)
    d = load_model().to_json()
    d["span"]["features"] = [*d["span"]["features"][:-1], "made_up_feature"]
    path.write_text(json.dumps(d))
    with pytest.raises(ValueError, match=r"span reads features .*made_up_feature.*newsqa train-ranker"):
        load_model(path)


def test_a_quotation_names_its_speaker_sentences_earlier() -> None:
    text = ("Mayor Ilse Varga spoke at the opening of the Norbridge ferry terminal. "
            "She said: \"This terminal took nine years to build.\" "
            "\"Our first goal now is a second pier for the winter routes.\" "
            "The terminal cost 30 million crowns.")
    ps = passages(text, titles=("Ferry terminal opens",))
    cands = passage_candidates(ps)
    q = analyse("What did Ilse Varga say is the first goal now?")
    cheap_features(q, ps, cands)
    by_text = {c.text[:12]: c.features for c in cands}
    goal = by_text["\"Our first g"]
    assert goal.names == 0.0 and goal.speaker_context == 1.0  # the mayor is named two sentences up
    assert goal.statement_speaker == 1.0 and goal.statement_topic > by_text["She said: \"T"].statement_topic
    assert by_text["The terminal"].statement_speaker == 0.0  # no reported speech
    # the speaker is named in a sentence before this quotation's: half; in a reporting sentence: 1
    assert goal.speaker_match == 0.5 and by_text["The terminal"].speaker_match == 0.0
    other = passages("Ilse Varga said the second pier comes first.")
    c = passage_candidates(other)
    cheap_features(q, other, c)
    assert c[0].features.speaker_match == 1.0
    assert max(c.features.overlap_rel for c in cands) == 0.0 and min(c.features.overlap_rel for c in cands) < 0


def test_the_focus_noun_beside_an_entity_of_the_asked_kind(scorer: SupportScorer) -> None:
    ps = passages("Dock workers in Kelham ended their strike on Friday. "
                  "Union leader Marta Olsen said members voted to return to work.")
    q = analyse("Who is the union leader in Kelham?")
    ranked = rank(q, ps, scorer)
    by_text = {c.text[:10]: c.features for c in ranked}
    assert by_text["Union lead"].focus_near == 1.0
    assert by_text["Dock worke"].focus_near == 0.0


def test_a_statement_question_expects_its_speakers_statement(scorer: SupportScorer) -> None:
    # a statement question asks for no entity: what it expects is reported speech by its speaker
    ps = passages("The Norbridge ferry terminal opened on Monday after nine years of work. "
                  "Harbour chief Tomas Lind said the second pier would open in 2027. "
                  "The terminal cost 30 million crowns. "
                  "Mayor Ilse Varga said the terminal would bring tourists back to the island.",
                  titles=("Ferry terminal opens",))
    q = analyse("What did Ilse Varga say about the terminal?")
    ranked = rank(q, ps, scorer, None)
    by_text = {c.text[:10]: c.features for c in ranked}
    assert by_text["Mayor Ilse"].expected == 1.0
    assert by_text["Harbour ch"].expected == 0.0  # another speaker's statement, before hers
    assert by_text["The termin"].expected == 0.0  # no reported speech
    unnamed = analyse("What did the harbour chief say?")
    by_text = {c.text[:10]: c.features for c in rank(unnamed, ps, scorer, None)}
    assert by_text["Harbour ch"].expected == 1.0 and by_text["The termin"].expected == 0.0
