"""More near misses (rag/constraints.py) and weak sentences (rag/candidates.py): another event of the
same thing, a numbered sibling, a derivative product, another body's office, the finalists, a longer
title, a nationality for a person, product listings, social posts and cut-off tails."""

from __future__ import annotations

import pytest
from newsqa.rag.backends.extractive import ExtractiveBackend
from newsqa.rag.constraints import numbered_names, parse_constraints, violations
from newsqa.rag.answer_type import answer_type_score, corroboration
from newsqa.rag.candidates import asks, rule_candidates, score_candidates
from newsqa.rag.question import Question
from newsqa.rag.refuse import RefusalPolicy
from newsqa.rag.sentences import passage_candidates
from newsqa.rag.support import SupportScorer
from newsqa.rag.terms import key_terms
from rag_helpers import passages


def broken(question: str, sentence: str) -> list[str]:
    return violations(parse_constraints(question), sentence)


@pytest.mark.parametrize("question,trap,answer", [
    # another event of the same thing
    ("Who acquired Pixmere?",
     "Pixmere was founded in 2001 by three Hartwell graduates.",
     "Brandt-Meyer bought Pixmere in 2007 for $240 million."),
    ("Who founded Pixmere?",
     "Brandt-Meyer acquired Pixmere in 2007.",
     "Pixmere was founded in 2001 by Raj Kapoor."),
    ("When was Emberfall released?",
     "Emberfall was unveiled at the 2017 showcase.",
     "Emberfall was released on October 11, 2022, after it was announced in 2017."),
    ("When did the poet die?",
     "The poet was born on March 14, 1923.",
     "The poet died on October 8, 1988."),
    # a number glued to a name
    ("When was Harbor Run 2 released?",
     "Harbor Run 1 came out in 2001, long before Harbor Run 2 was planned.",
     "Harbor Run 2 was released in 2021, twenty years after Harbor Run 1."),
    ("Where was Granite Bowl XL played?",
     "Granite Bowl XXXIX was played in Fairhaven.",
     "Granite Bowl 40 was played in Millbrook."),
    # a derivative of the thing asked about
    ("When was Emberfall released?",
     "A soundtrack album featuring music used in Emberfall was released on 14 May 2023.",
     "The soundtrack features music from Emberfall, the game released by Corvane on 11 October 2022."),
    ("When was Emberfall released?",
     "The Emberfall Original Soundtrack album was released in December.",
     "Emberfall was released in October."),
    ("When was Emberfall released?",
     "Emberfall's first update will be released in February.",
     "Corvane released Emberfall, a space game, in 2022."),
    # another body's office, another kind of director
    ("Who is the president of the IGSU?",
     "Jane Roe and John Doe, the current and former presidents of ANGF, a body under the IGSU, met.",
     "Martin Keller was re-elected as president of the IGSU."),
    ("Who is the director of \"Blue Harbour\"?",
     "Sam Lee, a director of music videos whose work included the video for “Blue Harbour”, died.",
     "The Blue Harbour director Ana Ruiz spoke at the festival."),
    # a list of finalists does not say who was named
    ("Who was named the 2022 Regional Baker of the Year?",
     "Here Are the Five Finalists for 2022 Regional Baker of the Year",
     "Mia Chen was named the 2022 Regional Baker of the Year."),
    # "who won": a sentence in which no one wins anything
    ("Who won the Meridian Cup final in 2016?",
     "Norway Heads to Its Sixth Meridian Cup Final",
     "Denmark beat Norway 1-0 in the 2016 Meridian Cup final."),
    ("Who won the women's singles at Ashbury in 2017?",
     "Clara Benson reached the Ashbury women's singles final in 2017.",
     "Nadia Ferrante claimed the 2017 Ashbury women's singles title."),
    # the title asked about, continued into a longer one
    ("Who directed The Wardens?",
     "Lee Kim, who directed Wardens: Dark Tide and Wardens: Last Light, is in talks.",
     "The Wardens was directed by Pat Moss."),
])
def test_near_misses(question: str, trap: str, answer: str) -> None:
    assert broken(question, trap), trap
    assert not broken(question, answer), broken(question, answer)


@pytest.mark.parametrize("question,sentence", [
    ("Who won Ashbury in 2017?", "Ashbury: Castellan beats Moreau in a long final."),
    ("Who won the 2018 Tour de Valdor?", "Marco Bellani took the yellow jersey to Lyon and the 2018 title."),
    ("Who was the winner of the 2020 Kingsmead Classic?", "Tomas Lindgren is the 2020 Kingsmead Classic champion."),
    ("Who is the president of UWFA?", "Paolo Castellano elected UWFA President."),
    ("Who is the president of UWFA?", "Castellano, president of world football's governing body, spoke."),
    ("When was Tidepool 2 released?", "Tidepool 2, the sequel to Tidepool 1, was released in May 2020."),
    ("Who won the final?", "Smith beat the runner-up Jones to win the final."),
    ("When was Emberfall released?", "Corvane announced that Emberfall arrives on October 11."),
    ("Who acquired Chatterly?", "Brightway, founded by Owen Hale, paid $12bn for Chatterly."),
    ("Who directed Harrow: The Long Tide?", "Harrow: The Long Tide was directed by Victor Lang."),
])
def test_not_near_misses(question: str, sentence: str) -> None:
    assert not broken(question, sentence)


def test_numbered_names_read_digits_and_roman_numerals() -> None:
    assert numbered_names("Tidepool 2, Granite Bowl LV and Zephone 14 Pro on May 4 at 9/8c, 3.0 update") == [
        ("tidepool", 2), ("bowl", 55), ("zephone", 14)]


def test_a_nationality_is_not_a_person() -> None:
    q = Question.parse("Who won the 2018 Tour de Valdor?")
    s = "After decades of trying, a Norwegian has finally won the Tour de Valdor."
    assert answer_type_score(q, key_terms(s), s) < 0.5
    named = "Marco Bellani has finally won the Tour de Valdor."
    assert answer_type_score(q, key_terms(named), named) == 1.0
    team = Question.parse("Who won the Meridian Cup final?")
    s2 = "The French won the Meridian Cup final."
    assert answer_type_score(team, key_terms(s2), s2) >= 0.7


def test_the_one_who_acted_may_be_a_country() -> None:
    """"Who built it?" over "Norway built it": the rules read the question as the learned path
    does (query.analyse), so they do not refuse it for naming no person."""
    q = Question.parse("Who built the harbour bridge at Calder Bay?")
    assert q.acted
    s = "Norway built the harbour bridge at Calder Bay in 1998."
    assert answer_type_score(q, key_terms(s), s) >= RefusalPolicy().min_type
    # a role is held by a person, and a country wins a contest, not an election
    for asked in ("Who is the mayor of Calder Bay?", "Who won the Calder Bay mayoral election?"):
        other = Question.parse(asked)
        assert not other.acted
        s = "Norway sent observers to Calder Bay."
        assert answer_type_score(other, key_terms(s), s) < RefusalPolicy().min_type


def test_a_capitalised_label_is_not_a_person() -> None:
    q = Question.parse("Who won the Ostland Presidential Election 2018?")
    label = "Total Electoral Votes Needed to Win = 214"
    assert answer_type_score(q, key_terms(label), label) < RefusalPolicy().min_type
    named = "Ellen Hartley won the 2018 presidential election with 289 electoral votes."
    assert answer_type_score(q, key_terms(named), named) == 1.0
    tennis = Question.parse("What is men's year-end No 1 in tennis in 2017?")
    table = "Men's Tennis ATP Rankings 2017"
    assert answer_type_score(tennis, key_terms(table), table) < RefusalPolicy().min_type


def test_a_direct_question_asks_even_with_a_quoted_title() -> None:
    assert asks("What would a Daniel Hargrove-directed version of 'The Wardens' look like?")
    assert not asks("I said ‘let’s mediate Ostland first’, OK?")
    assert not asks("The Wardens was directed by Pat Moss.")


def test_a_person_is_corroborated_by_surname() -> None:
    q = Question.parse("Who finished the year as world No 1?")
    s = key_terms("Arturo Delgado has clinched the year-end No. 1 ranking.")
    others = [key_terms(t) for t in ("Delgado is the fifth player to finish on top.",
                                     "Delgado won two majors.", "The weather was mild.")]
    assert corroboration(q, s, [s, *others]) == 3


@pytest.mark.parametrize("weak,plain", [
    ("Date First Available: March 9, 2019; Manufacturer: Corvane; ASIN: B07QX4LMRT",
     "The game was first available on March 9, 2019 from Corvane."),
    ("362K likes, 1187 comments - fan on June 12, 2020: \"when the Hallorans directed #wardenslastlight",
     "Fan on June 12, 2020: when the Hallorans directed the Wardens Last Light film"),
    ("to researching Brightway's AI assistant and SkyDrop deliveries.",
     "researching Brightway's AI assistant and SkyDrop deliveries."),
])
def test_listings_posts_and_cut_tails_weigh_less(weak: str, plain: str, scorer: SupportScorer) -> None:
    ps = passages(weak, plain)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates("What is it?", ps, cands, scorer)
    by_text = {c.text: c for c in cands}
    assert by_text[weak].factors["fragment"] < by_text[plain].factors["fragment"]


@pytest.mark.parametrize("question,trap,answer,name", [
    ("Who acquired Pixmere?",
     "Pixmere was founded in 2001 by two former Hartwell students, Raj Kapoor and Ben Chu.",
     "Pixmere was bought by Brandt-Meyer in 2007 for $240 million.", "Brandt"),
    ("Who is the president of the IGSU?",
     "Jane Roe and John Doe, the current and former presidents of ANGF, a body under the IGSU, met.",
     "Martin Keller was re-elected as president of the IGSU for four more years.", "Keller"),
])
def test_traps_are_refused_alone_and_lose_to_the_answer(question: str, trap: str, answer: str, name: str,
                                                        scorer: SupportScorer) -> None:
    be = ExtractiveBackend(scorer)
    sents = be.answer(question, passages(trap))
    d = RefusalPolicy().decide(question, sents, passages(trap), scorer)
    assert d.refuse and "near miss" in d.reason, (d.reason, [s.text for s in sents])
    ps = passages(trap, answer)
    sents = be.answer(question, ps)
    d = RefusalPolicy().decide(question, sents, ps, scorer)
    assert not d.refuse, d.reason
    assert name in sents[0].text


def test_a_sentence_about_other_names_breaks_the_question_but_a_nameless_one_does_not(
        scorer: SupportScorer) -> None:
    other = "The nominees for Best Animated Feature were Lanternfly, Under the Willow and Brisk, the Marlow movie."
    named = "Victor Lang directed Harrow, the 2011 movie."
    ps = passages(other, named)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates("Who is the director of the Harrow movie?", ps, cands, scorer)
    by_text = {c.text: c for c in cands}
    assert "about other names than the question's" in by_text[other].violations
    assert by_text[named].violations == []
    assert by_text[named].score > by_text[other].score
    # "the company" never names Corvane, yet the sentence is about it: no other names, no violation
    nameless = "That is up 64 percent from $7.3 billion in revenue in Q1 2020."
    ps = passages(nameless)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates("What was Corvane's revenue in Q1 2020?", ps, cands, scorer)
    assert cands[0].violations == []


def test_the_answer_must_sit_in_the_clause_the_question_asks_about(scorer: SupportScorer) -> None:
    from newsqa.rag.candidates import asked_clause

    question = "Which writer won Best Screenplay at the 41st Halden Film Awards?"
    words = Question.parse(question).words
    contrasted = ("Anna Bell upset Tom Reed to win best actor, while 'Dry Land' took best picture "
                  "and screenplay at the 41st Halden Film Awards.")
    assert asked_clause(contrasted, words).startswith("'Dry Land' took best picture")
    assert asked_clause("Tom Reed won best screenplay at the 41st Halden Film Awards.", words) is None
    # the clause about best screenplay names only a quoted title, so the sentence gives no person
    answer = "Maria Lind won best screenplay at the 41st Halden Film Awards for 'Dry Land'."
    ps = passages(contrasted, answer)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates(question, ps, cands, scorer)
    by_text = {c.text: c for c in cands}
    assert by_text[contrasted].factors["type"] <= 0.3 and by_text[answer].factors["type"] == 1.0
    # either clause may hold the answer: the one that holds the question's words decides
    flipped = "'Dry Land' took best picture, while Maria Lind won best screenplay at the 41st Halden Film Awards."
    ps = passages(flipped)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates(question, ps, cands, scorer)
    assert cands[0].factors["type"] == 1.0


@pytest.mark.parametrize("sentence,person", [
    ("'Dry Land' took best screenplay.", False),
    ("“Dry Land” took best screenplay.", False),
    ("‘Dry Land’ took best screenplay.", False),
    ("Maria Lind's 'Dry Land' took best screenplay.", True),  # an apostrophe is not a quote
    ("Maria Lind won for “Dry Land”.", True),
])
def test_a_quoted_title_is_not_a_person(sentence: str, person: bool) -> None:
    q = Question.parse("Who won best screenplay?")
    assert (answer_type_score(q, key_terms(sentence), sentence) == 1.0) is person


def test_a_name_inside_a_longer_quote_may_still_be_a_person() -> None:
    q = Question.parse("Who won best screenplay?")
    sentence = "“Maria Lind is the best screenwriter of her generation,” the jury said."
    assert answer_type_score(q, key_terms(sentence), sentence) == 1.0


def test_a_relative_year_is_read_against_its_articles_date() -> None:
    from newsqa.rag.answer_type import REQ_ABSENT, REQ_CONFLICT, required_factor, with_relative_years

    q = Question.parse("Which choir won the 2023 Harbour Song Prize?")
    text = "This year's Harbour Song Prize winner, the Kelham Singers, will not host the next one."
    plain = key_terms(text)
    assert with_relative_years(plain, text, None) == plain  # an undated article names no year
    assert required_factor(q, plain) == REQ_ABSENT
    # in an article of 2022 "this year's winner" is 2022's: another year's, not the one asked about
    assert with_relative_years(plain, text, 2022).years == {"2022"}
    assert required_factor(q, with_relative_years(plain, text, 2022)) == pytest.approx(REQ_ABSENT * REQ_CONFLICT)
    # in one of 2023 it is the year asked about, and "last year" in one of 2024 names it too
    assert required_factor(q, with_relative_years(plain, text, 2023)) == 1.0
    last = "Last year's winner, the Kelham Singers, return as guests."
    assert required_factor(q, with_relative_years(key_terms(last), last, 2024)) == 1.0


def test_a_year_on_the_asked_thing_outweighs_the_same_year_elsewhere_in_the_sentence() -> None:
    """"The 2022 Harbour Song Prize" is another year's prize, even in a sentence that goes on to
    name 2023 for something else; a sentence that puts 2023 on the prize, or no year on it, keeps
    the full factor."""
    from newsqa.rag.answer_type import REQ_CONFLICT, required_factor

    q = Question.parse("Which choir won the 2023 Harbour Song Prize?")

    def required(text: str, published: int | None = None) -> float:
        return required_factor(q, key_terms(text), text=text, published_year=published)

    assert required("The Kelham Singers won the 2022 Harbour Song Prize and will host it in 2023.") == REQ_CONFLICT
    # "this year's" in an article of 2022 is 2022's, though 2023 turns up later
    relative = "This year's Harbour Song Prize winner, the Kelham Singers, will not host it in 2023."
    assert required(relative, 2022) == REQ_CONFLICT
    assert required(relative, 2023) == 1.0
    assert required("The Ostmark Choir won the 2023 Harbour Song Prize, a year after 2022's flop.") == 1.0
    assert required("The Ostmark Choir won the Harbour Song Prize in 2023.") == 1.0
    # a year written after the name is read the same way
    assert required_factor(Question.parse("Who won Harbour Open 2023?"), key_terms(
        "Harbour Open 2022 went to Ada Brenner, who skips it in 2023."),
        text="Harbour Open 2022 went to Ada Brenner, who skips it in 2023.") < 1.0


def test_the_article_date_dates_this_years_winner_when_scoring(scorer: SupportScorer) -> None:
    from dataclasses import replace
    from datetime import datetime

    text = "This year's Harbour Song Prize winner, the Kelham Singers, will not host the next one."
    question = "Which choir won the 2023 Harbour Song Prize?"

    def required(published_at: str) -> float:
        ts = int(datetime.fromisoformat(published_at).timestamp()) if published_at else -1
        ps = [replace(p, chunk=replace(p.chunk, published_at=published_at, published_ts=ts)) for p in passages(text)]
        cands = rule_candidates(passage_candidates(ps))
        score_candidates(question, ps, cands, scorer)
        return cands[0].factors["required"]

    assert required("2022-06-17T00:00:00+00:00") < required("") < required("2023-05-14T00:00:00+00:00")
