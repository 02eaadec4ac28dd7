"""The slot a question word fills and the slot a span of a sentence fills, from spaCy's parse: the
span model's `slot` feature compares them ("Who built the bridge?" and "Lindvall built Kelham's
bridge": Lindvall, not Kelham)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from newsqa.rag.query import analyse
from newsqa.rag.slots import Slot, fills_slot, span_slots
from newsqa.rag.span import parse_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc


@pytest.mark.parametrize("question, slot", [
    ("Who built the footbridge?", Slot("subj", "build")),
    ("Which company bought the paper mill?", Slot("subj", "buy")),  # through the noun it determines
    ("What did the council approve on Monday?", Slot("obj", "approve")),
    ("What did Ada Brenner warn against?", Slot("prep:against", "warn")),
    ("Who is the mayor of Kelham?", None),  # a light verb says nothing of the relation
    ("What does the harbour board have?", Slot("obj", "have")),  # "have" as the verb of owning
    ("How many ferries does Kelham have?", Slot("obj", "have")),
    ("Which town has the oldest ferry?", Slot("subj", "have")),
    ("What does the club have to do?", None),  # ... not "have to"
    # "how many"/"how much": the slot of the noun counted
    ("How many ferries does the harbour run?", Slot("obj", "run")),
    ("How many climbers reached the summit?", Slot("subj", "reach")),
    ("How many of the climbers reached the summit?", None),  # no noun counted
    ("How much did the new footbridge cost?", None),
    # an amount with no noun counted: what the verb takes, or the preposition ending the question
    ("How much will the club pay Kelham for the striker?", Slot("obj", "pay")),
    ("How much did the paper mill sell for?", Slot("prep:for", "sell")),
    ("How much is the ferry ticket?", None),
    # phrases the small parser hangs elsewhere: the question word's noun taken for the sentence,
    # a question that opens on its preposition, a preposition left without its object mid-question
    ("Which organisation paid for the survey?", Slot("subj", "pay")),
    ("At which university did Ada Brenner earn her degree?", Slot("prep:at", "earn")),
    ("Which club did Ada Brenner play for before joining Kelham?", Slot("prep:for", "play")),
    ("The publishers announced which famous novel will get a sequel?", Slot("subj", "get")),
    # "which" after a preposition taken for a relative pronoun, the noun it determines for a clause
    ("The ministry approved a new licence for which ferry operator?", Slot("prep:for", "licence")),
    # ... and the noun taken for the verb's subject where the question opens on the preposition
    ("For which club did she play?", Slot("prep:for", "play")),
    # "did" taken for the main verb, the main verb for its object ("Ada Brenner play" a noun phrase)
    ("For which club did Ada Brenner play?", Slot("prep:for", "play")),
    # the noun after "at which" made the verb's object, the preposition hung on that noun
    ("Ada Brenner studied at which famous university?", Slot("prep:at", "study")),
    ("Last weekend, the choir performed at which iconic hall?", Slot("prep:at", "perform")),
    # a progressive's object put first, "is" taken for the main verb; with no subject between
    # them the question word's phrase is the subject, as the parser reads it
    ("What pay rise is the port operator currently offering?", Slot("obj", "offer")),
    ("Which ferry route is the operator closing?", Slot("obj", "close")),
    ("Which team is playing the final?", Slot("subj", "play")),
    # "of which company testified" read as a relative clause on the noun before "of"
    ("The former CEO of which company testified on Monday?", Slot("prep:of", "ceo")),
    ("What net profit did the ferry operator report for last year?", Slot("obj", "report")),
    # "where" and "when" ask for the place and the time of the verb they hang on, also where the
    # parser hangs them on the auxiliary, tags the verb after "did" a noun or takes a passive
    # participle for a clause on the subject; none on "be"
    ("Where did Ada Brenner speak?", Slot("place", "speak")),
    ("Where will the ferry summit be held?", Slot("place", "hold")),
    ("When was the paper mill founded?", Slot("time", "found")),
    ("When did the harbour master resign?", Slot("time", "resign")),
    ("Where was the lighthouse documentary filmed?", Slot("place", "film")),
    ("Where were the two climbers flown after the rescue?", Slot("place", "fly")),
    ("Where is the paper mill?", None),
    ("When is the council vote?", None),
    # a progressive's last word that the tagger takes for a noun ("the Brightwater store offering")
    ("What discount is the Brightwater store offering?", Slot("obj", "offer")),
    ("Which bridge is the council demolishing?", Slot("obj", "demolish")),
    ("What is the best offering?", None),  # a noun: nothing between "is" and it names who acts
    # ... and a perfect's, "has" taken for the main verb
    ("What pay rise has the port operator offered?", Slot("obj", "offer")),
    ("Which team has won?", Slot("subj", "win")),
    # a quiz's sentence to complete that ends on a preposition: that preposition's object
    ("Kelham's mayor resigned this week after being charged with:", Slot("prep:with", "charge")),
    ("The harbour board voted this week to rename the square after:", Slot("prep:after", "rename")),
])
def test_the_question_word_s_slot(question: str, slot: Slot | None) -> None:
    assert analyse(question).slot == slot


def test_a_question_that_ends_on_its_preposition_asks_for_that_preposition_s_object() -> None:
    """"Who does the town stay in contact with?": the small parser makes "Who" the subject; the
    stranded "with" says what it is."""
    q = analyse("Who does the harbour board stay in contact with?")
    assert q.slot == Slot("prep:with", "contact")
    assert q.slot in _slot_of("The harbour board remains in close contact with Ada Brenner.", "Ada Brenner")
    assert q.slot not in _slot_of("The harbour board remains in close contact with Ada Brenner.", "harbour board")
    assert analyse("Which firm does Ada Brenner work for?").slot == Slot("prep:for", "work")
    assert analyse("Which alliance is Kelham a member of?").slot == Slot("prep:of", "member")
    # after "is" the parser hangs the preposition on "is" or on the name: it is the predicate noun's
    q = analyse("What is NORA a counterweight to?")
    assert q.slot == Slot("prep:to", "counterweight")
    sentence = "NORA was founded by Ostmark as a counterweight to the Northern League."
    assert q.slot in _slot_of(sentence, "the Northern League")
    assert q.slot not in _slot_of(sentence, "Ostmark")
    # a passive's agent, as a sentence's "built by Lindvall" fills it
    q = analyse("Who was the footbridge built by?")
    assert q.slot == Slot("subj", "build")
    assert _slot_of("The footbridge was built by Lindvall in 1998.", "Lindvall") == {q.slot}


def test_a_phrase_misread_as_a_clause_is_the_preposition_s_object_where_the_sentence_has_it() -> None:
    q = analyse("The ministry approved a new licence for which ferry operator?")
    assert q.slot in _slot_of("The ministry approved a new licence for Kelham Ferries on Monday.", "Kelham Ferries")
    assert _slot_of("Ada Brenner played for Kelham Rovers for six seasons.", "Kelham Rovers") == {
        analyse("For which club did Ada Brenner play?").slot}


def _span_of(sentence: str, words: str) -> tuple["Doc", int, int]:
    parse = parse_sentences([sentence])[0]
    n = len(words.split())
    start = next(t.i for t in parse if parse[t.i:t.i + n].text == words)
    return parse, start, start + n


def _slot_of(sentence: str, words: str) -> frozenset[Slot]:
    return span_slots(*_span_of(sentence, words))


def test_the_subject_fills_the_subject_slot_and_an_owner_none() -> None:
    sentence = "Lindvall Construction built Kelham's new footbridge in 2019."
    assert _slot_of(sentence, "Lindvall Construction") == {Slot("subj", "build")}
    # it owns the bridge: no slot of the verb (only the possessor's of the noun, as in "Kelham's support")
    assert not [s for s in _slot_of(sentence, "Kelham") if s.verb == "build"]


def test_a_passive_s_agent_fills_the_subject_slot_and_its_subject_the_object_slot() -> None:
    sentence = "The footbridge was built by Lindvall Construction."
    assert _slot_of(sentence, "Lindvall Construction") == {Slot("subj", "build")}
    assert _slot_of(sentence, "The footbridge") == {Slot("obj", "build")}


@pytest.mark.parametrize("sentence, name, verb", [
    ("The Veltran-led coalition struck the port of Amsa on Monday.", "Veltran", "lead"),
    ("Workers at the Kessler-owned mill went on strike.", "Kessler", "own"),
    ("A Kremlin-backed group bought the mill from Dana Wirth.", "Kremlin", "back"),
])
def test_a_name_before_a_hyphened_participle_is_its_subject(sentence: str, name: str, verb: str) -> None:
    """"the Veltran-led coalition" answers "Who leads the coalition?"."""
    assert _slot_of(sentence, name) == {Slot("subj", verb)}


def test_a_number_fills_its_own_slot_or_that_of_the_noun_it_counts() -> None:
    sentence = "Of the 152 climbers who set out, 118 reached the summit."
    assert _slot_of(sentence, "118") == {Slot("subj", "reach")}
    # through the noun it counts, and that noun's relative clause
    assert _slot_of(sentence, "152") == {Slot("prep:of", "reach"), Slot("subj", "set")}
    assert _slot_of("Rescuers said 34 climbers reached the summit.", "34") == {Slot("subj", "reach")}


def test_a_noun_made_from_the_verb_keeps_its_subject_and_object() -> None:
    """"Kelham's support for the ferry plan" answers "What does Kelham support?" and "Who supports
    the ferry plan?"; "the purchase of the mill" what was purchased."""
    sentence = "The mayor repeated Kelham's support for the ferry plan."
    assert Slot("obj", "support") in _slots_of(sentence, "the ferry plan")
    assert _slots_of(sentence, "Kelham") == {Slot("subj", "support")}
    assert Slot("obj", "purchase") in _slots_of("Lindvall completed the purchase of the paper mill.", "the paper mill")


def test_a_noun_made_from_the_question_s_verb_fills_its_slot_through_the_word_family() -> None:
    """"a supplier of road salt" answers "What does Kelham supply?"; a noun of another verb does not."""
    salt = _slots_of("Kelham is the region's largest supplier of road salt.", "road salt")
    assert fills_slot(Slot("obj", "supply"), salt) and not fills_slot(Slot("obj", "buy"), salt)
    assert not fills_slot(Slot("subj", "supply"), salt)  # its role is kept
    bought = _slots_of("Lindvall completed the acquisition of the paper mill.", "the paper mill")
    assert fills_slot(Slot("obj", "acquire"), bought)


@pytest.mark.parametrize("question, slot", [
    ("When did Ada Brenner make her statement?", Slot("time", "make", "statement")),
    ("Who made the donation to the lifeboat appeal?", Slot("subj", "make", "donation")),
    ("Where will the harbour board hold its meeting?", Slot("place", "hold", "meeting")),
    ("What statement did Ada Brenner make?", Slot("obj", "make")),  # the noun asked for
    ("Who made the trophy?", Slot("subj", "make")),  # a thing, no event
    ("Who took over construction of the footbridge?", Slot("subj", "take")),  # a verb of its own
])
def test_a_support_verb_carries_the_event_noun_it_takes(question: str, slot: Slot) -> None:
    assert analyse(question).slot == slot


def test_the_event_noun_s_verb_fills_a_support_verb_s_slot() -> None:
    """"stated on Thursday" says when she made her statement, as "made it on Thursday" does."""
    asked = analyse("When did Ada Brenner make her statement?").slot
    assert asked is not None
    assert fills_slot(asked, _slots_of("Ada Brenner stated on Thursday that the ferry would run.", "Thursday"))
    assert fills_slot(asked, _slots_of("Ada Brenner made a statement on Thursday.", "Thursday"))
    assert not fills_slot(asked, _slots_of("Ada Brenner resigned on Thursday.", "Thursday"))
    donor = analyse("Who made the donation to the lifeboat appeal?").slot
    assert donor is not None
    assert fills_slot(donor, _slots_of("The Ferncastle Trust donated 40,000 to the lifeboat appeal.",
                                       "The Ferncastle Trust"))


@pytest.mark.parametrize("sentence, words, slot", [
    ("The cup went to Ada Brenner, who won the final in straight sets.", "Ada Brenner", Slot("subj", "win")),
    ("The paper mill, which Lindvall bought in 2019, employs 400 people.", "The paper mill", Slot("obj", "buy")),
    ("The mill that Lindvall bought employs 400 people.", "The mill", Slot("obj", "buy")),
    ("Kelham Ferries, which was founded in 1998, runs six routes.", "Kelham Ferries", Slot("obj", "found")),
    ("Kelham has a large sailing club, mainly Dutch crews who moved there in the 1990s.", "Dutch",
     Slot("subj", "move")),  # up through the name's parts and the apposition
    ("Ada Brenner, the striker who scored twice, was named player of the match.", "Ada Brenner",
     Slot("subj", "score")),  # a clause on the name's apposition
])
def test_a_noun_fills_the_slot_its_relative_pronoun_stands_in(sentence: str, words: str, slot: Slot) -> None:
    assert slot in _slots_of(sentence, words)


@pytest.mark.parametrize("sentence, words, slot", [
    ("Veltra sold the mill it bought from Lindvall in 2019.", "the mill", Slot("obj", "buy")),
    ("Kelham spent the grant the council awarded on new ferries.", "the grant", Slot("obj", "award")),
    ("Ada Brenner left the firm she worked for after ten years.", "the firm", Slot("prep:for", "work")),
])
def test_a_noun_fills_the_slot_a_relative_clause_without_a_pronoun_leaves_open(
        sentence: str, words: str, slot: Slot) -> None:
    assert slot in _slots_of(sentence, words)


@pytest.mark.parametrize("sentence, words, slot", [
    ("Kelham joined the ferry alliance founded by Lindvall in 1998.", "the ferry alliance", Slot("obj", "found")),
    ("The mill, bought by Veltra in 2019, employs 400 people.", "The mill", Slot("obj", "buy")),
])
def test_a_noun_fills_the_slot_of_a_past_participle_s_clause_on_it(sentence: str, words: str, slot: Slot) -> None:
    assert slot in _slots_of(sentence, words)


@pytest.mark.parametrize("sentence, words, verb", [
    ("Kelham welcomed the plans to build a second mill.", "the plans", "build"),  # an infinitive
    ("Crews building the Harlow footbridge found a wartime shell.", "Crews", "build"),  # a present one
])
def test_other_clauses_on_a_noun_give_it_no_slot(sentence: str, words: str, verb: str) -> None:
    assert not any(s.verb == verb for s in _slots_of(sentence, words))


@pytest.mark.parametrize("sentence, words", [
    ("Veltra closed the old mill on the day the new plant opened.", "the day"),  # a circumstance
    ("Veltra praised the mill Lindvall said was the best in Kelham.", "the mill"),  # no gap: a clause
])
def test_a_relative_clause_without_a_pronoun_and_no_gap_gives_no_object(sentence: str, words: str) -> None:
    assert not any(s.role == "obj" and s.verb in ("open", "say") for s in _slots_of(sentence, words))


def test_a_relative_clause_on_another_noun_gives_no_slot() -> None:
    sentence = "Ada Brenner praised the striker who scored twice."
    assert Slot("subj", "score") not in _slots_of(sentence, "Ada Brenner")


def test_a_title_before_a_name_leaves_the_name_in_its_slot() -> None:
    sentence = "Councillor Ada Brenner praised the harbour board on Friday."
    assert _slot_of(sentence, "Ada Brenner") == {Slot("subj", "praise")}
    assert _slot_of(sentence, "the harbour board") == {Slot("obj", "praise")}


def _slots_of(sentence: str, words: str) -> frozenset[Slot]:
    return span_slots(*_span_of(sentence, words))


def test_a_subject_is_also_the_unstated_subject_of_the_clause_its_verb_governs() -> None:
    sentence = "Tomas Reyes defeated Ada Brenner in the final to win the regional title."
    assert _slots_of(sentence, "Tomas Reyes") == {Slot("subj", "defeat"), Slot("subj", "win")}
    assert _slots_of(sentence, "Ada Brenner") == {Slot("obj", "defeat")}  # she did not win


def test_a_subject_is_shared_by_a_joined_verb_active_or_passive() -> None:
    assert Slot("subj", "win") in _slots_of("The striker scored twice and won the cup for Dornvale.", "The striker")
    assert _slots_of("The treasurer was arrested and charged with fraud.", "The treasurer") == {
        Slot("obj", "arrest"), Slot("obj", "charge")}


def test_a_joined_verb_with_its_own_subject_is_not_shared() -> None:
    sentence = "Ada Brenner proposed the plan and the council approved it."
    assert _slots_of(sentence, "Ada Brenner") == {Slot("subj", "propose")}


def test_the_one_given_to_fills_the_same_slot_however_the_sentence_writes_it() -> None:
    """"Who was awarded the prize?" asks for the one given the prize, not the prize, which a passive
    that keeps its object makes the subject."""
    q = analyse("Who was awarded the 2021 Kelham Prize?")
    assert q.slot == Slot("prep:to", "award")
    for sentence, prize in (("Ada Brenner was awarded the Kelham Prize on Monday.", "the Kelham Prize"),
                            ("The Kelham Prize was awarded to Ada Brenner.", "The Kelham Prize")):
        assert q.slot in _slot_of(sentence, "Ada Brenner")
        assert q.slot not in _slot_of(sentence, prize)
    assert _slot_of("The council granted Lindvall a licence.", "Lindvall") == {Slot("prep:to", "grant")}
    assert analyse("Which firm was granted a licence?").slot == Slot("prep:to", "grant")


@pytest.mark.parametrize("question", [
    "Hundreds of ferries were cancelled on Monday because of what at the harbour board?",
    "Ferries were cancelled due to which kind of storm?",
    "The Kelham ferries were cancelled after which storm?",
])
@pytest.mark.parametrize("sentence, cause", [
    ("Hundreds of ferries were cancelled because of a fault in the booking system.", "a fault"),
    ("Ferries were cancelled due to a strike by the crews.", "a strike"),
    ("All ferries were cancelled owing to fog.", "fog"),
    ("The ferries were cancelled amid gale warnings.", "gale warnings"),
    ("Ferries to Kelham were cancelled after a storm on Sunday.", "a storm"),
])
def test_a_cause_fills_one_slot_however_it_is_written(question: str, sentence: str, cause: str) -> None:
    """"because of what", "due to which", "after which": the cause of the verb, whichever of
    "because of", "due to", "owing to", "amid", "after" the sentence gives it with."""
    q = analyse(question)
    assert q.slot == Slot("cause", "cancel")
    assert q.slot in _slot_of(sentence, cause)
    ferries = next(w for w in sentence.split() if w.lower() == "ferries")
    assert q.slot not in _slot_of(sentence, ferries)  # what was cancelled is no cause


@pytest.mark.parametrize("question, sentence, date, slot", [
    ("Until when does the Kelham ferry contract run?", "Tessby signed a five-year contract running until June 2030.",
     "June 2030", Slot("prep:until", "run")),
    ("Since when has Ada Quist led the council?", "Ada Quist has led the council since March 2021, the party said.",
     "March 2021", Slot("prep:since", "lead")),
])
def test_until_when_asks_for_the_object_of_that_preposition_on_the_verb(question: str, sentence: str, date: str,
                                                                       slot: Slot) -> None:
    """"Until when ...?": the end of the verb's time (the small parser takes "run" after "does
    the contract" for a noun; the word that ends a question asked with "do" is its verb)."""
    q = analyse(question)
    assert q.slot == slot
    assert q.slot in _slot_of(sentence, date)


def test_a_cause_of_another_verb_is_not_the_one_asked_for() -> None:
    q = analyse("Ferries were cancelled because of what?")
    assert q.slot not in _slot_of("The harbour reopened after a storm that cancelled the ferries.", "a storm")


@pytest.mark.parametrize("sentence, owner", [
    ("Former Kelham Ferries CEO Ada Brenner testified on Monday.", "Kelham Ferries"),
    ("Kelham Ferries' former CEO, Ada Brenner, testified on Monday.", "Kelham Ferries"),
    ("The former CEO of Kelham Ferries, Ada Brenner, testified on Monday.", "Kelham Ferries"),
])
def test_the_name_before_a_role_fills_the_role_s_of(sentence: str, owner: str) -> None:
    """"the CEO of which company?": the company named before the title, or owning it, as much as
    the one after "of"; the person holding the role is not it, nor is a part of their name."""
    q = analyse("The former CEO of which ferry company testified on Monday?")
    assert q.slot == Slot("prep:of", "ceo")
    assert q.slot in _slot_of(sentence, owner)
    assert q.slot not in _slot_of(sentence, "Ada Brenner")
    assert Slot("prep:of", "brenner") not in _slot_of("Dellow Mayor Ada Brenner resigned on Friday.", "Ada")
    assert Slot("prep:of", "mayor") in _slot_of("Dellow Mayor Ada Brenner resigned on Friday.", "Dellow")


def test_a_span_holding_the_sentence_s_root_fills_no_slot() -> None:
    sentence = "Kelham Ferries cancelled the crossings."
    assert _slot_of(sentence, sentence[:-1]) == frozenset()


def test_a_phrase_of_place_or_time_on_the_verb_fills_its_place_or_time() -> None:
    """"Where did she speak?" is answered by the phrase of place on "speak", also through the
    phrases between ("at a session ... on the sidelines of X"); "When was it founded?" by the time
    on "found", not by the day on another verb of the sentence."""
    speech = ("Speaking at a session with ferry operators on the sidelines of the Kelham Maritime Forum, "
              "Ada Brenner said the harbour would stay open.")
    assert Slot("place", "speak") in _slot_of(speech, "Kelham Maritime Forum")
    assert Slot("place", "speak") in _slot_of(speech, "a session")
    assert Slot("place", "speak") not in _slot_of(speech, "ferry operators")  # whom she spoke with
    assert Slot("place", "die") in _slot_of("Ada Brenner died at her home in Dornvale.", "Dornvale")
    assert Slot("place", "hold") in _slot_of("The ferry summit will be held in Dornvale next month.", "Dornvale")
    mill = "The paper mill, founded in 1998, said on Tuesday it would close."
    assert Slot("time", "found") in _slot_of(mill, "1998")
    assert Slot("time", "found") not in _slot_of(mill, "Tuesday")
    assert Slot("time", "say") in _slot_of(mill, "Tuesday")
    assert Slot("time", "resign") in _slot_of("The harbour master resigned Tuesday.", "Tuesday")


def test_a_slot_of_the_question_s_verb_done_by_another_named_actor_is_not_the_one_asked_for() -> None:
    """"When did Brenner speak to Reyes?" is not answered by the time Reyes spoke."""
    from newsqa.rag.slots import another_actor, question_actor

    sentence = "Speaking at the harbour forum in 2024, Mayor Tomas Reyes said the ferry would run."
    parse = parse_sentences([sentence])[0]
    year = next(t.i for t in parse if t.text == "2024")
    q = analyse("When did Ada Brenner speak to Reyes?")
    assert q.slot == Slot("time", "speak") and fills_slot(q.slot, span_slots(parse, year, year + 1))
    assert another_actor(question_actor(q.doc, q.slot), q.slot, parse, year, year + 1)
    for same in ("When did Tomas Reyes speak?", "When did Reyes speak at the forum?", "When did he speak?"):
        asked = analyse(same)
        assert asked.slot is not None
        assert not another_actor(question_actor(asked.doc, asked.slot), asked.slot, parse, year, year + 1), same
