"""Question analysis: answer kinds from the parse, named things, years, negation."""

from __future__ import annotations

import pytest

from newsqa.rag.query import AnswerKind, analyse


@pytest.mark.parametrize("text,kind", [
    ("Who is the union leader in Port Arlen?", AnswerKind.PERSON),
    ("When will the Brightwater river festival return?", AnswerKind.DATE),
    ("Where did the glassworks open a factory?", AnswerKind.PLACE),
    ("How many cargo ships were stranded?", AnswerKind.NUMBER),
    ("How much did the library cost?", AnswerKind.MONEY),
    ("Which country hosted the summit?", AnswerKind.PLACE),
    ("Which company opened a factory in Westhaven?", AnswerKind.ORGANIZATION),
    ("What was the average diesel price in Eastland this week?", AnswerKind.MONEY),
    ("What is the name of the company that built the bridge?", AnswerKind.ORGANIZATION),
    ("Which film won the jury prize?", AnswerKind.WORK),
    ("Why was the rail line delayed?", AnswerKind.DESCRIPTION),
    ("How did the dock workers vote?", AnswerKind.DESCRIPTION),
    ("Did the strike end?", AnswerKind.DESCRIPTION),
    # what someone holds about something: the sentences that say it, not a name in them
    ("What is the union's position on the pay offer?", AnswerKind.DESCRIPTION),
    ("What was the council's reaction to the ruling?", AnswerKind.DESCRIPTION),
    ("What is Norland's relationship with Vestria?", AnswerKind.DESCRIPTION),
    ("What does the union think of the pay offer?", AnswerKind.DESCRIPTION),  # ... or by its verb
    ("What does Norland want from the talks?", AnswerKind.DESCRIPTION),
    ("What did the inspectors think caused the fire?", AnswerKind.ENTITY),  # what caused it
    ("What is the port's role in the strike?", AnswerKind.DESCRIPTION),
    ("What did the council do about the flooding?", AnswerKind.DESCRIPTION),  # an act, not a name
    ("What does the mayor want the board to do?", AnswerKind.DESCRIPTION),
    ("Which position did Ada Quist hold?", AnswerKind.ENTITY),
    ("What did the harbour master say about the storm?", AnswerKind.STATEMENT),
    ("How did the mayor describe the flood damage?", AnswerKind.STATEMENT),
    ("What did the union tell its members?", AnswerKind.STATEMENT),
    # every verb the passages' statements are read with asks for one
    ("What did the minister reiterate?", AnswerKind.STATEMENT),
    ("What did the council emphasise?", AnswerKind.STATEMENT),
    ("What did Varga express?", AnswerKind.STATEMENT),
    ("What did the minister disclose?", AnswerKind.STATEMENT),
    ("What did the board propose?", AnswerKind.STATEMENT),
    # ... also through the clause the reporting verb reports
    ("What did the mayor say she hoped for the new pier?", AnswerKind.STATEMENT),
    # ... but a preposition the reporting verb leaves without its object asks for that object
    ("What did the mayor warn the Harbour Board against?", AnswerKind.ENTITY),
    ("How many ships did the harbour master say were stranded?", AnswerKind.NUMBER),
    ("What was the bakery chain's net profit last year?", AnswerKind.MONEY),  # a money noun
    ("What will the ferry fare be from June?", AnswerKind.MONEY),
])
def test_answer_kind_from_question_word_and_focus(text: str, kind: AnswerKind) -> None:
    assert analyse(text).kind is kind


def test_a_question_without_a_question_word_takes_its_last_noun_as_focus() -> None:
    q = analyse("Brightwater festival 2025 location")
    assert q.kind is AnswerKind.PLACE and q.focus == "location" and q.wh == ""
    assert q.years == {"2025"}


def test_an_imperative_is_a_description_request_without_expected_labels() -> None:
    q = analyse("Tell me about the strike in Port Arlen")
    assert q.kind is AnswerKind.DESCRIPTION and not q.typed and q.labels == frozenset()


def test_an_unknown_focus_noun_asks_for_some_named_thing() -> None:
    q = analyse("Which spacecraft docked with the station?")
    assert q.kind in (AnswerKind.ENTITY, AnswerKind.PRODUCT) and q.typed


@pytest.mark.parametrize("text,kind", [
    # measures the answer-typing table lacks, typed by WordNet (rag/data/measure_nouns.txt)
    ("What temperature did the thermometer in Port Arlen reach?", AnswerKind.NUMBER),
    ("What wingspan does the new glider have?", AnswerKind.NUMBER),
    ("How much weight did the crane lift?", AnswerKind.NUMBER),
    # a result told as a number: the table's margin, score and tally
    ("What was the final score of the Kelham Cup final?", AnswerKind.NUMBER),
    ("What was Ada Brenner's margin of victory over the mayor?", AnswerKind.NUMBER),
    # money the table lacks (money_nouns.txt)
    ("What stipend do the Westhaven trainees receive?", AnswerKind.MONEY),
    ("Which toll will drivers pay on the new bridge?", AnswerKind.MONEY),
    # a number word is a pronoun here, and a point in time is no measure
    ("Two ferries were stranded. Which one sank?", AnswerKind.ENTITY),
    ("What deadline did the council set?", AnswerKind.ENTITY),
])
def test_amount_focus_nouns_outside_the_table(text: str, kind: AnswerKind) -> None:
    assert analyse(text).kind is kind


def test_person_nouns_outside_the_table_are_read_by_their_ending() -> None:
    assert analyse("Which investor bought the stake?").kind is AnswerKind.PERSON
    # an agent-like ending WordNet does not know still reads as a person
    assert analyse("Which vlogger filmed the flood?").kind is AnswerKind.PERSON


@pytest.mark.parametrize("text", [
    "What color was the winning boat?",
    "Which river burst its banks in Port Arlen?",
    "Which sector lost the most jobs?",
    "Which computer did the school buy?",
])
def test_things_that_end_like_a_person_noun_are_not_people(text: str) -> None:
    # some named thing, whatever its label: not a person first
    assert analyse(text).kind is AnswerKind.ENTITY


@pytest.mark.parametrize("text", ["Which chef opened the new restaurant?", "Which nurse led the strike?"])
def test_person_nouns_without_the_ending_are_people(text: str) -> None:
    assert analyse(text).kind is AnswerKind.PERSON


@pytest.mark.parametrize("text, verb", [
    ("What was the striker arrested for?", "arrest"),
    ("What is the harbour town known for?", "know"),
])
def test_a_passive_question_on_a_noun_is_not_equated_with_the_noun(text: str, verb: str) -> None:
    # the small parser hangs the participle on the noun ("the striker arrested for"): the question
    # word is the object of "for" (a charge, a dish), not a striker or a town
    q = analyse(text)
    assert q.kind is AnswerKind.ENTITY and not q.focus
    assert q.slot is not None and q.slot.role == "prep:for" and q.slot.verb == verb


def test_named_things_content_words_and_negation() -> None:
    q = analyse("Why did Lumera Glassworks not open the plant in Westhaven in 2024?")
    assert "westhaven" in q.named_tokens and "lumera" in q.named_tokens
    assert {"open", "plant"} <= q.content
    assert q.years == {"2024"} and q.negated
    assert not analyse("Who opened the plant?").negated


@pytest.mark.parametrize("text, verb", [("Who did the mayor call?", "call"),
                                         ("Who will give the opening speech?", "give"),
                                         ("Who did the board name as chief executive?", "name"),
                                         ("Who will take over the bakery?", "take"),
                                         ("What does the harbour board have?", "have")])
def test_a_main_verb_on_spacys_stop_list_is_a_content_word(text: str, verb: str) -> None:
    # the verb is what the question asks about: matched against sentences like any other word
    q = analyse(text)
    assert verb in q.content
    assert not {"do", "did", "does", "was", "be", "who"} & q.content
    assert "have" not in analyse("What does the harbour board have to do?").content  # no owning


def test_a_question_about_what_was_said_expects_a_statement_not_an_entity() -> None:
    q = analyse("What did the energy minister say about diesel prices?")
    assert q.kind is AnswerKind.STATEMENT and not q.typed and "minister" in q.content


def test_a_compound_question_splits_into_its_parts() -> None:
    from newsqa.rag.query import question_parts

    assert question_parts(analyse("Which firm bought the Norbridge bakery, and when did it sell the mill?")) == [
        "Which firm bought the Norbridge bakery?", "When did it sell the mill?"]
    # a part without a verb of its own borrows the last part's
    assert question_parts(analyse("Which city and which year did the glass fair open in?")) == [
        "Which city did the glass fair open in?", "Which year did the glass fair open in?"]


@pytest.mark.parametrize("text,parts", [
    # a later part's pronoun stands for the first part's subject, each part is asked with it
    ("Where is the Norbridge ferry terminal, and who built it, and how much did it cost?",
     ["Where is the Norbridge ferry terminal?", "Who built the Norbridge ferry terminal?",
      "How much did the Norbridge ferry terminal cost?"]),
    ("Where was the mayor of Tarnby born, and what did she say about her town?",
     ["Where was the mayor of Tarnby born?", "What did the mayor of Tarnby say about the mayor of Tarnby's town?"]),
    # after "who", "it" cannot be the person asked for: it is the thing the first part names
    ("Who founded the Norbridge bakery, and when did it close?",
     ["Who founded the Norbridge bakery?", "When did the Norbridge bakery close?"]),
    # a lone person's name, where the small parser misreads the first part's verb
    ("Why did Ilse Varga resign, and who replaced her?", ["Why did Ilse Varga resign?", "Who replaced Ilse Varga?"]),
    # the pronoun may stand for the first part's answer, not known yet: left as it is
    ("Which firm bought the mill, and when did it close?", ["Which firm bought the mill?", "When did it close?"]),
    ("Who founded the Norbridge bakery, and when did he die?",
     ["Who founded the Norbridge bakery?", "When did he die?"]),
    ("Who is the mayor of Tarnby, and what did she say about the bridge?",
     ["Who is the mayor of Tarnby?", "What did she say about the bridge?"]),
    # a pronoun of another kind than the subject's is not it
    ("Where is the Norbridge ferry terminal, and what did he say about it?",
     ["Where is the Norbridge ferry terminal?", "What did he say about the Norbridge ferry terminal?"]),
])
def test_a_later_part_names_what_its_pronoun_stands_for(text: str, parts: list[str]) -> None:
    from newsqa.rag.query import question_parts

    assert question_parts(analyse(text)) == parts


def test_one_question_with_coordinated_words_stays_whole() -> None:
    from newsqa.rag.query import question_parts

    for text in ("Which bakery sells bread and cakes?", "Who won the race?",
                 "What did the mayor say about roads and bridges?"):
        assert question_parts(analyse(text)) == [text]


def test_a_statement_question_knows_whose_statement_it_asks_for() -> None:
    assert analyse("What did Mayor Ilse Varga say about the ferry?").speaker >= {"ilse", "varga"}
    assert analyse("How did the harbour master describe the storm?").speaker == {"harbour", "master"}
    # a follow-up's pronoun: the person the conversation carried over
    assert analyse("What did she say next? (Ilse Varga, Norbridge)").speaker == {"ilse", "varga"}
    assert analyse("Who opened the terminal?").speaker == frozenset()


@pytest.mark.parametrize("text,kind,focus", [
    # the small pipeline attaches the determiner to the preposition in these; the focus is read
    # from the words that follow it
    ("The ferry ran aground off which North Atlantic island?", AnswerKind.PLACE, "island"),
    ("The council approved funding for which historic seaside town?", AnswerKind.PLACE, "town"),
    ("Parliament debated a ban on which video streaming service?", AnswerKind.ORGANIZATION, "service"),
    ("Donations went to which women's charity?", AnswerKind.ORGANIZATION, "charity"),
    ("The singer will appear in which of these films?", AnswerKind.WORK, "film"),
    # the parse's own determiner wins where it has one: the country is asked for, not its president
    ("Which country's president resigned on Monday?", AnswerKind.PLACE, "country"),
])
def test_the_focus_noun_after_a_question_determiner(text: str, kind: AnswerKind, focus: str) -> None:
    q = analyse(text)
    assert (q.kind, q.focus) == (kind, focus)


def test_a_question_word_that_is_a_verbs_argument_has_no_focus_noun() -> None:
    q = analyse("What do experts recommend for a sprained ankle?")
    assert q.focus != "expert"


def test_a_quiz_question_with_a_lead_in_asks_in_its_last_sentence() -> None:
    q = analyse("The minister said where the new hospital would be built. Which company will build it?")
    assert (q.wh, q.kind, q.focus) == ("which", AnswerKind.ORGANIZATION, "company")
    q = analyse("The actor, who starred in a long-running sitcom, died at 80. Which network aired it?")
    assert q.focus == "network" and q.kind is not AnswerKind.PERSON


def test_how_much_time_asks_for_a_duration() -> None:
    q = analyse("By how much time were the clocks moved forward?")
    assert q.kind is AnswerKind.NUMBER and "TIME" in q.labels


@pytest.mark.parametrize("text", ["What is the latest news about the Norbridge mill?",
                                  "What are the latest updates on the ferry strike?",
                                  "What news is there about the harbour?"])
def test_a_request_for_news_asks_for_an_account_not_a_name(text: str) -> None:
    q = analyse(text)
    assert q.kind is AnswerKind.DESCRIPTION and not q.typed


def test_by_how_much_asks_for_a_change_a_share_answers_too() -> None:
    q = analyse("By how much did the mill's sales fall?")  # "fell 9 percent" as well as "by 2 million"
    assert q.kind is AnswerKind.NUMBER and {"PERCENT", "MONEY"} <= q.labels
    assert analyse("How much did the new ferry cost?").kind is AnswerKind.MONEY


def test_a_magnitude_other_than_time_is_never_a_date() -> None:
    from newsqa.rag.select import preference

    for text in ("How far over budget did the tram line come in?", "By how much did the mill's sales fall?",
                 "How tall is the new tower?"):
        q = analyse(text)
        assert q.kind is AnswerKind.NUMBER and not {"DATE", "TIME"} & q.labels, text
        assert "DATE" not in preference(q)
    assert "DATE" in analyse("How long did the strike last?").labels
    assert "TIME" in analyse("How much time did the repairs take?").labels


@pytest.mark.parametrize("text", ["On what day did the ferry sink?", "In which year did the mill close?",
                                  "What month will the vote be held?"])
def test_a_day_a_month_or_a_year_is_never_a_clock_time(text: str) -> None:
    q = analyse(text)
    assert q.kind is AnswerKind.DATE and q.labels == frozenset({"DATE"}), text
    assert "TIME" in analyse("What time did the ferry sink?").labels


def test_how_much_counts_only_the_noun_it_quantifies() -> None:
    # "people" belongs to the clause after it: the question counts no noun, and asks for a change
    q = analyse("By how much did people who took the course outscore the others?")
    assert (q.wh, q.kind, q.focus) == ("by how much", AnswerKind.NUMBER, "")
    assert analyse("How much prize money did the champion earn?").focus == "money"
    assert analyse("How much is the fine?").focus == "fine"  # the noun it is equated with


def test_a_question_word_after_a_comma_asks_only_when_no_other_does() -> None:
    q = analyse("The bridge, which engineers said was unsafe, was closed in which city?")
    assert (q.kind, q.focus) == (AnswerKind.PLACE, "city")
    q = analyse("After the vote, which party formed the government?")
    assert (q.kind, q.focus) == (AnswerKind.ORGANIZATION, "party")


@pytest.mark.parametrize("text", ["Who is Tomas Reyes?", "What is Lumera Glassworks?", "Who was Anna Lindqvist",
                                  "What is VoltPad?"])  # a product the tagger calls an adjective
def test_who_or_what_is_a_name_asks_what_the_named_thing_is(text: str) -> None:
    """The answer is a role or a kind of thing ("union leader"), not another name."""
    q = analyse(text)
    assert q.kind is AnswerKind.DESCRIPTION and not q.typed and q.named


@pytest.mark.parametrize("text", ["Who is the Norlandic President?", "Who is the Vestrian Prime Minister?",
                                  "Who is Norlandic Foreign Minister?"])
def test_a_title_written_with_a_capital_asks_who_holds_it(text: str) -> None:
    """News writes titles with a capital; the tagger then calls them proper nouns, but the question
    asks for the person who holds the title, as it does written in lowercase."""
    q = analyse(text)
    lower = analyse(text.replace(" P", " p").replace(" M", " m").replace(" F", " f"))
    assert (q.kind, q.focus, q.labels) == (AnswerKind.PERSON, lower.focus, frozenset({"PERSON"}))
    assert analyse("Who is President Arlen Voss?").kind is AnswerKind.DESCRIPTION  # a name, not a title


@pytest.mark.parametrize("text, expected", [
    ("Tell me about Lumera Glassworks", True),
    ("Who is Tomas Reyes?", True),
    ("What do you know about Port Arlen?", True),
    ("Describe Lumera Glassworks", True),
    ("What happened to Lumera Glassworks?", True),
    ("What is going on with Lumera Glassworks?", True),
    ("What happened to the pay offer in Port Arlen?", False),  # a topic beside the name
    ("Who is the union leader in Port Arlen?", False),  # a person asked for
    ("Tell me about the strike in Port Arlen", False),  # a topic beside the name
    ("What did Tomas Reyes tell the union?", False),  # a statement asked for
    ("Why did Lumera Glassworks open a plant?", False),
])
def test_a_request_about_a_named_thing_and_nothing_else(text: str, expected: bool) -> None:
    from newsqa.rag.query import topic_words

    assert bool(topic_words(analyse(text))) is expected


@pytest.mark.parametrize("text, expected", [
    ("Tell me about the ferry strike", {"ferry", "strike"}),
    ("Describe the flood warnings", {"flood", "warning"}),  # stemmed: "warning" also names "warnings"
    ("What happened at the summit?", {"summit"}),
    ("Tell me about the strike in Port Arlen", {"strike", "port", "arlen"}),  # a topic beside a name
    ("Tell me about Lumera Glassworks", set()),  # a named thing alone: topic_words
    ("Why did the union reject the offer?", set()),  # a verb: a relation is asked about
    ("What happened?", set()),
    ("Who won the ferry race?", set()),  # a fact asked for
    # a stance is what is asked, not a word the answer's sentences must use
    ("What is the union's position on the ferry strike?", {"union", "ferry", "strike"}),
    # ... and so is a class of the thing: "What kind of ties ...?" is answered by "close ties"
    ("What kind of ties are there between Kelham and the harbour board?", {"kelham", "harbour", "board"}),
    ("Describe the kind of ferry strike in Kelham", {"ferry", "strike", "kelham"}),
])
def test_a_request_about_a_thing_named_by_a_noun_phrase(text: str, expected: set[str]) -> None:
    from newsqa.rag.query import topic_nouns

    assert set(topic_nouns(analyse(text))) == expected


@pytest.mark.parametrize("text", ["What happened at the Port Arlen docks on Friday?",
                                  "What's new with Lumera Glassworks?", "What is the latest on the dock strike?",
                                  "any news on the dock strike?",
                                  "Updates on the Port Arlen strike"])
def test_a_request_for_news_asks_for_an_account(text: str) -> None:
    assert analyse(text).kind is AnswerKind.DESCRIPTION


@pytest.mark.parametrize("text", ["What did the union accept on Friday?", "What is the new name of the mill?",
                                  "Which news agency reported the strike?"])
def test_questions_with_those_words_that_ask_for_a_thing(text: str) -> None:
    assert analyse(text).kind is not AnswerKind.DESCRIPTION


def test_a_compound_question_without_some_of_its_parts() -> None:
    from newsqa.rag.query import without_parts

    q = "Who opened the bridge, and when did the ferry stop, and which firm built the pier?"
    assert without_parts(q, ["When did the ferry stop?"]) == "Who opened the bridge, and which firm built the pier?"
    assert without_parts(q, ["Who opened the bridge?", "When did the ferry stop?"]) == "Which firm built the pier?"
    assert without_parts(q, []) == q


def test_a_question_word_after_a_lead_in_asks() -> None:
    """"how" and "what" cannot open a relative clause: after a comma they open the question, and
    a question word before them belongs to a lead-in; "which"/"who" after a comma still open a
    relative clause."""
    q = analyse("In what may be the worst storm in decades, how many homes lost power in Kelby?")
    assert (q.wh, q.kind, q.focus) == ("how many", AnswerKind.NUMBER, "home")
    q = analyse("When the mill closed, how many workers lost their jobs?")
    assert (q.wh, q.kind) == ("how many", AnswerKind.NUMBER)
    assert analyse("Ada Quist, who is 14, won the title in which sport?").focus == "sport"
    assert analyse("In which city did the fire start?").kind is AnswerKind.PLACE


def test_how_many_counts_the_head_of_its_noun_phrase() -> None:
    """What "how many" counts is the last noun of the phrase after it, past compounds and
    hyphenated modifiers; "how many of the ..." counts the noun after "of"."""
    assert analyse("How many car ferries did the yard deliver?").focus == "ferry"
    assert analyse("About how many high-risk loans did the bank approve?").focus == "loan"
    assert analyse("How many border crossings were reopened?").focus == "crossing"
    assert analyse("How many of the passengers were injured?").focus == "passenger"
    assert analyse("How many people were evacuated?").focus == "people"


def test_a_say_the_tagger_calls_a_noun_is_still_the_verb_did_carries() -> None:
    q = analyse("What did Ilse Varga of the growers' cooperative say about the olive crop?")
    say = next(t for t in q.doc if t.lower_ == "say")
    assert say.pos_ == "NOUN"  # what this test is about: the small tagger's mistake
    assert q.kind is AnswerKind.STATEMENT and q.speaker == {"ilse", "varga"}


@pytest.mark.parametrize("text", ["What is the age of the harbour master, Gerrit Holm?", "At what age did Ada Quist retire?"])
def test_a_question_for_an_age_by_the_noun_asks_how_old(text: str) -> None:
    q = analyse(text)
    assert (q.wh, q.kind, q.focus) == ("how old", AnswerKind.NUMBER, "")


@pytest.mark.parametrize("text", ["What did the Kestrel Bridge cost?", "What did the new quay end up costing?",
                                  "What will the new phone sell for?"])
def test_what_something_cost_asks_for_an_amount_of_money(text: str) -> None:
    assert analyse(text).kind is AnswerKind.MONEY
    assert analyse("What does the council need?").kind is AnswerKind.ENTITY
    assert analyse("What did the firm sell?").kind is AnswerKind.ENTITY



@pytest.mark.parametrize("text, overview", [
    ("What happened?", True), ("Summarise the articles", True), ("What are the main points?", True),
    ("Give me an overview", True), ("What are the key stories today?", True),
    ("What happened to the mill?", False), ("What happened in Port Arlen?", False),
    ("Tell me about the strike", False), ("What is the main reason for the strike?", False),
    ("Who won?", False),
])
def test_a_request_for_an_overview_names_no_topic(text: str, overview: bool) -> None:
    from newsqa.rag.query import asks_overview

    assert asks_overview(analyse(text)) is overview


def test_a_person_noun_asks_for_a_person_and_who_alone_for_anyone_who_acts() -> None:
    """"Which neurologist ...?" is never answered by a university or a nationality; "Who won?" may
    be answered by a team or a country."""
    for text in ("Which neurologist led the study of afternoon naps?", "Which golfer won the Kelham Open?",
                 "Who is the chief economist of the Harbour Bank?"):
        assert analyse(text).labels == frozenset({"PERSON"}), text
    assert {"ORG", "GPE"} <= analyse("Who won the Kelham Cup?").labels
    assert analyse("Which team won the Kelham Cup?").labels == frozenset({"ORG"})


@pytest.mark.parametrize("text, core", [
    ("What is the priority today, according to Ada Quist?", "What is the priority today?"),
    ("According to a new survey, which town is the most crowded?", "Which town is the most crowded?"),
    ("By what share did fares rise in the year to May, according to the statistics office?",
     "By what share did fares rise in the year to May?"),
    ("Who, according to the report, built the bridge?", "Who built the bridge?"),
    ("Who built the bridge?", "Who built the bridge?"),
])
def test_the_question_proper_is_read_without_its_attribution(text: str, core: str) -> None:
    """"According to X" credits the answer to a source; the small parser makes "according" the
    question's verb, so the kind and slot come from the question without it, while the source's
    words stay content words and its names stay named things."""
    from newsqa.rag.query import without_attribution

    assert without_attribution(text) == core
    q, plain = analyse(text), analyse(core)
    assert (q.kind, q.focus, q.slot) == (plain.kind, plain.focus, plain.slot)
    assert "according" not in q.content and "accord" not in q.content


def test_an_attributions_source_stays_a_named_thing_and_content_word() -> None:
    q = analyse("What is the priority today according to Ada Quist?")
    assert q.slot is None and {"quist", "priority"} <= q.content and "Ada Quist" in q.named
    q = analyse("Which bridge will the council reopen, according to a new survey?")
    assert q.slot is not None and q.slot.verb == "reopen" and "survey" in q.content


@pytest.mark.parametrize("question, given", [
    ("Who did the minister meet at the forum?", {"minister", "forum"}),
    ("Which team won the league?", {"league"}),  # not the focus noun
    ("Who was the winner of the regatta?", {"regatta"}),
    ("What is the forum called?", set()),  # its name is asked
    ("What is the name of the forum?", set()),
    ("What is the forum?", set()),
    ("Which forum did Ada Quist attend?", set()),  # the question's own phrase
    # a quiz's "this leader" is the one asked for
    ("Ada Quist held talks with this leader:", set()),
])
def test_the_nouns_a_question_refers_to_known_things_by(question: str, given: set[str]) -> None:
    assert analyse(question).given_nouns == given


@pytest.mark.parametrize("question, kind, focus", [
    # a short last sentence asking about what the sentences before it describe: the noun it refers to
    ("A retired ferryman rowed 40 kilometres a day to raise money for the lifeboat. Who is he?",
     AnswerKind.PERSON, "ferryman"),
    ("One lake supplies about half of the valley's water. Which one is it?", AnswerKind.ENTITY, "lake"),
    ("A collector kept a first model of this camera for 30 years. It sold at auction. What is it?",
     AnswerKind.ENTITY, "camera"),
    # ... not where the last sentence asks about another thing than it or him
    ("A course record fell at this year's Kelham marathon. Who set it?", AnswerKind.PERSON, ""),
    ("A Kelham harbour official was arrested this week. What was he charged with?", AnswerKind.ENTITY, ""),
])
def test_a_question_that_refers_back_asks_about_the_noun_it_refers_to(question: str, kind: AnswerKind,
                                                                     focus: str) -> None:
    q = analyse(question)
    assert (q.kind, q.focus) == (kind, focus)


@pytest.mark.parametrize("question, kind, focus", [
    # a quiz's sentence to complete that ends on a preposition or a verb names no kind by its last
    # noun ("this week" is no date asked for)
    ("Kelham's mayor resigned this week after being charged with:", AnswerKind.ENTITY, ""),
    ("The harbour board voted this week to rename the square after:", AnswerKind.ENTITY, ""),
    # (a passive's "by:" keeps the last noun's reading: "a female sprinter" says a person)
    ("Ada Quist broke the record for the 400 metres by a female sprinter, first set by:",
     AnswerKind.PERSON, "sprinter"),
    ("The harbour board's new chief executive is:", AnswerKind.PERSON, "executive"),
    # ... one that ends on a noun names what it asks for
    ("This week the mayor held talks with Kelham's twin town, a port in:", AnswerKind.ENTITY, ""),
    ("The mayor held talks with her counterpart from the twin town, its deputy mayor:", AnswerKind.PERSON,
     "mayor"),
])
def test_a_sentence_to_complete_asks_for_what_its_last_word_leaves_open(question: str, kind: AnswerKind,
                                                                       focus: str) -> None:
    q = analyse(question)
    assert (q.kind, q.focus) == (kind, focus)
