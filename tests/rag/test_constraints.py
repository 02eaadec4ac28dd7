"""Near misses: a sentence on the right topic that answers another question (rag/constraints.py),
and the question analysis that finds what a question pins down (rag/question.py)."""

from __future__ import annotations

import pytest

from newsqa.index.articles import Chunk
from newsqa.rag.backends.extractive import ExtractiveBackend
from newsqa.rag.chat import split_carried
from newsqa.rag.constraints import parse_constraints, same_word, spoken_by, violations
from newsqa.rag.question import Question, head_noun, question_kind, wanted_unit
from newsqa.rag.refuse import RefusalPolicy
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Passage
from rag_helpers import passages


def broken(question: str, sentence: str, window: str = "", passage: str = "") -> list[str]:
    return violations(parse_constraints(question), sentence, window, passage)


# -- qualifiers and modifiers ----------------------------------------------------------------------

@pytest.mark.parametrize("question,trap,answer", [
    ("Who won the women's singles title in 2016?",
     "Tobias Renner won the men's singles title in 2016.",
     "Clara Voss won the women's singles title in 2016."),
    ("Who won the men's doubles final?",
     "The Hollis brothers reached the men's singles semi-finals.",
     "Dunmore and Kessler won the men's doubles final."),
    ("Who was the runner-up of the 2014 Meridian Cup?",
     "Meridian Cup 2014 winner - Estoria.",
     "The Valdorans were runners-up at the 2014 Meridian Cup."),
    ("Who was named the 2017 National Librarian of the Year?",
     "Dana Pruitt was named the 2017 Carrow State Librarian of the Year.",
     "Ilsa Verhoven was named the 2017 National Librarian of the Year."),
    ("Who won gold in the Winter Games downhill?",
     "Marlow won the Summer Games marathon.",
     "Brandt won the downhill at the Winter Games."),
    ("Who is the new CEO of Halvorsen Capital?",
     "Walter Pryce II, the founder of Halvorsen Capital.",
     "Margaret Pryce, chairman and CEO of Halvorsen Capital, spoke on Monday."),
    ("Who is the founder of Chatterly?",
     "Chatterly chief executive Owen Mercer announced the feature.",
     "Jan Ostrowski, a founder of Chatterly, left Brightbook in 2016."),
])
def test_exclusive_qualifiers(question: str, trap: str, answer: str) -> None:
    assert broken(question, trap)
    assert not broken(question, answer)


def test_a_qualifier_may_come_from_the_passage() -> None:
    q = "Who won the women's singles title?"
    passage = "Report from the men's final. Kessler won the title after five sets."
    assert broken(q, "Kessler won the title after five sets.", passage=passage)
    both = "Report from the men's and women's finals. Voss won the title."
    assert not broken(q, "Voss won the title.", passage=both)


@pytest.mark.parametrize("question,trap,answer", [
    ("Who is the president of IFKA?",
     "Rudolf Amsel, the former president of IFKA, spoke to a Swiss newspaper.",
     "Marco Bellandi is the president of IFKA."),
    ("Who will be playing the role of Nora Vance in Starfall 1987?",
     "Thirteen-year-old Maisie plays the young Nora Vance in Starfall 1987.",
     "Helena Crane will reprise her role as Nora Vance."),
    ("Who is the director of the Skybound movie?",
     "Glacier, for which he won an Ember Award for best director, and Skybound.",
     "Skybound director Daniel Ashford spoke about the sequel."),
    ("Who is the director of Velvet Harbour?",
     "Velvet Harbour video director Colin Pratt died.",
     "Velvet Harbour director Martin Greaves was fired."),
    ("Who is the chief executive of the bank?",
     "Jane Roe, the deputy chief executive of the bank, resigned.",
     "John Doe, chief executive of the bank, resigned."),
])
def test_restricting_modifiers(question: str, trap: str, answer: str) -> None:
    assert broken(question, trap)
    assert not broken(question, answer)


def test_a_modifier_the_question_has_is_fine() -> None:
    assert not broken("Who is the former president of IFKA?", "Rudolf Amsel, the former president of IFKA.")
    # used once restricted and once plain: the plain use may be the answer
    assert not broken("Who is the president of IFKA?",
                      "The former president of IFKA praised Bellandi, the president of IFKA.")


# -- speaker and topic of "what did X say" ----------------------------------------------------------

def test_the_speaker_must_be_the_one_speaking() -> None:
    q = "What did Anton Keller say about the war?"
    trap = ("Palace spokesman Gregor Lind stated that in a call with Castovian President Anton Keller, "
            "Halloran had confirmed the offer to mediate the war.")
    assert "said by someone else" in broken(q, trap)
    assert not broken(q, "Anton Keller said the war must end soon.")
    assert not broken(q, "“The war must end,” Anton Keller said on Friday.")


def test_a_role_speaker_needs_all_its_words() -> None:
    q = "What did the president of Norland say about the talks?"
    assert broken(q, "Veltrian President Marek Halloran said the talks were useful.")
    assert not broken(q, "The president of Norland said the talks were useful.")


def test_the_speaker_after_the_verb_and_their_title_anywhere() -> None:
    # news's commonest attribution puts the speaker after the verb, the title after the name
    q = "What did commercial director Ines Alvarado say about the new route?"
    assert not broken(q, "“We studied it twice,” said Ines Alvarado, the airline's commercial director.")
    assert "said by someone else" in broken(q, "“We studied it twice,” said Tomas Berg, its commercial director.")
    mayor = parse_constraints("What did the mayor say about the flood?").speaker
    assert mayor is not None
    assert spoken_by(mayor, "“The water is falling,” said Tomas Berg, the mayor.")
    assert not spoken_by(mayor, "Tomas Berg said the mayor had left the town.")
    # an apposition ends at its clause: a later mayor is not the speaker
    assert not spoken_by(mayor, "“It is over,” said Tomas Berg, who thanked the mayor.")


@pytest.mark.parametrize("question", [
    "According to new research, which cheese melts fastest?",
    "According to a new study published this week, how many minutes of walking a day help?",
    "According to the latest survey, which town is the happiest in Norland?",
])
def test_according_to_a_source_that_names_no_one_is_no_speaker(question: str) -> None:
    """A study or a survey speaks through no sentence: "Researchers found that ..." answers."""
    assert parse_constraints(question).speaker is None
    assert "said by someone else" not in broken(question, "Researchers found that Kelda cheese melts fastest.")


@pytest.mark.parametrize("question, words", [
    ("According to Ines Alvarado, which route will open first?", {"ines", "alvarado"}),
    ("According to the harbour agency's chief engineer, when will the crane work?", {"agency", "engineer"}),
    ("According to officials, how many homes were flooded?", {"officials"}),
])
def test_according_to_a_person_or_a_body_is_a_speaker(question: str, words: set[str]) -> None:
    speaker = parse_constraints(question).speaker
    assert speaker is not None and words <= speaker.names | speaker.words


def test_he_said_and_continued_quotations_take_the_speaker_from_before() -> None:
    sp = parse_constraints("What did Lindqvist say about the talks?").speaker
    assert sp is not None
    before = "Foreign Ministry spokeswoman Vera Lindqvist warned Stellhaven."
    assert spoken_by(sp, "She said: “The talks must go on.”", before)
    assert not spoken_by(sp, "He said: “The talks must go on.”", "Dorn praised the talks.")
    opened = "She said: “We warn Stellhaven against intervention…"
    assert spoken_by(sp, "The priority today is a ceasefire.", f"{before} {opened}")
    # no quotation open and no speech verb: nobody is reported speaking
    assert not spoken_by(sp, "The priority today is a ceasefire.", before + " The talks ended.")


def test_a_quotation_without_an_attribution_of_its_own_is_the_speaker_s_from_before() -> None:
    """News gives a speaker's next quoted sentence without saying again who speaks, and a quotation's
    "he said" may come only after its second sentence; straight quotation marks as well as curly."""
    sp = parse_constraints("What did coach Ines Alvarado say about the final?").speaker
    assert sp is not None
    before = "Their coach, Ines Alvarado, said the final had been decided by one mistake."
    assert spoken_by(sp, '"We were the better side until the penalty.', before)
    assert spoken_by(sp, "“Next year we will start earlier.”", before + ' "It was hot," she said.')
    # an open straight quotation in the window continues into the sentence
    assert spoken_by(sp, "After that we were hanging on.", before + ' "We were the better side.')
    # a quotation with its own attribution is its speaker's, and one after another speaker's words is not hers
    assert not spoken_by(sp, '"We were lucky," said Tomas Berg.', before)
    assert not spoken_by(sp, '"We were lucky."', "Rival coach Tomas Berg said the referee was right.")


def test_about_needs_the_topic_and_knows_initials() -> None:
    q = "What did Dorn say about Raphael Ostrander?"
    assert "not about raphael ostrander" in broken(q, "Dorn said the talks with Brenner were useful.")
    # ... which an article's headline names for every sentence of it
    assert not violations(parse_constraints(q), "Dorn said the talks with Brenner were useful.",
                          title="Ostrander wins the Kelham seat by 312 votes")
    assert not broken(q, "Dorn said Ostrander had called Halloran.")
    q = "What did Halloran say about the Meridian Union?"
    assert not broken(q, "Halloran said Veltria is in constant contact with the MU president.")


def test_words_match_through_inflection_and_typos() -> None:
    assert same_word("definite", "definitive") and same_word("specialist", "specialists")
    assert not same_word("international", "internet") and not same_word("state", "statement")


# -- question analysis ---------------------------------------------------------------------------

def test_the_leading_question_word_decides_the_kind() -> None:
    assert question_kind("What did Brenner say he told Halloran when Halloran offered to help?") == "entity"
    assert question_kind("According to Brenner, how does the toll compare with reported figures?") == "other"
    assert question_kind("In which year was the forum held?") == "date"
    assert question_kind("What did the president of Norland say?") == "entity"
    assert question_kind("Which Dunmark president did Halloran call?") == "person"
    assert wanted_unit("In which year was the forum held?") == "year"
    assert wanted_unit("On which day did he speak?") == "day"
    assert wanted_unit("What is the release date of the game?") == "date"
    assert head_noun("In which of his terms did Brenner withdraw?") == "term"
    assert head_noun("What did Halloran say?") == ""


def test_what_someone_said_is_answered_by_a_statement_not_a_name() -> None:
    q = Question.parse("What did Halloran call on all parties to do?")
    assert q.kind == "other" and q.constraints is not None and q.constraints.says
    assert "halloran" not in q.words and "call" not in q.words  # checked as the speaker, not matched


def test_compound_questions_split_into_parts() -> None:
    # the rule path reads the same parts the learned path answers one by one (query.question_parts)
    def parts(text: str) -> list[str]:
        return Question.parse(text).parts

    assert parts("Which Dunmark leader and which Castovian leader did Halloran tell about it?") == [
        "Which Dunmark leader did Halloran tell about it?", "Which Castovian leader did Halloran tell about it?"]
    assert parts("At which forum did Halloran speak, and who warned the MU?") == [
        "At which forum did Halloran speak?", "Who warned the MU?"]
    # a first part with a verb of its own keeps it: no "Who opened the bridge did it close?" (and
    # the later part's "it", which cannot be the person asked for, is the bridge)
    assert parts("Who opened the bridge and when did it close?") == [
        "Who opened the bridge?", "When did the bridge close?"]
    assert parts("Who won in 2019?") == []


def test_carried_names_are_context_not_the_question() -> None:
    assert split_carried("Where are his specialists working? (Marek Halloran, Norland)") == (
        "Where are his specialists working?", ["Marek Halloran", "Norland"])
    assert split_carried("What is the release date of Tides of Ember (2016)?")[1] == []
    q = Question.parse("Where are his specialists working? (Marek Halloran, Norland)")
    assert q.own == "Where are his specialists working?" and q.kind == "place"
    assert {"halloran", "norland"} <= q.context and not q.name_tokens
    # "he" in a what-did-he-say follow-up is the carried person
    q = Question.parse("What did he say about Brenner? (Viktor Dorn, Halloran)")
    assert q.constraints is not None and q.constraints.speaker is not None
    assert "dorn" in q.constraints.speaker.names


# -- end to end through the extractive backend and the refusal rule ---------------------------------


def answer_and_decide(question: str, ps: list[Passage], scorer: SupportScorer):
    sents = ExtractiveBackend(scorer).answer(question, ps)
    return sents, RefusalPolicy().decide(question, sents, ps, scorer)


@pytest.mark.parametrize("question,trap,answer,name", [
    ("Who is the president of IFKA?",
     "Rudolf Amsel, the former president of IFKA, told a Swiss newspaper about the 2012 vote.",
     "Marco Bellandi is the president of IFKA and was re-elected unopposed.", "Bellandi"),
    ("Who won the women's singles title at Ashcombe in 2016?",
     "Tobias Renner won the men's singles title at Ashcombe in 2016.",
     "Clara Voss won the women's singles title at Ashcombe in 2016.", "Voss"),
    ("Who was named the 2017 National Librarian of the Year?",
     "Dana Pruitt was named the 2017 Carrow State Librarian of the Year by the department.",
     "Ilsa Verhoven was named the 2017 National Librarian of the Year by the council.", "Verhoven"),
])
def test_traps_are_refused_alone_and_lose_to_the_answer(question: str, trap: str, answer: str, name: str,
                                                        scorer: SupportScorer) -> None:
    sents, d = answer_and_decide(question, passages(trap), scorer)
    assert d.refuse and "near miss" in d.reason, (d.reason, [s.text for s in sents])
    sents, d = answer_and_decide(question, passages(trap, answer), scorer)
    assert not d.refuse, d.reason
    assert name in sents[0].text


def test_what_someone_else_said_is_refused(scorer: SupportScorer) -> None:
    ps = passages("Palace spokesman Gregor Lind stated that in a call with Castovian President Anton Keller, "
                  "Halloran had confirmed Veltria's readiness to mediate between Sarovia and Norland.")
    _, d = answer_and_decide("What did Anton Keller say about the war between Sarovia and Norland?", ps, scorer)
    assert d.refuse


def test_she_said_at_a_chunk_start_brings_the_sentence_naming_her(scorer: SupportScorer) -> None:
    first = "The ministry spoke on Friday. Spokeswoman Vera Lindqvist warned Meridia off getting involved."
    second = "She said: “We warn Stellhaven against military intervention in the situation.”"
    ps = [Passage(n=1, chunk=Chunk(id="c1", article_id="a", ordinal=0, text=first, char_start=0,
                                   char_end=len(first)), score=1.0),
          Passage(n=2, chunk=Chunk(id="c2", article_id="a", ordinal=1, text=second,
                                   char_start=len(first) + 1, char_end=len(first) + 1 + len(second)),
                  score=0.9)]
    sents, d = answer_and_decide("Who warned Stellhaven against military intervention?", ps, scorer)
    texts = [s.text for s in sents]
    assert "Lindqvist" in texts[0] and texts[1].startswith("She said") and sents[0].citations == [1]
    assert not d.refuse, d.reason


def test_a_compound_question_gets_a_sentence_per_part(scorer: SupportScorer) -> None:
    ps = passages("Halloran told Dunmark President Harun bin Adil that Veltria was ready to mediate.",
                  "The weather in Velgrad was mild all week.",
                  "Halloran told Castovian President Anton Keller by phone that Veltria was ready to mediate.")
    sents, d = answer_and_decide(
        "Which Dunmark leader and which Castovian leader did Halloran tell about Veltria's readiness to mediate?",
        ps, scorer)
    text = " ".join(s.text for s in sents)
    assert "Harun bin Adil" in text and "Anton Keller" in text
    assert not d.refuse, d.reason


def test_a_follow_up_is_answered_by_its_own_words_not_the_carried_names(scorer: SupportScorer) -> None:
    ps = passages(
        "Halloran said Sarovia and Norland should talk, and Halloran offered to mediate between Sarovia and Norland.",
        "Our specialists are working in Tarvik, and we are not leaving, Halloran said.",
    )
    sents, d = answer_and_decide("Where are his specialists working? (Halloran, Sarovia, Norland)", ps, scorer)
    assert sents[0].text.startswith("Our specialists are working in Tarvik")
    assert not d.refuse, d.reason


def test_when_a_release_happened_asks_for_a_day_but_a_founding_year_will_do() -> None:
    from newsqa.rag.answer_type import answer_type_score
    from newsqa.rag.terms import key_terms

    released = Question.parse("When was Driftmoor released?")
    assert released.unit == "date" and Question.parse("When does the show premiere?").unit == "date"
    founded = Question.parse("When was Pixelnest founded?")
    assert founded.unit == ""
    vague = "In early 2021, Corvane released Driftmoor."
    day = "Corvane released Driftmoor on March 9, 2021."
    assert answer_type_score(released, key_terms(vague), vague) == 0.0
    assert answer_type_score(released, key_terms(day), day) == 1.0
    year = "Pixelnest was founded in 2003."
    assert answer_type_score(founded, key_terms(year), year) > 0.0
    # a month and a year say when as exactly as a day and a month; a year alone less so
    month = "Pixelnest was founded in May 2003."
    dated = "Pixelnest was founded on Thursday, May 8."
    assert answer_type_score(founded, key_terms(month), month) == answer_type_score(founded, key_terms(dated), dated)
    assert answer_type_score(founded, key_terms(year), year) < answer_type_score(founded, key_terms(month), month)


def test_a_bracketed_title_year_names_the_release_of_that_year() -> None:
    from newsqa.rag.answer_type import answer_type_score
    from newsqa.rag.terms import key_terms

    q = Question.parse("What is the release date of Driftmoor (2021)?")
    assert q.title_year == "2021" and Question.parse("When was Driftmoor released?").title_year == ""
    port = "Driftmoor (2021) is coming to Lumen 5 on June 12, 2024."
    first = "Driftmoor was released for Orbis Series X on March 9, 2021."
    assert answer_type_score(q, key_terms(port), port) == 0.0
    assert answer_type_score(q, key_terms(first), first) == 1.0
    # not a release question: the bracketed year does not constrain other dates
    other = Question.parse("When did the director of Driftmoor (2021) die?")
    dies = "He died on October 18, 2023."
    assert answer_type_score(other, key_terms(dies), dies) > 0.0


@pytest.mark.parametrize("sentence", [
    "The council approved a new crane, which will cost 4.2 million euros.",
    "The contract is worth 300bn yen over ten years.",
    "The club paid £12 million for the striker.",
    "The bridge repairs will cost 85 million pounds.",
])
def test_an_amount_with_its_currency_answers_how_much(sentence: str) -> None:
    from newsqa.rag.answer_type import answer_type_score
    from newsqa.rag.terms import key_terms

    q = Question.parse("How much will it cost?")
    assert q.money
    assert answer_type_score(q, key_terms(sentence), sentence) == 1.0


def test_a_bare_number_is_a_weaker_answer_to_how_much() -> None:
    from newsqa.rag.answer_type import answer_type_score
    from newsqa.rag.terms import key_terms

    q = Question.parse("How much will it cost?")
    bare = "The council approved 4 new cranes and 12 million more visitors are expected."
    assert answer_type_score(q, key_terms(bare), bare) == 0.4
