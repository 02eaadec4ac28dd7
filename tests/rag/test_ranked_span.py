"""The short answer's span model: candidate spans and their features, its fit (one choice per
question), its weights in the ranker file, and the ranked backend using it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from newsqa.evals.train_ranker import fit_span
from newsqa.index.embed import HashingEmbedder
from newsqa.rag.analyse import analyse_sentences
from newsqa.rag.backends.ranked import RankedBackend
from newsqa.rag.query import analyse
from newsqa.rag.ranker import Linear, load_model, rank
from newsqa.rag.select import short_answer, span_answer
from newsqa.rag.sentences import Candidate
from newsqa.rag.span import SPAN_FEATURES, choose_span, completed_question, span_candidates
from newsqa.rag.support import SupportScorer
from rag_helpers import passages


def _cands(*texts: str, scores: tuple[float, ...] = ()) -> list[Candidate]:
    docs = analyse_sentences(list(texts))
    return [Candidate(n=i + 1, rank=i, span=(0, len(t)), text=t, index=0, doc=d,
                      score=scores[i] if i < len(scores) else 0.5)
            for i, (t, d) in enumerate(zip(texts, docs))]


def _only(feature: str, weight: float = 3.0) -> Linear:
    """A span model that reads one feature."""
    n = len(SPAN_FEATURES)
    return Linear(tuple(SPAN_FEATURES), (0.0,) * n, (1.0,) * n,
                  tuple(weight if f == feature else 0.0 for f in SPAN_FEATURES), 0.0)


def test_spans_leave_out_what_the_question_names_and_mark_parts_and_repeats() -> None:
    q = analyse("Who did Lumera Glassworks appoint as its new director?")
    quoted = _cands("Lumera Glassworks appointed Tomas Reyes as director, and Reyes starts in May.",
                    "Tomas Reyes led the Westhaven plant for six years.")
    spans = span_candidates(q, quoted[:1], quoted)
    texts = [s.ent.text for s in spans]
    assert "Tomas Reyes" in texts and not any("Lumera" in t for t in texts)
    full = next(s for s in spans if s.ent.text == "Tomas Reyes").features
    assert full.label == 1.0 and full.best == 1.0 and full.repeated == 1.0 and full.contained == 0.0
    part = next((s for s in spans if s.ent.text == "Reyes"), None)
    if part is not None:  # "Reyes" alone, when the pipeline marks it, is part of the longer name
        assert part.features.contained == 1.0


def test_a_name_joined_by_a_hyphen_to_another_is_not_part_of_a_longer_name() -> None:
    """The NER runs "the Madrid-Lisbon" of "the Madrid-Lisbon-led pact" into one entity; "Lisbon"
    is a name of its own there, not a part of a longer one as "Reyes" is of "Tomas Reyes"."""
    q = analyse("Who founded the pact?")
    quoted = _cands("Latvia joined the Madrid-Lisbon-led pact founded by Lisbon.")
    spans = {s.ent.text: s.features for s in span_candidates(q, quoted, quoted)}
    assert "the Madrid-Lisbon" in spans  # (the test's premise: the pipeline makes that entity)
    assert spans["Lisbon"].contained == 0.0


def test_names_the_ner_runs_into_a_hyphened_participle_are_its_agent() -> None:
    """The NER cuts "the Berlin-Warsaw-led NORD alliance" as "the Berlin-Warsaw-": the names alone
    are the span, and they fill the participle's subject, which "Who leads ...?" asks for."""
    quoted = _cands("Norvia joined the Berlin-Warsaw-led NORD alliance created by Warsaw.")
    assert "the Berlin-Warsaw-" in {e.text for e in quoted[0].doc.ents}  # the premise: the NER's cut
    spans = {s.ent.text: s.features for s in span_candidates(analyse("Who leads the NORD alliance?"), quoted, quoted)}
    assert "Berlin-Warsaw" in spans and spans["Berlin-Warsaw"].slot == 1.0
    assert not any(t.endswith("-") for t in spans)


def test_the_span_that_fills_the_question_word_s_slot_is_marked() -> None:
    """"Who praised the board?": the praiser, not a name the praise quotes or the title before it."""
    q = analyse("Who praised the harbour board?")
    quoted = _cands("Councillor Ada Brenner praised the harbour board, saying Mayor Tomas Lind had backed it.")
    slot = {s.ent.text: s.features.slot for s in span_candidates(q, quoted, quoted)}
    assert slot["Ada Brenner"] == 1.0 and slot["Tomas Lind"] == 0.0
    assert choose_span(q, quoted, quoted, _only("slot")).ent.text == "Ada Brenner"


@pytest.mark.parametrize("question, sentence", [
    ("Who directed the documentary?", "The jury, chaired by the actor Ada Quist, praised the documentary by "
     "director Tomas Lind."),
    ("Who chairs the harbour board?", "The plan was backed by Ada Quist and by Tomas Lind, the chair of the "
     "harbour board."),
])
def test_a_name_fills_the_subject_slot_of_the_verb_its_title_is_made_from(question: str, sentence: str) -> None:
    """"director Tomas Lind" directs, "Tomas Lind, the chair of the board" chairs it."""
    cands = _cands(sentence)
    spans = {s.ent.text: s for s in span_candidates(analyse(question), cands, cands)}
    assert spans["Tomas Lind"].features.slot == 1.0 and spans["Ada Quist"].features.slot == 0.0


def test_the_subject_of_a_verb_fills_the_slot_of_the_clause_it_governs() -> None:
    """"Who won the title?" over "X defeated Y in the final to win the title": X won."""
    q = analyse("Who won the regional title?")
    quoted = _cands("Tomas Reyes defeated Ada Brenner in the final to win the regional title.")
    slot = {s.ent.text: s.features.slot for s in span_candidates(q, quoted, quoted)}
    assert slot["Tomas Reyes"] == 1.0 and slot["Ada Brenner"] == 0.0


@pytest.mark.parametrize("question, sentence, answer, other", [
    ("What country is Ada Quist the president of?",
     "Chilean President Ada Quist met Peruvian President Tomas Lind in Halden.", "Chilean", "Peruvian"),
    ("Which company is Liv Anneberg the chief executive of?",
     "Oskarsen's chief executive, Liv Anneberg, will chair the board, Brightwater said.", "Oskarsen", "Brightwater"),
    ("Which town is Ada Quist the mayor of?",
     "Ada Quist, Kelham's mayor, opened the bridge with Tomas Lind of Calder Bay.", "Kelham", "Calder Bay"),
])
def test_what_a_named_person_holds_a_title_of_is_the_title_s_qualifier(question: str, sentence: str,
                                                                        answer: str, other: str) -> None:
    """"Russian President X" is the president of Russia: the qualifier of the asked title, held by
    the person the question names (not another person's title, not another name nearby), fills the
    slot of the title's "of"."""
    q = analyse(question)
    quoted = _cands(sentence)
    slot = {s.ent.text: s.features.slot for s in span_candidates(q, quoted, quoted)}
    assert slot.get(answer) == 1.0 and not slot.get(other)
    assert choose_span(q, quoted, quoted, _only("slot")).ent.text == answer


def test_who_acted_may_be_a_country_but_who_holds_a_role_is_a_person() -> None:
    """"Who built the bridge?" over "Norway built it": a country is the one who acted, an answer
    of the question's kind (at the last place of its labels); "Who is the mayor?" asks for a person."""
    from newsqa.rag.select import preference

    q = analyse("Who built the new harbour bridge?")
    assert "GPE" in q.labels and preference(q)["GPE"] > preference(q)["PERSON"]
    assert "GPE" not in analyse("Who is the mayor of Calder Bay?").labels
    assert "GPE" not in analyse("Who did the minister appoint?").labels  # the one acted on
    quoted = _cands("Norway built the new harbour bridge in 1998, the port authority said.")
    label = {s.ent.text: s.features.label for s in span_candidates(q, quoted, quoted)}
    assert label["Norway"] == 1.0
    assert choose_span(q, quoted, quoted, _only("slot")).ent.text == "Norway"


def test_a_name_the_ner_cuts_short_before_the_focus_noun_is_a_span_whole() -> None:
    """"Which fire ...?": "the Cinder Gap fire" names one; the small NER marks only "Cinder"."""
    q = analyse("Which fire did crews fight near Saltbrook?")
    quoted = _cands("Crews fought the Cinder Gap fire for six days near Saltbrook.")
    spans = {s.ent.text: s.features for s in span_candidates(q, quoted, quoted)}
    assert "Cinder Gap" in spans and spans["Cinder Gap"].head_focus == 1.0
    # a name the NER does mark whole is not given twice
    q = analyse("Which bridge reopened on Monday?")
    texts = [s.ent.text for s in span_candidates(q, _cands("The Ostrel Harbour bridge reopened on Monday."), [])]
    assert len(texts) == len(set(texts))


def test_no_spans_for_a_question_that_asks_for_no_entity() -> None:
    q = analyse("Why was the coastal rail line delayed?")
    assert span_candidates(q, _cands("The line was delayed by floods near Port Arlen in March."), []) == []


def test_a_bare_what_question_is_not_answered_by_a_person() -> None:
    """"What" asks for a thing; for people only through a noun ("what coach", "the name of")."""
    sentence = "Mayor Ada Quist backed the new ferry terminal at Calder Bay."
    spans = span_candidates(analyse("What did the council back?"), _cands(sentence), _cands(sentence))
    texts = {s.ent.text for s in spans}
    assert "Ada Quist" not in texts and "Calder Bay" in texts
    spans = span_candidates(analyse("Who backed the ferry terminal?"), _cands(sentence), _cands(sentence))
    assert "Ada Quist" in {s.ent.text for s in spans}


def test_where_and_which_country_are_not_answered_by_a_person() -> None:
    """"Where was the count held?" asks for a place: the official named beside it is none; "Which
    country is the champion from?" neither."""
    sentence = "The count, overseen by Ada Quist, was held at the Corn Exchange in Calder Bay."
    spans = span_candidates(analyse("Where was the count held?"), _cands(sentence), _cands(sentence))
    texts = {s.ent.text for s in spans}
    assert "Ada Quist" not in texts and "Calder Bay" in texts
    winner = _cands("The champion, Ada Quist of Hungary, won in three sets.")
    spans = span_candidates(analyse("Which country is the champion from?"), winner, winner)
    assert "Hungary" in {s.ent.text for s in spans} and not any("Quist" in s.ent.text for s in spans)


def test_a_name_of_the_thing_the_question_refers_to_by_its_noun_does_not_answer() -> None:
    """"Who did the minister meet at the forum?": "the Harbour Economic Forum" is the forum itself;
    asked what the forum is called, it is the answer."""
    sentence = "At the Harbour Economic Forum, Ada Quist met the heads of three shipping lines."
    cands = _cands(sentence)
    texts = {s.ent.text for s in span_candidates(analyse("Who did the minister meet at the forum?"), cands, cands)}
    assert not any("Forum" in t for t in texts) and "Ada Quist" in texts
    for question in ("What is the forum called?", "What is the name of the forum?"):
        texts = {s.ent.text for s in span_candidates(analyse(question), cands, cands)}
        assert any("Forum" in t for t in texts), question


def test_a_building_the_ner_calls_an_organisation_is_placed_with_its_article() -> None:
    """"held at the Corn Exchange": the article is part of the name a preposition places."""
    sentence = "The count, overseen by Ada Quist, was held at the Corn Exchange in Calder Bay."
    quoted = _cands(sentence)
    assert {e.text: e.label_ for e in quoted[0].doc.ents}.get("the Corn Exchange") == "ORG"  # the premise
    spans = span_candidates(analyse("Where was the count held?"), quoted, quoted)
    assert {s.ent.text: s.features.label for s in spans}["the Corn Exchange"] == 1.0


def test_where_is_not_answered_by_a_place_that_acts() -> None:
    """"Where is the smelter?": the place it stands, not the country that built it."""
    sentence = "Norland built the smelter at Vesterby, and Kallia buys its aluminium."
    texts = {s.ent.text for s in span_candidates(analyse("Where is the smelter?"), _cands(sentence),
                                                  _cands(sentence))}
    assert "Vesterby" in texts and "Norland" not in texts and "Kallia" not in texts
    # a country that acts still answers which country acted
    acted = span_candidates(analyse("Which country built the smelter?"), _cands(sentence), _cands(sentence))
    assert "Norland" in {s.ent.text for s in acted}


def test_a_year_question_is_answered_only_by_a_span_that_holds_a_year() -> None:
    sentence = "The line took a year to electrify and opened in 1987, after a strike of 72 hours."
    spans = span_candidates(analyse("In what year did the line open?"), _cands(sentence), _cands(sentence))
    assert {s.ent.text for s in spans} == {"1987"}
    when = span_candidates(analyse("When did the line open?"), _cands(sentence), _cands(sentence))
    assert {"1987", "72 hours"} <= {s.ent.text for s in when}


def test_a_sentence_without_a_year_does_not_hold_what_a_year_question_asks() -> None:
    from newsqa.rag.features import Features, full_features

    q = analyse("In what year did the line open?")
    assert q.asks_year and not analyse("When did the line open?").asks_year
    cands = [replace(c, features=Features()) for c in _cands(
        "The line opened last week after a strike of 72 hours.", "The line opened in 1987.")]
    full_features(q, cands, [0.5, 0.5])
    assert [c.features.expected for c in cands] == [0.0, 1.0]


def test_how_old_is_answered_by_an_age() -> None:
    sentence = "Ada Quist, 31, has led the school since February 2019, when it had only 22 pupils."
    spans = span_candidates(analyse("How old is Ada Quist?"), _cands(sentence), _cands(sentence))
    assert {s.ent.text for s in spans} == {"31"}
    many = span_candidates(analyse("How many pupils did the school have?"), _cands(sentence), _cands(sentence))
    assert "22 pupils" in {s.ent.text for s in many} or "only 22 pupils" in {s.ent.text for s in many}
    # an age counts years, months, weeks or days: never the seconds a game had left
    sentence = "Guard Ada Vell, 23, scored the winning basket with nine seconds left."
    spans = span_candidates(analyse("How old is the guard who scored the winning basket?"), _cands(sentence), _cands(sentence))
    assert {s.ent.text for s in spans} == {"23"}


def test_a_count_counts_its_noun_by_the_noun_s_lemma_too() -> None:
    """"children" for "how many children" (the focus is the lemma, "child")."""
    q = analyse("How many children needed hospital care?")
    quoted = _cands("Three children were treated in hospital, and the helpline took more than 5,000 calls.")
    assert {s.ent.text for s in span_candidates(q, quoted, quoted) if s.counts} == {"Three", "Three children"}


@pytest.mark.parametrize("question, age", [("How old is Tor Lind?", "66"), ("How old is Ada Marsh?", "39"),
                                           ("What is the age of the defeated mayor, Tor Lind?", "66")])
def test_how_old_is_x_is_the_age_set_off_after_x_s_name(question: str, age: str) -> None:
    """Whatever the model prefers (here the earliest span), the age after the asked name."""
    quoted = _cands("Councillor Ada Marsh, 39, was elected mayor on Sunday, defeating the incumbent Tor Lind, 66, "
                    "by 312 votes.")
    chosen = choose_span(analyse(question), quoted, quoted, _only("position", -3.0))
    assert chosen is not None and chosen.ent.text == age


def test_a_number_hung_on_the_noun_before_it_still_counts_the_noun_after_it() -> None:
    # the parser makes "9" modify "number"; it counts shirts, not years: no age
    from newsqa.rag.span import _an_age, parse_sentences

    text = "He wore the number 9 shirt left free by the retired captain."
    parse = parse_sentences([text])[0]
    nine = parse[text.split().index("9")]
    assert nine.head.text == "number"  # what this test is about: the parser's attachment
    assert not _an_age(parse[nine.i:nine.i + 1], parse)


def test_an_amount_question_is_never_answered_by_a_date() -> None:
    """Whatever the model's prior for dates, "How much did it weigh?" is no date; "How long did it
    take?" may be a span of time."""
    text = "At her first check on May 9 the calf weighed 7.2 kilograms."
    spans = {s.ent.text for s in span_candidates(analyse("How much did the calf weigh?"), _cands(text), _cands(text))}
    assert "7.2 kilograms" in spans and "May 9" not in spans
    text = "The repairs took three weeks and ended on May 9."
    spans = {s.ent.text for s in span_candidates(analyse("How long did the repairs take?"), _cands(text), _cands(text))}
    assert "three weeks" in spans


def test_a_partitive_number_counts_the_noun_of_its_of() -> None:
    """"118 of the 152 riders", "Of the 152 riders who started, 118 finished": 118 counts riders
    too, so "How many riders finished?" chooses between the two counts by the verb (the slot)."""
    from newsqa.rag.query import counted_noun
    from newsqa.rag.span import parse_sentences

    for text in ("Of the 152 riders who started, 118 reached the finish.", "Only 118 of the 152 riders reached the finish."):
        parse = parse_sentences([text])[0]
        assert {t.text: counted_noun(t).text for t in parse if t.like_num} == {"152": "riders", "118": "riders"}
    q = analyse("How many riders reached the finish?")
    quoted = _cands("Of the 152 riders who started, 118 reached the finish.")
    spans = {s.ent.text: s for s in span_candidates(q, quoted, quoted)}
    assert spans["118"].counts and spans["118"].features.slot == 1.0 and spans["152 riders"].features.slot == 0.0
    assert choose_span(q, quoted, quoted, _only("slot")).ent.text == "118"


@pytest.mark.parametrize("text, whole, part", [
    ("Eleven of 17 inspectors polled by the board want the rules kept.", "17", "Eleven"),
    ("The Harbour Party holds 8 of 31 seats on the council.", "31", "8"),
    ("Only 118 of the 152 riders reached the finish.", "152", "118"),
    ("Of the 152 riders who started, 118 reached the finish.", "152", "118"),
])
def test_a_partitive_whole_knows_its_part_and_both_count_the_same_noun(text: str, whole: str, part: str) -> None:
    from newsqa.rag.query import counted_noun, partitive_part
    from newsqa.rag.span import parse_sentences

    parse = parse_sentences([text])[0]
    nums = {t.text: t for t in parse if t.like_num}
    assert partitive_part(nums[whole]).text == part and partitive_part(nums[part]) is None
    assert counted_noun(nums[part]).text == counted_noun(nums[whole]).text


def test_how_many_x_is_the_part_of_a_partitive_unless_the_verb_is_said_of_the_whole() -> None:
    """"Eleven of 17 inspectors want the rules kept": eleven want them, 17 were polled."""
    text = "Eleven of 17 inspectors polled by the board want the rules kept."
    quoted = _cands(text)
    want = choose_span(analyse("How many inspectors want the rules kept?"), quoted, quoted, _only("position", -3.0))
    assert want is not None and want.ent.text == "Eleven"
    spans = span_candidates(analyse("How many inspectors did the board poll?"), quoted, quoted)
    assert {s.ent.text for s in spans if s.counts} >= {"Eleven", "17"}
    seats = _cands("The Harbour Party holds 8 of 31 seats on the council.")
    held = choose_span(analyse("How many seats does the Harbour Party hold?"), seats, seats, _only("position", 3.0))
    assert held is not None and held.ent.text == "8"


@pytest.mark.parametrize("question, text, value", [
    ("What was the turnout?", "Voters backed Lena Ruud, and turnout was 58 percent, the council said.", "58 percent"),
    ("What pay rise did the nurses ask for?", "Carla Venn said the nurses asked for a pay rise of 9 percent.", "9 percent"),
    ("What was the margin of her win?", "Ada Marsh of the Coast Party won by a margin of 215 votes.", "215 votes"),
    ("What was inflation in May?", "Governor Tilde Haas said in Brill that inflation fell to 3.1 percent in May from 5.2 percent.",
     "3.1 percent"),
    ("What is the new stipend for interns?", "The Holt Institute raised the intern stipend to 900 crowns.", "900 crowns"),
])
def test_what_x_is_answered_by_the_amount_a_sentence_gives_x(question: str, text: str, value: str) -> None:
    """Whatever the model prefers (here the earliest span), an untyped "what X" is answered by the
    amount the sentence states as X's own: X's "of", or the complement of X's verb ("fell to"; not
    the "from" it fell from)."""
    quoted = _cands(text)
    spans = span_candidates(analyse(question), quoted, quoted)
    assert {s.ent.text for s in spans if s.values} <= {value, f"{value} in May"}
    chosen = choose_span(analyse(question), quoted, quoted, _only("position", -3.0))
    assert chosen is not None and span_answer(chosen.cand, chosen.ent).text == value


@pytest.mark.parametrize("question, text, difference", [
    ("By how many votes did Ada Marsh win?", "Ada Marsh won on Sunday by a margin of 215 votes, taking 9,870 votes in all.",
     "215 votes"),
    ("By how much did sales fall?", "Sales at Norvik fell by 9 percent to 2.1 billion crowns in the year to March.", "9 percent"),
    ("How much did fares rise by?", "Fares rose by 4 percent in May, to 230 crowns, after 5 percent in April.", "4 percent"),
])
def test_by_how_much_is_answered_by_the_amount_of_a_by(question: str, text: str, difference: str) -> None:
    """Whatever the model prefers (here the latest span), a difference is the amount a "by" gives."""
    quoted = _cands(text)
    chosen = choose_span(analyse(question), quoted, quoted, _only("position", 3.0))
    assert chosen is not None and span_answer(chosen.cand, chosen.ent).text == difference


def test_a_difference_without_digits_is_the_amount_of_a_by_too() -> None:
    quoted = _cands("The bank raised the rate by half a point in March, its largest increase since 2009.")
    spans = span_candidates(analyse("By how much did the bank raise the rate?"), quoted, quoted)
    assert [s.ent.text for s in spans if s.values] == ["half"]  # shown with its noun: "half a point"


@pytest.mark.parametrize("question, count", [
    ("How many votes did Tor Lind get?", "12,143"), ("How many votes did Ada Marsh get?", "12,455 votes")])
def test_how_many_x_did_someone_get_is_the_count_the_sentence_gives_them(question: str, count: str) -> None:
    """Whatever the model prefers (here the latest span): "A took N votes to B's M"."""
    quoted = _cands("Ada Marsh took 12,455 votes to Tor Lind's 12,143, according to the election office.")
    chosen = choose_span(analyse(question), quoted, quoted, _only("position", 3.0 if count == "12,143" else -3.0))
    assert chosen is not None and span_answer(chosen.cand, chosen.ent).text == count


def test_a_result_set_against_another_counts_the_same_noun_and_belongs_to_its_for() -> None:
    quoted = _cands("Ada Marsh received 24,881 votes to 24,469 for Lind, of the Progress Party.")
    spans = span_candidates(analyse("How many votes did the outgoing mayor, Tor Lind, receive?"), quoted, quoted)
    assert {s.ent.text for s in spans if s.counts} >= {"24,881", "24,469"}
    assert {s.ent.text for s in spans if s.owned} == {"24,469"}


def test_a_passive_s_by_gives_no_difference() -> None:
    quoted = _cands("The Kestrels, who scored 88 points, were beaten by the 4 teams of the Owls league.")
    assert not any(s.values for s in span_candidates(analyse("By how many points did the Kestrels lose?"), quoted, quoted))


def test_a_count_of_the_focus_noun_or_a_which_question_gets_no_value() -> None:
    quoted = _cands("The public chose from three names for the calf, and Tamsin won.")
    assert not any(s.values for s in span_candidates(analyse("What name did the public choose?"), quoted, quoted))
    quoted = _cands("The Lark Club listed the rarest breeds of 120 rankings, led by the Kestrel hound.")
    assert not any(s.values for s in span_candidates(analyse("Which breed is the rarest?"), quoted, quoted))


@pytest.mark.parametrize("question, text, day", [
    ("When is the filing deadline?", "Returns were first taken on Feb. 3, with the filing deadline June 9.",
     "June 9"),
    ("When is the council vote?", "The council vote on March 3 follows a hearing held on February 10.", "March 3"),
    ("When is the next rate decision due?", "The committee met on October 2; its next rate decision is due on "
     "November 6.", "November 6"),
])
def test_when_is_the_x_is_answered_by_the_date_a_sentence_gives_x(question: str, text: str, day: str) -> None:
    """"When is the deadline?" asks for the deadline's date, not another date of the sentence."""
    cands = _cands(text)
    spans = span_candidates(analyse(question), cands, cands)
    assert {s.ent.text for s in spans if s.values} == {day}
    chosen = choose_span(analyse(question), cands, cands, _only("position", -3.0))
    assert chosen is not None and chosen.ent.text == day
    # a question with a verb of its own asks for that verb's time (slots.py), not for a noun's date
    assert not any(s.values for s in span_candidates(analyse("When did the council meet?"), cands, cands))


def test_a_year_after_a_name_is_its_edition_not_the_amount_of_the_focus_noun() -> None:
    """"What forum did she attend?": "the Halden Trade Forum (HTF) 2025" names the forum; the year is part
    of the name, so no span is kept for being the forum's amount and the forum can answer."""
    quoted = _cands("Speaking on the sidelines of the Halden Trade Forum (HTF) 2025, Mayor Ada Quist said the port "
                    "would reopen.")
    q = analyse("What forum did Ada Quist attend?")
    assert not any(s.values for s in span_candidates(q, quoted, quoted))
    chosen = choose_span(q, quoted, quoted, _only("head_focus"))
    assert chosen is not None and "Halden Trade Forum" in chosen.ent.text


@pytest.mark.parametrize("question, value", [
    ("How much revenue did Tessby Foods take in?", "1.31 billion"),
    ("How much revenue had Tessby Foods taken in a year before?", "1.19 billion"),
])
def test_a_change_answers_with_the_value_it_reached_unless_the_earlier_one_is_asked(question: str,
                                                                                   value: str) -> None:
    """"rose to 1.31 billion crowns from 1.19 billion": the new value, whatever the model prefers
    (here the latest span), unless the question asks for the value before."""
    quoted = _cands("Revenue at Tessby Foods rose to 1.31 billion crowns from 1.19 billion, helped by soups.")
    spans = {s.ent.text: s.former for s in span_candidates(analyse(question), quoted, quoted)}
    assert spans["1.19 billion"] and not spans["1.31 billion"]
    chosen = choose_span(analyse(question), quoted, quoted, _only("position", 3.0))
    assert chosen is not None and chosen.ent.text.startswith(value)


@pytest.mark.parametrize("weight", [3.0, -3.0])
def test_a_score_question_is_answered_by_a_result(weight: float) -> None:
    """"What was the final score?": two numbers joined ("88-85"), whatever the model prefers (the
    earliest or the latest span), not the other numbers of the sentence."""
    quoted = _cands("Three days after the semi-final, the Kelham Kites beat the Brill Lanterns 88-85, "
                    "with 31 points from Ada Quist.")
    chosen = choose_span(analyse("What was the final score of the cup final?"), quoted, quoted, _only("position", weight))
    assert chosen is not None and chosen.ent.text == "88-85"


def test_a_question_about_what_is_to_come_is_not_answered_by_an_earlier_year() -> None:
    quoted = _cands("The council raised fees in 2021 and again in March 2023, and its next vote is due on June 3.")
    day = {1: date(2024, 5, 2)}

    def dates(question: str, published: dict[int, date] | None = day) -> set[str]:
        return {s.ent.text for s in span_candidates(analyse(question), quoted, quoted, published=published)}

    ahead = dates("When is the council's next vote due?")
    assert "June 3" in ahead and not ahead & {"2021", "March 2023"}
    assert dates("When will the council vote on fees?") == ahead
    assert dates("When'll the council vote on fees?") == ahead  # the future a sentence's dates are read in
    assert {"2021", "March 2023"} <= dates("When did the council raise fees?")  # asks about the past
    assert "2021" in dates("When is the council's next vote due?", published=None)  # undated


def test_a_family_firm_s_name_does_not_rule_out_the_family() -> None:
    quoted = _cands("The firm's managing director, Elena Harwick, said the recall would cost about 2 million euros.")

    def texts(question: str) -> set[str]:
        return {s.ent.text for s in span_candidates(analyse(question), quoted, quoted)}

    assert "Elena Harwick" in texts("Who runs Harwick & Sons?")
    # a person the question names is not the answer about her ("Mayor Harwick" for "Harwick")
    assert "Elena Harwick" not in texts("Who did Harwick appoint as managing director?")
    # the rules' span (weights without a span model) reads the question's people alike
    rule = short_answer(analyse("Who runs Harwick & Sons?"), quoted[0])
    assert rule is not None and rule.text == "Elena Harwick"
    assert short_answer(analyse("Who did Harwick appoint as managing director?"), quoted[0]) is None


def test_a_run_of_set_scores_holds_no_count() -> None:
    quoted = _cands("Ilse Varga beat Ada Quist 7-6 (4), 6-3 in the final for her 12th title.")
    counts = {s.ent.text for s in span_candidates(analyse("How many titles has Ilse Varga won?"), quoted, quoted)}
    assert not counts & {"7", "6", "4", "3", "7-6", "6-3"} and "12th" in counts
    # a result is what a score question asks for
    scores = {s.ent.text for s in span_candidates(analyse("What was the score of the final?"), quoted, quoted)}
    assert scores & {"7-6", "6-3"}


def test_a_from_without_a_to_is_no_change_of_value() -> None:
    quoted = _cands("Ferries from 2019 still carry 400 passengers from Kelham each day.")
    assert not any(s.former for s in span_candidates(analyse("How many passengers do the ferries carry?"),
                                                      quoted, quoted))


def test_how_many_of_them_is_the_part_of_a_partitive_not_the_whole() -> None:
    quoted = _cands("A review found that 2 of the 3 ground surveys had underestimated the water pressure.")
    spans = {s.ent.text for s in span_candidates(analyse("How many of them underestimated the pressure?"), quoted, quoted)}
    assert "2" in spans and not any(s.startswith("3") for s in spans)


def test_a_written_out_number_the_ner_misses_is_still_a_count() -> None:
    """The small NER leaves "Eleven" of "Eleven of the 17 judges" outside every entity."""
    q = analyse("How many of its judges sided with the fishermen?")
    quoted = _cands("Eleven of the 17 judges sided with the fishermen, the tribunal said.")
    spans = {s.ent.text: s for s in span_candidates(q, quoted, quoted)}
    assert spans["Eleven"].ent.label_ == "CARDINAL" and spans["Eleven"].counts
    assert not spans["17"].counts  # the whole of the partitive
    chosen = choose_span(q, quoted, quoted, _only("position", 3.0))
    assert chosen is not None and chosen.ent.text == "Eleven"


def test_a_sentence_counting_what_is_asked_leads_where_none_quoted_does() -> None:
    from newsqa.rag.span import amount_sentence

    q = analyse("How many judges sided with the fishermen?")
    lead, head, count = _cands("The tribunal ruled on Thursday for the fishermen of Kestrelby.",
                               "Tribunal orders port to restore 46 licences",
                               "Eleven of the 17 judges sided with the fishermen.")
    assert amount_sentence(q, [lead, head], [lead, head, count]) is count
    assert amount_sentence(q, [count, lead], [lead, head, count]) is None  # one quoted counts them
    assert amount_sentence(analyse("Which judges sided with the fishermen?"), [lead], [lead, count]) is None
    # ... and for an untyped "what X", the sentence stating X's amount
    lead, turnout = _cands("Ada Marsh of the Coast Party was elected mayor of Brill on Saturday.",
                           "Turnout in the election was 38 percent, the council said.")
    assert amount_sentence(analyse("What was the turnout in the Brill election?"), [lead], [lead, turnout]) is turnout


def test_how_long_is_answered_by_a_span_of_time_or_a_length_never_a_count_of_things() -> None:
    text = "Two of the four ferry lines stopped, and the harbour stayed shut for 18 hours."
    spans = {s.ent.text for s in span_candidates(analyse("How long was the harbour shut?"), _cands(text), _cands(text))}
    assert "18 hours" in spans and not any(s.startswith(("Two", "four")) for s in spans)
    text = "The new pier, 380 metres long, opened after three ferry lines moved there."
    spans = {s.ent.text for s in span_candidates(analyse("How long is the new pier?"), _cands(text), _cands(text))}
    assert "380 metres" in spans and not any("three" in s for s in spans)


def test_how_many_x_is_answered_by_a_count_of_x_where_a_sentence_has_one() -> None:
    """Whatever the model prefers (here the earlier span), a number counting what the question
    counts wins over another count beside it; without one the model chooses as before."""
    q = analyse("How many rescuers took part in the operation?")
    quoted = _cands("Rescuers brought two climbers down from the ridge in an operation that involved 34 rescuers.")
    spans = span_candidates(q, quoted, quoted)
    counting = {s.ent.text for s in spans if s.counts}  # the number, and the noun phrase it opens
    assert counting and all(t.startswith("34") for t in counting)
    chosen = choose_span(q, quoted, quoted, _only("position", -3.0))
    assert chosen is not None and chosen.ent.text.startswith("34")
    # four car ferries are ferries: the number does not count cars
    q = analyse("How many cars can each ferry carry?")
    quoted = _cands("The operator ordered four car ferries, each able to carry 160 vehicles.")
    assert not any(s.counts for s in span_candidates(q, quoted, quoted))
    chosen = choose_span(q, quoted, quoted, _only("position", -3.0))
    assert chosen is not None and chosen.ent.text == "four"


def test_the_model_chooses_by_its_weights() -> None:
    # (a verb the sentence does not use: no span fills the time of the question's verb, which
    # choose_span prefers over the model's choice)
    q = analyse("When was the Norbridge library completed?")
    quoted = _cands("The Norbridge library, planned since 2019, opened on 3 May 2024 after delays.")
    exact = choose_span(q, quoted, quoted, _only("numbers"))
    assert exact is not None and exact.ent.text == "3 May 2024"
    first = choose_span(q, quoted, quoted, _only("position", -3.0))
    assert first is not None and first.ent.text == "2019"


def test_fit_span_learns_which_feature_marks_the_right_span() -> None:
    rng = np.random.default_rng(1)
    k = SPAN_FEATURES.index("near")
    groups = []
    for _ in range(60):
        X = rng.random((4, len(SPAN_FEATURES)))
        y = np.zeros(4)
        y[int(np.argmax(X[:, k]))] = 1.0  # the span nearest the question's words is right
        groups.append((X, y))
    model = fit_span(groups)
    assert model is not None and model.features == tuple(SPAN_FEATURES)
    assert model.coef[k] == max(model.coef) > 0
    assert fit_span([(np.zeros((2, len(SPAN_FEATURES))), np.zeros(2))]) is None  # nothing right


def test_the_span_model_is_kept_in_the_weights_file(tmp_path: Path) -> None:
    model = replace(load_model(), span=_only("near"))
    model.save(tmp_path / "w.json")
    assert load_model(tmp_path / "w.json").span == model.span
    without = replace(model, span=None)
    without.save(tmp_path / "w2.json")
    assert load_model(tmp_path / "w2.json").span is None


@pytest.mark.parametrize("feature, weight, expected", [("numbers", 3.0, "3 May 2024"), ("position", -3.0, "2019")])
def test_the_ranked_backend_takes_the_short_answer_from_the_span_model(feature: str, weight: float,
                                                                       expected: str) -> None:
    text = "The Norbridge library, planned since 2019, opened on 3 May 2024 after two years of delays."
    ps = passages(text)
    backend = RankedBackend(SupportScorer(HashingEmbedder()), model=replace(load_model(), span=_only(feature, weight)))
    q = analyse("When was the Norbridge library completed?")  # (no span fills its verb's time)
    sentences, short = backend.compose(q, rank(q, ps, backend.scorer, backend.model), ps)
    assert short is not None and short.text == expected
    assert ps[0].chunk.text[short.start:short.end] == expected and short.n in sentences[0].citations


def test_the_ranked_backend_reads_a_question_about_what_is_to_come_against_the_article_s_date() -> None:
    # (a verb of its own: "When is the library's next review due?" is answered by the date the
    # sentence gives the review, dated or not)
    text = "The Norbridge library was last reviewed in 2019, and it will be reviewed again on 3 June."
    ps = passages(text)
    backend = RankedBackend(SupportScorer(HashingEmbedder()), model=replace(load_model(), span=_only("position", -3.0)))
    q = analyse("When will the Norbridge library next be reviewed?")
    undated = backend.compose(q, rank(q, ps, backend.scorer, backend.model), ps)[1]
    assert undated is not None and undated.text == "2019"  # the model's choice without a date to read it by
    day = int(datetime(2024, 5, 2, tzinfo=timezone.utc).timestamp())
    dated = [replace(p, chunk=replace(p.chunk, published_ts=day)) for p in ps]
    short = backend.compose(q, rank(q, dated, backend.scorer, backend.model), dated)[1]
    assert short is not None and short.text == "3 June"


def test_noun_phrases_are_candidates_without_their_determiner_and_mark_the_focus_noun() -> None:
    q = analyse("Which sport did Mara Lindqvist take up after her injury?")
    quoted = _cands("After the injury, Mara Lindqvist took up competitive rowing on the lake near her home.")
    spans = span_candidates(q, quoted, quoted)
    phrases = {s.ent.text: s.features for s in spans if s.features.phrase}
    assert "competitive rowing" in phrases and "the lake" not in phrases and "lake" in phrases
    assert phrases["competitive rowing"].phrase_open == 1.0  # "which sport": no entity label answers it
    assert not any("Lindqvist" in t for t in phrases) and not any(t in ("injury", "her home") for t in phrases)
    metals = span_candidates(analyse("Which metal did the foundry add to its export list?"),
                             _cands("The foundry added two rare metals to its list of licensed exports."), [])
    heads = {s.ent.text: s.features.head_focus for s in metals if s.features.phrase}
    assert heads.get("two rare metals") == 1.0 and heads.get("licensed exports", 0.0) == 0.0


def test_a_phrase_that_only_restates_the_focus_noun_names_nothing() -> None:
    """"rare metals" for "Which metal ...?" says again what is asked; a number beside the noun
    answers ("two rare metals")."""
    q = analyse("Which metal did the foundry add to its export list?")
    texts = [s.ent.text for s in span_candidates(
        q, _cands("The foundry added rare metals to its list of licensed exports."), [])]
    assert not any(t.endswith("metals") for t in texts)
    day = analyse("On what day are ferry delays most likely, according to the study?")
    texts = [s.ent.text for s in span_candidates(
        day, _cands("Delays peak on the worst day of the month, and most often on Mondays."), [])]
    assert "Mondays" in texts and "the worst day of the month" not in texts


def test_a_noun_phrase_after_a_possessive_loses_its_s() -> None:
    """"Eastland’s first tidal plant": the phrase is "first tidal plant", never "’s first tidal plant"
    (spaCy's noun chunk holds the possessor and its "’s" marker)."""
    q = analyse("Which tidal plant did the company build?")
    for mark in ("’s", "'s"):
        quoted = _cands(f"The company built Eastland{mark} first tidal plant, Kelvar Point, in two years.")
        phrases = [s.ent.text for s in span_candidates(q, quoted, quoted) if s.features.phrase]
        assert "first tidal plant" in phrases
        assert not any(t.startswith(("’", "'")) for t in phrases)


def test_a_name_set_off_by_commas_after_the_focus_noun_stands_beside_it() -> None:
    """"a suspect, Marco Lind, and two accomplices": the small parser attaches the name as a
    conjunct of "suspect"; it is the suspect's name all the same, as an apposition would be."""
    from newsqa.rag.span import parse_sentences

    text = "Police arrested a suspect, Marco Lind, and two accomplices on Friday."
    name = next(t for t in parse_sentences([text])[0] if t.text == "Lind")
    assert (name.dep_, name.head.text) == ("conj", "suspect")  # the parse this is about
    q = analyse("Which suspect did the police arrest?")
    heads = {s.ent.text: s.features.head_focus for s in span_candidates(q, _cands(text), [])}
    assert heads["Marco Lind"] == 1.0
    # a conjunct that is not set off right after the noun is another thing
    other = span_candidates(q, _cands("Police arrested a suspect and Marco Lind filmed it."), [])
    assert {s.ent.text: s.features.head_focus for s in other}.get("Marco Lind", 0.0) == 0.0


@pytest.mark.parametrize("taken, shown", [
    ('"The Long Road', "The Long Road"),  # NER took in a title's opening quote
    ("Rivers’ “The Long Road", "The Long Road"),  # ... and the owner before it
    ("“The Long Road”", "The Long Road"),  # quoted whole
    ('the "Long" Road', 'the "Long" Road'),  # balanced inside: kept
    ('Long Road" fans', 'Long Road" fans'),  # a straight quote inside may close a title: kept
    ("the Harbour-Quay-", "the Harbour-Quay"),  # a dangling dash
    ("(HSB", "HSB"),
])
def test_a_short_answer_loses_quotes_and_brackets_it_does_not_close(taken: str, shown: str) -> None:

    text = f"Critics praised {taken} on Friday."
    c = _cands(text)[0]
    c.span = (100, 100 + len(text))  # the sentence's place in its passage
    at = text.index(taken)
    short = span_answer(c, c.doc.char_span(at, at + len(taken), alignment_mode="expand"))
    assert short.text == shown
    assert text[short.start - 100:short.end - 100] == shown  # the offsets follow the trimmed text


def test_a_noun_phrase_with_a_possessor_is_what_it_owns() -> None:
    """"the Harbour Board's new ferries": the owner is another thing (an entity of its own here),
    so the phrase is "new ferries"."""
    q = analyse("What did the crews test on Tuesday?")
    quoted = _cands("The crews tested the Harbour Board's new ferries on Tuesday.")
    phrases = [s.ent.text for s in span_candidates(q, quoted, quoted) if s.features.phrase]
    assert "new ferries" in phrases
    assert not any("Board" in p for p in phrases)


def test_a_phrase_can_be_the_short_answer_with_its_offsets_in_the_passage() -> None:
    text = "The county issued warnings on Friday. A landslide damaged the valley on Sunday evening."
    ps = passages(text)
    q = analyse("What damaged the valley on Sunday?")
    model = replace(load_model(), span=_only("phrase"))
    backend = RankedBackend(SupportScorer(HashingEmbedder()), model=model)
    sentences, short = backend.compose(q, rank(q, ps, backend.scorer, model), ps)
    assert short is not None and short.text == "landslide"
    assert text[short.start:short.end] == "landslide" and short.n in sentences[0].citations


def test_a_span_carries_its_sentences_overlap_with_the_question() -> None:
    """Of two quoted sentences, the span model can prefer the one that restates the question: each
    span carries its sentence's word overlap (the ranker's feature; 0 for unranked sentences)."""
    from newsqa.rag.features import Features

    q = analyse("Which company won the contract for the Port Arlen bridge?")
    quoted = _cands("Harbour Lines won the contract for the Port Arlen bridge on Monday.",
                    "Analysts at Westbank Capital expect more tenders this year.")
    quoted[0].features, quoted[1].features = Features(overlap=0.8), Features(overlap=0.1)
    spans = span_candidates(q, quoted, quoted)
    by_text = {s.ent.text: s.features.sentence_overlap for s in spans}
    assert by_text["Harbour Lines"] == 0.8 and by_text["Westbank Capital"] == 0.1
    best = choose_span(q, quoted, quoted, _only("sentence_overlap"))
    assert best is not None and best.cand is quoted[0]
    unranked = _cands("Harbour Lines won the contract for the Port Arlen bridge on Monday.")
    assert {s.features.sentence_overlap for s in span_candidates(q, unranked, unranked)} == {0.0}


def test_an_acronym_or_spelled_out_form_of_a_named_thing_counts_as_the_questions_own_words() -> None:
    """"the Harbour Safety Board" is no answer to a question that names the "HSB"."""
    q = analyse("Which company did the HSB fine after the Port Arlen spill?")
    quoted = _cands("The Harbour Safety Board fined Marlow Tankers after the spill at Port Arlen.")
    spans = {s.ent.text: s.features.partial for s in span_candidates(q, quoted, quoted)}
    assert spans["The Harbour Safety Board"] == 1.0 and spans["Marlow Tankers"] == 0.0
    q = analyse("Which company did the Harbour Safety Board fine?")
    quoted = _cands("The HSB fined Marlow Tankers on Monday.")
    spans = {s.ent.text: s.features.partial for s in span_candidates(q, quoted, quoted)}
    assert spans["HSB"] == 1.0 and spans["Marlow Tankers"] == 0.0


_METAL_Q = "Which metal did thieves take from the Harlow depot?"
_METAL_SENTENCE = "Thieves took scrap copper worth 40,000 from the Harlow depot on Sunday, police said."


def _pointing(same: tuple[str, ...], calls: list[list[str]]):
    """An embedder that points the texts in `same` one way and every other text another, recording
    each call's texts in `calls`."""
    def embed(texts):
        calls.append(list(texts))
        return np.array([[1.0, 0.0] if t in same else [0.0, 1.0] for t in texts])
    return embed


def test_completes_reads_the_question_followed_by_the_span_against_the_spans_sentence() -> None:
    q = analyse(_METAL_Q)
    sentence = _METAL_SENTENCE
    quoted = _cands(sentence)
    fits = completed_question(q, "scrap copper")
    assert fits == "Which metal did thieves take from the Harlow depot scrap copper"
    calls: list[list[str]] = []
    embed = _pointing((sentence, fits), calls)  # the sentence and the completion that says it

    spans = span_candidates(q, quoted, quoted, embed)
    by_text = {s.ent.text: s.features.completes for s in spans}
    assert by_text["scrap copper"] == 1.0 and len(by_text) > 2
    assert all(v == 0.0 for t, v in by_text.items() if t != "scrap copper")
    assert len(calls) == 1 and len(calls[0]) == len(set(calls[0]))  # one batch, each text once
    best = choose_span(q, quoted, quoted, _only("completes"), embed)
    assert best is not None and best.ent.text == "scrap copper"
    # without an embedder the feature is 0 for every span, so it cannot decide
    assert {s.features.completes for s in span_candidates(q, quoted, quoted)} == {0.0}


def test_the_ranked_backend_gives_the_span_model_its_scorers_vectors() -> None:
    ps = passages(_METAL_SENTENCE)
    backend = RankedBackend(SupportScorer(HashingEmbedder()), model=replace(load_model(), span=_only("completes")))
    q = analyse(_METAL_Q)
    ranked = rank(q, ps, backend.scorer, backend.model)
    _, short = backend.compose(q, ranked, ps)
    spans = span_candidates(q, ranked[:1], ranked, backend.scorer.embed)
    assert len({s.features.completes for s in spans}) > 1
    best = max(spans, key=lambda s: s.features.completes)
    assert short is not None and short.text == best.ent.text


def test_only_the_best_spans_without_completes_get_its_forward_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsqa.rag.span as span_module

    q = analyse(_METAL_Q)
    quoted = _cands(_METAL_SENTENCE)
    fits = completed_question(q, "scrap copper")
    calls: list[list[str]] = []
    embed = _pointing((_METAL_SENTENCE, fits), calls)

    n = len(SPAN_FEATURES)
    weights = {"position": 1.0, "completes": 3.0}  # later spans first, then what completes it
    model = Linear(tuple(SPAN_FEATURES), (0.0,) * n, (1.0,) * n,
                   tuple(weights.get(f, 0.0) for f in SPAN_FEATURES), 0.0)
    monkeypatch.setattr(span_module, "COMPLETE_TOP", 1)
    first = choose_span(q, quoted, quoted, model, embed)
    assert first is not None and first.ent.text == "police" and not any(fits in c for c in calls)
    monkeypatch.setattr(span_module, "COMPLETE_TOP", 6)
    best = choose_span(q, quoted, quoted, model, embed)
    assert best is not None and best.ent.text == "scrap copper"


@pytest.mark.parametrize("text, number, shown", [
    ("About 900 people crossed it each day.", "About 900", "About 900 people"),  # not "... crossed"
    ("Some 1,200 mill workers lost their jobs.", "Some 1,200", "Some 1,200 mill workers"),
    ("Sixty people will get 900 a week.", "Sixty", "Sixty people"),  # parsed as an adjective
    ("The toll rose to 12 on Sunday.", "12", "12"),  # counts nothing named after it
])
def test_a_count_keeps_the_noun_it_counts_by_the_parse(text: str, number: str, shown: str) -> None:
    from newsqa.rag.span import parse_sentences

    c = _cands(text)[0]
    at = text.index(number)
    e = c.doc.char_span(at, at + len(number), label="CARDINAL", alignment_mode="expand")
    assert span_answer(c, e, parse_sentences([text])[0]).text == shown


def test_a_place_the_ner_calls_an_organisation_answers_where_a_preposition_places_it() -> None:
    # the small NER takes a little-known town for an organisation; "in" makes it a place
    q = analyse("Where is the factory that will close?")
    quoted = _cands("The cuts fall mostly on the factory in Brackmoor, which Dunmere Foods will close.")
    ents = {e.text: e.label_ for e in quoted[0].doc.ents}
    assert ents.get("Brackmoor") == "ORG"  # what this test is about: the NER's mistake
    label = {s.ent.text: s.features.label for s in span_candidates(q, quoted, quoted) if not s.features.phrase}
    assert label["Brackmoor"] == 1.0
    assert label.get("Dunmere Foods", 0.0) == 0.0  # a company the sentence does not place


def test_where_is_never_answered_by_an_organisation_the_sentence_does_not_place() -> None:
    q = analyse("Where was the count held?")
    quoted = _cands("Mara Oyelaran of the Civic League won after a count at the Grain Exchange.")
    ents = {e.text: e.label_ for e in quoted[0].doc.ents}
    assert ents.get("the Civic League") == ents.get("the Grain Exchange") == "ORG"  # both bodies to the NER
    names = {s.ent.text for s in span_candidates(q, quoted, quoted) if not s.features.phrase}
    assert names == {"the Grain Exchange"}  # "at" places it; "of" places nothing


def test_which_thing_of_no_known_kind_is_never_answered_by_an_amount() -> None:
    # "which" picks among things of a kind, which an amount is not; an untyped "what X" may ask
    # for X's amount, so only "which" says so
    quoted = _cands("Carrow Bank was fined 4.5 million euros by the Financial Conduct Office on Monday.")
    which = {s.ent.text for s in span_candidates(analyse("Which regulator fined Carrow Bank?"), quoted, quoted)}
    assert "the Financial Conduct Office" in which
    assert not which & {"4.5 million", "4.5 million euros"}
    assert "Monday" in which  # a date may name one ("In which of his terms ...?": "his first term")
    what = {s.ent.text for s in span_candidates(analyse("What fine did Carrow Bank get?"), quoted, quoted)}
    assert what & {"4.5 million", "4.5 million euros"}
    # ... whichever open kind the noun asks for ("which model": a product)
    recall = _cands("Lumen Appliances is recalling about 42,000 electric kettles of its Brio range.")
    model = {s.ent.text for s in span_candidates(analyse("Which kettle model is being recalled?"), recall, recall)}
    assert model and not any("42,000" in t for t in model)


def test_a_role_word_that_opens_the_sentence_is_not_part_of_the_name() -> None:

    c = _cands("Striker Tomasz Wren scored both goals.")[0]
    (e,) = [e for e in c.doc.ents if e.label_ == "PERSON"]
    assert e.text == "Striker Tomasz Wren"  # the NER's reading this is about
    assert span_answer(c, e).text == "Tomasz Wren"


_SCORES = "Marlow Rovers won the cup, beating Castleford United 5-4 on penalties."
_GALA = "The gala is held each spring at the Museum of Harbour Art on the east bank."


@pytest.mark.parametrize("text, taken, label, shown", [
    # a result the NER ran into a team's name is not part of it
    (_SCORES, "Castleford United 5-4", "ORG", "Castleford United"),
    (_SCORES, "Marlow Rovers", "ORG", "Marlow Rovers"),
    # nor are the lowercase prepositions it ran on past a name
    (_GALA, "the Museum of Harbour Art on", "ORG", "the Museum of Harbour Art"),
    # ... while a name's own small words stay: inside it, or capitalised
    (_GALA, "Museum of Harbour Art", "ORG", "Museum of Harbour Art"),
    ("Fans queued for hours to see Game On at the arena.", "Game On", "WORK_OF_ART", "Game On"),
    # nor is the dateline that opens the story
    ("HARLOW — Kelham Community School topped the league table.", "HARLOW — Kelham Community School",
     "ORG", "Kelham Community School"),
    ("HARLOW - Kelham Community School topped the league table.", "HARLOW - Kelham Community School",
     "ORG", "Kelham Community School"),
    # ... while a dash inside a name stays
    ("The Harlow-Kelham line reopened.", "Harlow-Kelham", "GPE", "Harlow-Kelham"),
    # nor is the age a date ran into
    ("The foal was born on April 3 to six-year-old Mira.", "April 3 to six-year-old", "DATE", "April 3"),
])
def test_a_names_edges_lose_what_the_ner_ran_into_it(text: str, taken: str, label: str, shown: str) -> None:

    c = _cands(text)[0]
    at = text.index(taken)
    e = c.doc.char_span(at, at + len(taken), label=label, alignment_mode="expand")
    assert span_answer(c, e).text == shown


def test_a_noun_chunk_that_runs_a_name_into_an_amount_is_no_span() -> None:
    q = analyse("What was the chemicals firm fined for?")
    text = "A court in Halden on Monday fined Orrin Chemicals 2.5 million kroner for a spill."
    quoted = _cands(text)
    phrases = [s.ent.text for s in span_candidates(q, quoted, quoted) if s.features.phrase]
    assert "spill" in phrases
    assert not any("Orrin" in p and "million" in p for p in phrases)


def test_an_amount_of_time_is_marked_for_when_and_how_long_questions() -> None:
    """The NER labels "84 years" DATE like "June"; it answers "how long", not "when"."""
    text = "The Westbrook mill will close in June after 84 years, and the bridge reopens in two weeks."
    when = {s.ent.text: s.features for s in span_candidates(analyse("When will the Westbrook mill close?"),
                                                             _cands(text), [])}
    assert when["84 years"].duration_when == 1.0 and when["84 years"].duration_long == 0.0
    assert when["June"].duration_when == 0.0
    assert when["two weeks"].duration_when == 0.0  # "in two weeks" is a point in time
    long = {s.ent.text: s.features for s in span_candidates(analyse("How long did the Westbrook mill run?"),
                                                             _cands(text), [])}
    assert long["84 years"].duration_long == 1.0 and long["84 years"].duration_when == 0.0
    assert long["June"].duration_long == 0.0
    years = span_candidates(analyse("How many years did the strike last?"),
                            _cands("The strike lasted three years, ending in 2019."), [])
    assert {s.ent.text: s.features.duration_long for s in years} == {"three years": 1.0, "2019": 0.0}


def test_a_count_or_date_question_is_answered_by_a_number_or_not_at_all() -> None:
    """"How many cows died?" is never answered by a place or a noun phrase of the sentence."""
    q = analyse("How many cows died in the barn fire near Dunmore?")
    with_number = {s.ent.text for s in span_candidates(q, _cands("About 1,800 cows died in the fire at Dunmore."), [])}
    assert "About 1,800" in with_number or "1,800" in with_number
    assert "Dunmore" not in with_number and "the fire" not in with_number
    assert span_candidates(q, _cands("The barn fire near Dunmore killed cows from Kelby."), []) == []
    # a spelled-out number counts
    assert any(s.ent.text.startswith("five") for s in span_candidates(
        analyse("How many titles did she win?"), _cands("She won five titles at Kelby."), []))


def test_a_person_place_or_organisation_question_is_not_answered_by_an_amount() -> None:
    # the mirror of the count question: "Who won the jackpot?" is never "7.8 million euros"
    cands = _cands("A baker from Osterby has won 7.8 million euros in the lottery, after 23 years of play.")
    who = span_candidates(analyse("Who won the lottery jackpot?"), cands, cands)
    texts = [s.ent.text for s in who]
    assert "7.8 million euros" not in texts and "23 years" not in texts
    assert "baker" in " ".join(texts)  # the noun phrase stays a candidate
    how_much = span_candidates(analyse("How much did the baker win?"), cands, cands)
    assert "7.8 million euros" in [s.ent.text for s in how_much]


def test_the_noun_naming_a_name_gives_its_label_where_the_ner_is_wrong() -> None:
    # the small NER misses the fisherman's name and takes the village for a person; the apposition
    # and "the village of" say which is which
    q = analyse("Who found the canoe?")
    quoted = _cands("Kwabena Ofori-Atta, a fisherman from the coastal village of Ankrah, found the canoe.")
    ents = {e.text: e.label_ for e in quoted[0].doc.ents}
    assert "Kwabena Ofori-Atta" not in ents and ents.get("Ankrah") == "PERSON"  # the NER's mistakes
    spans = {s.ent.text: s.features for s in span_candidates(q, quoted, quoted)}
    name, village = spans["Kwabena Ofori-Atta"], spans["Ankrah"]
    assert name.label == name.preferred == name.any_name == 1.0 and name.phrase == 0.0
    # the village a place: for "who found" a place is the last of the labels asked (a country acts)
    assert village.preferred == 0.25 and village.any_name == 1.0
    assert choose_span(q, quoted, quoted, _only("preferred")).ent.text == "Kwabena Ofori-Atta"


def test_a_name_the_ner_calls_a_building_is_a_person_beside_a_person_noun() -> None:
    q = analyse("Who received the medal?")
    quoted = _cands("The medal went to Siyabonga Mthethwa-Lorne, a 19-year-old student.")
    assert {e.label_ for e in quoted[0].doc.ents if e.text == "Siyabonga Mthethwa-Lorne"} == {"FAC"}
    spans = {s.ent.text: s.features for s in span_candidates(q, quoted, quoted)}
    assert spans["Siyabonga Mthethwa-Lorne"].label == 1.0


def test_a_firm_is_not_made_a_person_by_a_noun_for_people_and_firms() -> None:
    # "operator" names people and companies alike: the NER's organisation stays one
    q = analyse("Which company said the cranes would be replaced?")
    quoted = _cands("Orvane Logistics, the port operator, said the cranes would be replaced.")
    spans = {s.ent.text: s.features for s in span_candidates(q, quoted, quoted) if not s.features.phrase}
    assert spans["Orvane Logistics"].label == 1.0


@pytest.mark.parametrize("text, name, label", [
    ("Tavish Okorie-Lund, a 52-year-old ferry pilot, steered the boat to safety.", "Tavish Okorie-Lund", "PERSON"),
    ("She grew up in the river town of Dolbenna before moving to the capital.", "Dolbenna", "GPE"),
    # a name that modifies a noun is not named by it
    ("Stellan Rask co-founder Mira Hale said the firm would grow.", "Stellan Rask", ""),
    ("The committee met on Tuesday in Dolbenna.", "Dolbenna", ""),
    # the noun its verb predicates of it
    ("Tavish Okorie-Lund of the Coast Party was elected mayor of Brill on Saturday.", "Tavish Okorie-Lund", "PERSON"),
    ("On Monday Okorie-Lund was named chief executive.", "Okorie-Lund", "PERSON"),
])
def test_title_label_reads_the_noun_that_names_a_name(text: str, name: str, label: str) -> None:
    from newsqa.rag.span import parse_sentences, title_label

    parse = parse_sentences([text])[0]
    at = text.index(name)
    assert title_label(parse.char_span(at, at + len(name), alignment_mode="expand")) == label


def test_a_bare_what_question_s_slot_filler_answers_where_the_model_finds_it_about_as_likely() -> None:
    """"What did X warn against?" names no kind; the span that fills "warn against" answers it
    over a name the model scores higher, unless the model gives it less than SLOT_SHARE of that."""
    from newsqa.rag.span import SLOT_SHARE

    first = "The Kelham Ferry Board's spokeswoman, Ada Brenner, spoke to reporters on Monday."
    second = "She warned the council against a fare rise."
    quoted = _cands(first, second)
    q = analyse("What did Ada Brenner warn against?")
    assert q.slot is not None and q.slot.role == "prep:against"
    # a model that prefers the best sentence's spans (position 0) by a little, then by a lot
    near = Linear(tuple(SPAN_FEATURES), (0.0,) * len(SPAN_FEATURES), (1.0,) * len(SPAN_FEATURES),
                  tuple(0.5 if f == "best" else 0.0 for f in SPAN_FEATURES), 0.0)
    assert choose_span(q, quoted, quoted, near).ent.text.endswith("fare rise")
    far = Linear(near.features, near.mean, near.scale,
                 tuple(8.0 if f == "best" else 0.0 for f in SPAN_FEATURES), -4.0)
    assert not choose_span(q, quoted, quoted, far).ent.text.endswith("fare rise")
    assert 0 < SLOT_SHARE < 1


@pytest.mark.parametrize("question, first, second, answer", [
    # the place of the question's verb over a country the best sentence names as an owner
    ("Where did Ada Brenner speak?", "Ada Brenner said Norland's support for the ferry plan was firm.",
     "Speaking at a session on the sidelines of the Kelham Harbour Forum, Ada Brenner praised the crews.",
     "Kelham Harbour Forum"),
    # the time of the question's verb over the day of another verb of the same sentence
    ("When was the Dornvale paper mill founded?", "The Dornvale paper mill said on Tuesday that it would close.",
     "The Dornvale paper mill, which was founded in 1998, employs 140 people.", "1998"),
])
def test_the_place_or_time_of_the_question_s_verb_answers_where_the_model_finds_it_about_as_likely(
        question: str, first: str, second: str, answer: str) -> None:
    from newsqa.rag.span import SLOT_SHARE

    quoted = _cands(first, second)
    q = analyse(question)
    assert q.slot is not None and q.slot.role in ("place", "time")
    near = Linear(tuple(SPAN_FEATURES), (0.0,) * len(SPAN_FEATURES), (1.0,) * len(SPAN_FEATURES),
                  tuple(0.5 if f == "best" else 0.0 for f in SPAN_FEATURES), 0.0)
    assert answer in choose_span(q, quoted, quoted, near).ent.text
    far = Linear(near.features, near.mean, near.scale,
                 tuple(8.0 if f == "best" else 0.0 for f in SPAN_FEATURES), -4.0)
    assert answer not in choose_span(q, quoted, quoted, far).ent.text
    assert 0 < SLOT_SHARE < 1


def test_an_entity_of_a_clitic_is_no_candidate() -> None:
    """The small NER at times labels a clitic: "let’s" gave a place "’s", once chosen as the answer.
    Names and numbers written with marks stay ("U.S.", "G7", "’90s", "'The Road" with the quote
    the NER took in)."""
    from spacy.tokens import Span

    from newsqa.rag.features import answer_entities

    doc = analyse_sentences(["I said ‘let’s sail to the U.S. first’, the G7 envoy of the ’90s recalled, "
                             "humming 'Tidewater Blues."])[0]
    at = {t.text: t.i for t in doc}
    doc.ents = [Span(doc, at["’s"], at["’s"] + 1, label="GPE"), Span(doc, at["U.S."], at["U.S."] + 1, label="GPE"),
                Span(doc, at["G7"], at["G7"] + 1, label="ORG"), Span(doc, at["90s"] - 1, at["90s"] + 1, label="DATE"),
                Span(doc, at["Tidewater"] - 1, at["Blues"] + 1, label="WORK_OF_ART")]
    found = [e.text for e in answer_entities(analyse("Where did the envoy want to sail?"), doc)]
    assert found == ["U.S.", "G7", "’90s", "'Tidewater Blues"]


def test_a_count_of_things_is_never_a_date() -> None:
    """"How many times ...?" counts occasions: "in recent days" or "2024" never answers it;
    "How many days ...?" counts time, which a date may state."""
    quoted = _cands("The council has met the ferry operator four times in recent days, twice in 2024.")
    labels = {s.ent.label_ for s in span_candidates(analyse("How many times has the council met the operator?"),
                                                   quoted, quoted)}
    assert "DATE" not in labels and "CARDINAL" in labels
    days = span_candidates(analyse("How many days has the council met the operator?"), quoted, quoted)
    assert "DATE" in {s.ent.label_ for s in days}


def test_a_name_of_the_asked_kind_in_the_asked_role_answers_before_an_earlier_name() -> None:
    """Whatever the model prefers (here the earliest span), "Who confirmed ...?" is answered by who
    confirmed, where the model gives it half the best span's probability."""
    quoted = _cands("Ada Brenner said she had signed the ferry agreement with Tor Lind, Kelham Ferries confirmed.")
    q = analyse("Who confirmed the ferry agreement with Tor Lind?")
    assert q.slot is not None and q.slot.role == "subj"
    assert choose_span(q, quoted, quoted, _only("position", -1.0)).ent.text == "Kelham Ferries"
    # a weaker filler is not chosen
    assert choose_span(q, quoted, quoted, _only("position", -4.0)).ent.text == "Ada Brenner"


def test_who_is_answered_by_the_people_a_nationality_qualifies() -> None:
    from newsqa.rag.span import learned_short_answer

    quoted = _cands("The ferry was crewed by Norwegian sailors who left Kelham in May.")
    short = learned_short_answer(analyse("Who left Kelham in May?"), quoted, quoted, _only("position", -1.0))
    assert short is not None and short.text == "Norwegian sailors"
    assert quoted[0].text[short.start:short.end] == short.text
    # a nationality that qualifies no noun for people stays as it is
    goods = _cands("Norwegian fisheries left Kelham in May.")
    short = learned_short_answer(analyse("Who left Kelham in May?"), goods, goods, _only("label"))
    assert short is not None and short.text == "Norwegian"
    alone = _cands("The sailors who left Kelham in May were Norwegian.")
    short = learned_short_answer(analyse("Who left Kelham in May?"), alone, alone, _only("label"))
    assert short is not None and short.text == "Norwegian"
