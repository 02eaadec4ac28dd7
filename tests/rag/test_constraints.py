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
    ("Who won the women's singles title in 2019?",
     "Novak Djokovic won the men's singles title in 2019.",
     "Simona Halep won the women's singles title in 2019."),
    ("Who won the men's doubles final?",
     "The Bryan brothers reached the men's singles semi-finals.",
     "Mektic and Pavic won the men's doubles final."),
    ("Who was the runner-up of the 2010 World Cup?",
     "World Cup 2010 winner - Spain.",
     "The Netherlands were runners-up at the 2010 World Cup."),
    ("Who was named the 2021 National Teacher of the Year?",
     "Lori Kwee was named the 2021 Hawaii State Teacher of the Year.",
     "Juliana Urtubey was named the 2021 National Teacher of the Year."),
    ("Who won gold in the Winter Olympics downhill?",
     "Smith won the Summer Olympics marathon.",
     "Feuz won the downhill at the Winter Olympics."),
    ("Who is the new CEO of Fidelity Investments?",
     "Edward Johnson II, the founder of Fidelity Investments.",
     "Abigail Johnson, chairman and CEO of Fidelity Investments, spoke on Monday."),
    ("Who is the founder of WhatsApp?",
     "WhatsApp chief executive Will Cathcart announced the feature.",
     "Jan Koum, a founder of WhatsApp, left Facebook in 2018."),
])
def test_exclusive_qualifiers(question: str, trap: str, answer: str) -> None:
    assert broken(question, trap)
    assert not broken(question, answer)


def test_a_qualifier_may_come_from_the_passage() -> None:
    q = "Who won the women's singles title?"
    passage = "Report from the men's final. Thiem won the title after five sets."
    assert broken(q, "Thiem won the title after five sets.", passage=passage)
    both = "Report from the men's and women's finals. Barty won the title."
    assert not broken(q, "Barty won the title.", passage=both)


@pytest.mark.parametrize("question,trap,answer", [
    ("Who is the president of FIFA?",
     "Sepp Blatter, the former president of FIFA, spoke to a Swiss newspaper.",
     "Gianni Infantino is the president of FIFA."),
    ("Who will be playing the role of Diana Prince in Wonder Woman 1984?",
     "Thirteen-year-old Lilly plays the young Diana Prince in Wonder Woman 1984.",
     "Gal Gadot will reprise her role as Diana Prince."),
    ("Who is the director of the Avatar movie?",
     "Titanic, for which he won an Oscar for best director, and Avatar.",
     "Avatar director James Cameron spoke about the sequel."),
    ("Who is the director of Bohemian Rhapsody?",
     "Bohemian Rhapsody video director Bruce Gowers died.",
     "Bohemian Rhapsody director Bryan Singer was fired."),
    ("Who is the chief executive of the bank?",
     "Jane Roe, the deputy chief executive of the bank, resigned.",
     "John Doe, chief executive of the bank, resigned."),
])
def test_restricting_modifiers(question: str, trap: str, answer: str) -> None:
    assert broken(question, trap)
    assert not broken(question, answer)


def test_a_modifier_the_question_has_is_fine() -> None:
    assert not broken("Who is the former president of FIFA?", "Sepp Blatter, the former president of FIFA.")
    # used once restricted and once plain: the plain use may be the answer
    assert not broken("Who is the president of FIFA?",
                      "The former president of FIFA praised Infantino, the president of FIFA.")


# -- speaker and topic of "what did X say" ----------------------------------------------------------

def test_the_speaker_must_be_the_one_speaking() -> None:
    q = "What did Xi Jinping say about the war?"
    trap = ("Kremlin spokesman Yury Ushakov stated that in a call with Chinese President Xi Jinping, "
            "Putin had confirmed the offer to mediate the war.")
    assert "said by someone else" in broken(q, trap)
    assert not broken(q, "Xi Jinping said the war must end soon.")
    assert not broken(q, "“The war must end,” Xi Jinping said on Friday.")


def test_a_role_speaker_needs_all_its_words() -> None:
    q = "What did the president of Iran say about the talks?"
    assert broken(q, "Russian President Vladimir Putin said the talks were useful.")
    assert not broken(q, "The president of Iran said the talks were useful.")


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


def test_he_said_and_continued_quotations_take_the_speaker_from_before() -> None:
    sp = parse_constraints("What did Zakharova say about the talks?").speaker
    assert sp is not None
    before = "Foreign Ministry spokeswoman Maria Zakharova warned Washington."
    assert spoken_by(sp, "She said: “The talks must go on.”", before)
    assert not spoken_by(sp, "He said: “The talks must go on.”", "Peskov praised the talks.")
    opened = "She said: “We warn Washington against intervention…"
    assert spoken_by(sp, "The priority today is a ceasefire.", f"{before} {opened}")
    # no quotation open and no speech verb: nobody is reported speaking
    assert not spoken_by(sp, "The priority today is a ceasefire.", before + " The talks ended.")


def test_about_needs_the_topic_and_knows_initials() -> None:
    q = "What did Peskov say about Benjamin Netanyahu?"
    assert "not about benjamin netanyahu" in broken(q, "Peskov said the talks with Trump were useful.")
    assert not broken(q, "Peskov said Netanyahu had called Putin.")
    q = "What did Putin say about the United States?"
    assert not broken(q, "Putin said Russia is in constant contact with the US president.")


def test_words_match_through_inflection_and_typos() -> None:
    assert same_word("definite", "definitive") and same_word("specialist", "specialists")
    assert not same_word("international", "internet") and not same_word("state", "statement")


# -- question analysis ---------------------------------------------------------------------------

def test_the_leading_question_word_decides_the_kind() -> None:
    assert question_kind("What did Trump say he told Putin when Putin offered to help?") == "entity"
    assert question_kind("According to Trump, how does the toll compare with reported figures?") == "other"
    assert question_kind("In which year was the forum held?") == "date"
    assert question_kind("What did the president of Iran say?") == "entity"
    assert question_kind("Which UAE president did Putin call?") == "person"
    assert wanted_unit("In which year was the forum held?") == "year"
    assert wanted_unit("On which day did he speak?") == "day"
    assert wanted_unit("What is the release date of the game?") == "date"
    assert head_noun("In which of his terms did Trump withdraw?") == "term"
    assert head_noun("What did Putin say?") == ""


def test_what_someone_said_is_answered_by_a_statement_not_a_name() -> None:
    q = Question.parse("What did Putin call on all parties to do?")
    assert q.kind == "other" and q.constraints is not None and q.constraints.says
    assert "putin" not in q.words and "call" not in q.words  # checked as the speaker, not matched


def test_compound_questions_split_into_parts() -> None:
    # the rule path reads the same parts the learned path answers one by one (query.question_parts)
    def parts(text: str) -> list[str]:
        return Question.parse(text).parts

    assert parts("Which UAE leader and which Chinese leader did Putin tell about it?") == [
        "Which UAE leader did Putin tell about it?", "Which Chinese leader did Putin tell about it?"]
    assert parts("At which forum did Putin speak, and who warned the US?") == [
        "At which forum did Putin speak?", "Who warned the US?"]
    # a first part with a verb of its own keeps it: no "Who opened the bridge did it close?"
    assert parts("Who opened the bridge and when did it close?") == [
        "Who opened the bridge?", "When did it close?"]
    assert parts("Who won in 2019?") == []


def test_carried_names_are_context_not_the_question() -> None:
    assert split_carried("Where are his specialists working? (Vladimir Putin, Iran)") == (
        "Where are his specialists working?", ["Vladimir Putin", "Iran"])
    assert split_carried("What is the release date of God of War (2018)?")[1] == []
    q = Question.parse("Where are his specialists working? (Vladimir Putin, Iran)")
    assert q.own == "Where are his specialists working?" and q.kind == "place"
    assert {"putin", "iran"} <= q.context and not q.name_tokens
    # "he" in a what-did-he-say follow-up is the carried person
    q = Question.parse("What did he say about Trump? (Dmitry Peskov, Putin)")
    assert q.constraints is not None and q.constraints.speaker is not None
    assert "peskov" in q.constraints.speaker.names


# -- end to end through the extractive backend and the refusal rule ---------------------------------


def answer_and_decide(question: str, ps: list[Passage], scorer: SupportScorer):
    sents = ExtractiveBackend(scorer).answer(question, ps)
    return sents, RefusalPolicy().decide(question, sents, ps, scorer)


@pytest.mark.parametrize("question,trap,answer,name", [
    ("Who is the president of FIFA?",
     "Sepp Blatter, the former president of FIFA, told a Swiss newspaper about the 2010 vote.",
     "Gianni Infantino is the president of FIFA and was re-elected unopposed.", "Infantino"),
    ("Who won the women's singles title at Wimbledon in 2019?",
     "Novak Djokovic won the men's singles title at Wimbledon in 2019.",
     "Simona Halep won the women's singles title at Wimbledon in 2019.", "Halep"),
    ("Who was named the 2021 National Teacher of the Year?",
     "Lori Kwee was named the 2021 Hawaii State Teacher of the Year by the department.",
     "Juliana Urtubey was named the 2021 National Teacher of the Year by the council.", "Urtubey"),
])
def test_traps_are_refused_alone_and_lose_to_the_answer(question: str, trap: str, answer: str, name: str,
                                                        scorer: SupportScorer) -> None:
    sents, d = answer_and_decide(question, passages(trap), scorer)
    assert d.refuse and "near miss" in d.reason, (d.reason, [s.text for s in sents])
    sents, d = answer_and_decide(question, passages(trap, answer), scorer)
    assert not d.refuse, d.reason
    assert name in sents[0].text


def test_what_someone_else_said_is_refused(scorer: SupportScorer) -> None:
    ps = passages("Kremlin spokesman Yury Ushakov stated that in a call with Chinese President Xi Jinping, "
                  "Putin had confirmed Russia's readiness to mediate between Israel and Iran.")
    _, d = answer_and_decide("What did Xi Jinping say about the war between Israel and Iran?", ps, scorer)
    assert d.refuse


def test_she_said_at_a_chunk_start_brings_the_sentence_naming_her(scorer: SupportScorer) -> None:
    first = "The ministry spoke on Friday. Spokeswoman Maria Zakharova warned America off getting involved."
    second = "She said: “We warn Washington against military intervention in the situation.”"
    ps = [Passage(n=1, chunk=Chunk(id="c1", article_id="a", ordinal=0, text=first, char_start=0,
                                   char_end=len(first)), score=1.0),
          Passage(n=2, chunk=Chunk(id="c2", article_id="a", ordinal=1, text=second,
                                   char_start=len(first) + 1, char_end=len(first) + 1 + len(second)),
                  score=0.9)]
    sents, d = answer_and_decide("Who warned Washington against military intervention?", ps, scorer)
    texts = [s.text for s in sents]
    assert "Zakharova" in texts[0] and texts[1].startswith("She said") and sents[0].citations == [1]
    assert not d.refuse, d.reason


def test_a_compound_question_gets_a_sentence_per_part(scorer: SupportScorer) -> None:
    ps = passages("Putin told UAE President Mohammed bin Zayed that Russia was ready to mediate.",
                  "The weather in Moscow was mild all week.",
                  "Putin told Chinese President Xi Jinping by phone that Russia was ready to mediate.")
    sents, d = answer_and_decide(
        "Which UAE leader and which Chinese leader did Putin tell about Russia's readiness to mediate?",
        ps, scorer)
    text = " ".join(s.text for s in sents)
    assert "Mohammed bin Zayed" in text and "Xi Jinping" in text
    assert not d.refuse, d.reason


def test_a_follow_up_is_answered_by_its_own_words_not_the_carried_names(scorer: SupportScorer) -> None:
    ps = passages(
        "Putin said Israel and Iran should talk, and Putin offered to mediate between Israel and Iran.",
        "Our specialists are working in Bushehr, and we are not leaving, Putin said.",
    )
    sents, d = answer_and_decide("Where are his specialists working? (Putin, Israel, Iran)", ps, scorer)
    assert sents[0].text.startswith("Our specialists are working in Bushehr")
    assert not d.refuse, d.reason


def test_when_a_release_happened_asks_for_a_day_but_a_founding_year_will_do() -> None:
    from newsqa.rag.answer_type import answer_type_score
    from newsqa.rag.terms import key_terms

    released = Question.parse("When was Starfield released?")
    assert released.unit == "date" and Question.parse("When does the show premiere?").unit == "date"
    founded = Question.parse("When was Snapfish founded?")
    assert founded.unit == ""
    vague = "In early 2023, Bethesda released Starfield."
    day = "Bethesda released Starfield on September 6, 2023."
    assert answer_type_score(released, key_terms(vague), vague) == 0.0
    assert answer_type_score(released, key_terms(day), day) == 1.0
    year = "Snapfish was founded in 1999."
    assert answer_type_score(founded, key_terms(year), year) > 0.0


def test_a_bracketed_title_year_names_the_release_of_that_year() -> None:
    from newsqa.rag.answer_type import answer_type_score
    from newsqa.rag.terms import key_terms

    q = Question.parse("What is the release date of Starfield (2023)?")
    assert q.title_year == "2023" and Question.parse("When was Starfield released?").title_year == ""
    port = "Starfield (2023) is coming to PlayStation 5 on April 7, 2026."
    first = "Starfield was released for Xbox Series X on September 6, 2023."
    assert answer_type_score(q, key_terms(port), port) == 0.0
    assert answer_type_score(q, key_terms(first), first) == 1.0
    # not a release question: the bracketed year does not constrain other dates
    other = Question.parse("When did the director of Starfield (2023) die?")
    dies = "He died on May 2, 2025."
    assert answer_type_score(other, key_terms(dies), dies) > 0.0
