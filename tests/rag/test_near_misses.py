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
    ("Who acquired Snapfish?",
     "Snapfish was founded in 1999 by three Stanford graduates.",
     "Hewlett-Packard bought Snapfish in 2005 for $300 million."),
    ("Who founded Snapfish?",
     "Hewlett-Packard acquired Snapfish in 2005.",
     "Snapfish was founded in 1999 by Raj Kapoor."),
    ("When was Starfield released?",
     "Starfield was unveiled at the 2018 showcase.",
     "Starfield was released on September 6, 2023, after it was announced in 2018."),
    ("When did the poet die?",
     "The poet was born on May 2, 1921.",
     "The poet died on June 3, 1990."),
    # a number glued to a name
    ("When was Galaxy Quest 2 released?",
     "Galaxy Quest 1 came out in 1999, long before Galaxy Quest 2 was planned.",
     "Galaxy Quest 2 was released in 2019, twenty years after Galaxy Quest 1."),
    ("Where was Super Bowl LV played?",
     "Super Bowl LIV was played in Miami Gardens.",
     "Super Bowl 55 was played in Tampa."),
    # a derivative of the thing asked about
    ("When was Starfield released?",
     "A soundtrack album featuring music used in Starfield was released on 2 August 2024.",
     "The soundtrack features music from Starfield, the game released by Bethesda on 6 September 2023."),
    ("When was Starfield released?",
     "The Starfield Original Soundtrack album was released in October.",
     "Starfield was released in September."),
    ("When was Starfield released?",
     "Starfield's first update will be released in March.",
     "Bethesda released Starfield, a space game, in 2023."),
    # another body's office, another kind of director
    ("Who is the president of the IOC?",
     "Jane Roe and John Doe, the current and former presidents of ANOC, a body under the IOC, met.",
     "Thomas Bach was re-elected as president of the IOC."),
    ("Who is the director of \"Blue Harbour\"?",
     "Sam Lee, a director of music videos whose work included the video for “Blue Harbour”, died.",
     "The Blue Harbour director Ana Ruiz spoke at the festival."),
    # a list of finalists does not say who was named
    ("Who was named the 2022 Regional Baker of the Year?",
     "Here Are the Five Finalists for 2022 Regional Baker of the Year",
     "Mia Chen was named the 2022 Regional Baker of the Year."),
    # "who won": a sentence in which no one wins anything
    ("Who won the World Cup final in 2014?",
     "Argentina Heads to Its Sixth World Cup Final",
     "Germany beat Argentina 1-0 in the 2014 World Cup final."),
    ("Who won the women's singles at Wimbledon in 2019?",
     "Serena Williams reached the Wimbledon women's singles final in 2019.",
     "Simona Halep claimed the 2019 Wimbledon women's singles title."),
    # the title asked about, continued into a longer one
    ("Who directed The Guardians?",
     "Lee Kim, who directed Guardians: Dark Tide and Guardians: Endgame, is in talks.",
     "The Guardians was directed by Pat Moss."),
])
def test_near_misses(question: str, trap: str, answer: str) -> None:
    assert broken(question, trap), trap
    assert not broken(question, answer), broken(question, answer)


@pytest.mark.parametrize("question,sentence", [
    ("Who won Wimbledon in 2019?", "Wimbledon: Djokovic beats Federer in a long final."),
    ("Who won the 2019 Tour de France?", "Egan Bernal took the yellow jersey to Paris and the 2019 title."),
    ("Who was the winner of the 2021 Masters?", "Hideki Matsuyama is the 2021 Masters champion."),
    ("Who is the president of FIFA?", "Gianni Infantino elected FIFA President."),
    ("Who is the president of FIFA?", "Infantino, president of world football's governing body, spoke."),
    ("When was Splatoon 2 released?", "Splatoon 2, the sequel to Splatoon 1, was released in July 2017."),
    ("Who won the final?", "Smith beat the runner-up Jones to win the final."),
    ("When was Starfield released?", "Bethesda announced that Starfield arrives on September 6."),
    ("Who acquired WhatsApp?", "Facebook, founded by Mark Zuckerberg, paid $19bn for WhatsApp."),
    ("Who directed Avatar: The Way of Water?", "Avatar: The Way of Water was directed by James Cameron."),
])
def test_not_near_misses(question: str, sentence: str) -> None:
    assert not broken(question, sentence)


def test_numbered_names_read_digits_and_roman_numerals() -> None:
    assert numbered_names("Splatoon 2, Super Bowl LV and iPhone 14 Pro on May 4 at 9/8c, 3.0 update") == [
        ("splatoon", 2), ("bowl", 55), ("iphone", 14)]


def test_a_nationality_is_not_a_person() -> None:
    q = Question.parse("Who won the 2019 Tour de Suisse?")
    s = "After decades of trying, a Colombian has finally won the Tour de Suisse."
    assert answer_type_score(q, key_terms(s), s) < 0.5
    named = "Egan Bernal has finally won the Tour de Suisse."
    assert answer_type_score(q, key_terms(named), named) == 1.0
    team = Question.parse("Who won the World Cup final?")
    s2 = "The French won the World Cup final."
    assert answer_type_score(team, key_terms(s2), s2) >= 0.7


def test_a_capitalised_label_is_not_a_person() -> None:
    q = Question.parse("Who won the US Presidential Election 2020?")
    label = "Total Electoral Votes Needed to Win = 270"
    assert answer_type_score(q, key_terms(label), label) < RefusalPolicy().min_type
    named = "Joe Biden won the 2020 presidential election with 306 electoral votes."
    assert answer_type_score(q, key_terms(named), named) == 1.0
    tennis = Question.parse("What is men's year-end No 1 in tennis in 2019?")
    table = "Men's Tennis ATP Rankings 2019"
    assert answer_type_score(tennis, key_terms(table), table) < RefusalPolicy().min_type


def test_a_direct_question_asks_even_with_a_quoted_title() -> None:
    assert asks("What would a Christopher Nolan-directed version of 'The Avengers' look like?")
    assert not asks("I said ‘let’s mediate Russia first’, OK?")
    assert not asks("The Avengers was directed by Joss Whedon.")


def test_a_person_is_corroborated_by_surname() -> None:
    q = Question.parse("Who finished the year as world No 1?")
    s = key_terms("Rafael Nadal has clinched the year-end No. 1 ranking.")
    others = [key_terms(t) for t in ("Nadal is the fifth player to finish on top.",
                                     "Nadal won two majors.", "The weather was mild.")]
    assert corroboration(q, s, [s, *others]) == 3


@pytest.mark.parametrize("weak,plain", [
    ("Date First Available: January 13, 2017; Manufacturer: Nintendo; ASIN: B01MY7GHKJ",
     "The game was first available on January 13, 2017 from Nintendo."),
    ("418K likes, 2054 comments - fan on April 25, 2019: \"when the Russos directed #avengersendgame",
     "Fan on April 25, 2019: when the Russos directed the Avengers Endgame film"),
    ("to researching Amazon's AI assistant and Prime Air deliveries.",
     "researching Amazon's AI assistant and Prime Air deliveries."),
])
def test_listings_posts_and_cut_tails_weigh_less(weak: str, plain: str, scorer: SupportScorer) -> None:
    ps = passages(weak, plain)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates("What is it?", ps, cands, scorer)
    by_text = {c.text: c for c in cands}
    assert by_text[weak].factors["fragment"] < by_text[plain].factors["fragment"]


@pytest.mark.parametrize("question,trap,answer,name", [
    ("Who acquired Snapfish?",
     "Snapfish was founded in 1999 by two former Stanford students, Raj Kapoor and Ben Chu.",
     "Snapfish was bought by Hewlett-Packard in 2005 for $300 million.", "Hewlett"),
    ("Who is the president of the IOC?",
     "Jane Roe and John Doe, the current and former presidents of ANOC, a body under the IOC, met.",
     "Thomas Bach was re-elected as president of the IOC for four more years.", "Bach"),
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
    other = "The nominees for Best Animated Feature were Onward, Over the Moon and Soul, the Pixar movie."
    named = "James Cameron directed Avatar, the 2009 movie."
    ps = passages(other, named)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates("Who is the director of the Avatar movie?", ps, cands, scorer)
    by_text = {c.text: c for c in cands}
    assert "about other names than the question's" in by_text[other].violations
    assert by_text[named].violations == []
    assert by_text[named].score > by_text[other].score
    # "the company" never names Tesla, yet the sentence is about it: no other names, no violation
    nameless = "That is up 81 percent from $10.4 billion in revenue in Q1 2021."
    ps = passages(nameless)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates("What was Tesla's revenue in Q1 2021?", ps, cands, scorer)
    assert cands[0].violations == []


def test_the_answer_must_sit_in_the_clause_the_question_asks_about(scorer: SupportScorer) -> None:
    from newsqa.rag.candidates import asked_clause

    question = "Which director won Best Director at the 93rd Academy Awards?"
    words = Question.parse(question).words
    contrasted = ("Anna Bell upset Tom Reed to win best actor, while 'Dry Land' took best picture "
                  "and director at the 93rd Academy Awards.")
    assert asked_clause(contrasted, words).startswith("'Dry Land' took best picture")
    assert asked_clause("Tom Reed won best director at the 93rd Academy Awards.", words) is None
    # the clause about best director names only a quoted title, so the sentence gives no person
    answer = "Maria Lind won best director at the 93rd Academy Awards for 'Dry Land'."
    ps = passages(contrasted, answer)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates(question, ps, cands, scorer)
    by_text = {c.text: c for c in cands}
    assert by_text[contrasted].factors["type"] <= 0.3 and by_text[answer].factors["type"] == 1.0
    # either clause may hold the answer: the one that holds the question's words decides
    flipped = "'Dry Land' took best picture, while Maria Lind won best director at the 93rd Academy Awards."
    ps = passages(flipped)
    cands = rule_candidates(passage_candidates(ps))
    score_candidates(question, ps, cands, scorer)
    assert cands[0].factors["type"] == 1.0


@pytest.mark.parametrize("sentence,person", [
    ("'Dry Land' took best director.", False),
    ("“Dry Land” took best director.", False),
    ("‘Dry Land’ took best director.", False),
    ("Maria Lind's 'Dry Land' took best director.", True),  # an apostrophe is not a quote
    ("Maria Lind won for “Dry Land”.", True),
])
def test_a_quoted_title_is_not_a_person(sentence: str, person: bool) -> None:
    q = Question.parse("Who won best director?")
    assert (answer_type_score(q, key_terms(sentence), sentence) == 1.0) is person


def test_a_name_inside_a_longer_quote_may_still_be_a_person() -> None:
    q = Question.parse("Who won best director?")
    sentence = "“Maria Lind is the best director of her generation,” the jury said."
    assert answer_type_score(q, key_terms(sentence), sentence) == 1.0
