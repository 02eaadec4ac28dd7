"""The short answer to a statement question (rag/reported.py): what the quoted sentence reports,
read from the real spaCy parse of sentences of our own."""

from __future__ import annotations

import pytest

from newsqa.rag.query import analyse
from newsqa.rag.reported import statement_short_answer
from newsqa.rag.sentences import Candidate


def _short(question: str, *sentences: str):
    """The short answer over `sentences`, each quoted from passage 1 at offset 100 + 1000 * place."""
    cands = [Candidate(n=1, rank=0, span=(100 + 1000 * i, 100 + 1000 * i + len(s)), text=s, index=i)
             for i, s in enumerate(sentences)]
    return statement_short_answer(analyse(question), cands)


@pytest.mark.parametrize("question, sentence, reported", [
    # the clause after "said that", and the clause a trailing "..., X said" reports
    ("What did the mayor say about the bridge?", "Mayor Ilse Varga said that the bridge would reopen in May.",
     "the bridge would reopen in May"),
    ("What did the mayor say about the bridge?", "The bridge will reopen in May after repairs, the mayor said on Tuesday.",
     "The bridge will reopen in May after repairs"),
    # a quotation, without its quotation marks and comma
    ("What did Varga say about the strike?", "“We will not give in,” Varga said of the strike.", "We will not give in"),
    # a description: what follows "as", the complement of "call"
    ("How did the minister describe the talks?", "The minister described the talks as frank and constructive.",
     "frank and constructive"),
    ("How did the union describe the offer?", "The union called the offer an insult to its members.",
     "an insult to its members"),
    # how something was described: what the reported clause says it is
    ("How did the minister describe the talks?", "The minister said the talks were constructive and frank.",
     "constructive and frank"),
    ("How did the mayor describe the plan?",
     "“We reject the plan, which would be a disaster for the harbour,” the mayor said.",
     "a disaster for the harbour"),
    # an appeal's infinitive, a confirmation's object
    ("What did the council urge residents to do?", "The council urged residents to boil their drinking water.",
     "boil their drinking water"),
    ("What did the company confirm?", "The company confirmed the closure of its Westhaven plant.",
     "the closure of its Westhaven plant"),
])
def test_the_reported_content_is_the_short_answer(question: str, sentence: str, reported: str) -> None:
    sa = _short(question, sentence)
    assert sa is not None and sa.text == reported
    assert sentence[sa.start - 100:sa.end - 100] == reported and sa.n == 1


def test_a_sentence_that_reports_nothing_gives_none() -> None:
    assert _short("What did Varga say about the strike?", "The strike began on Monday.") is None
    # "said it" reports a pronoun; "said so" nothing the question does not already say
    assert _short("What did Varga say about the strike?", "Varga said it.") is None


def test_the_person_a_statement_is_about_is_not_what_was_said() -> None:
    sa = _short("What did Varga say about Quist?",
                "Varga praised Mayor Ada Quist for the new bridge, saying: “She kept every promise she made.”")
    assert sa is not None and sa.text == "She kept every promise she made"


def test_the_questions_speaker_comes_before_an_earlier_sentence_by_someone_else() -> None:
    sa = _short("What did Varga say about the budget?",
                "Officials said the budget was tight.", "Varga said the budget would cover the repairs.")
    assert sa is not None and sa.text == "the budget would cover the repairs" and sa.start == 1100 + len("Varga said ")


def test_the_first_reporting_sentence_when_no_speaker_is_named() -> None:
    sa = _short("What did officials say about the budget?",
                "The budget vote was delayed.", "Officials said the budget was tight.",
                "The treasurer said the budget would grow.")
    assert sa is not None and sa.text == "the budget was tight"


def test_reported_content_too_long_to_be_short_gives_none() -> None:
    long_clause = " and ".join(f"the {w} would reopen" for w in
                               ("bridge", "ferry", "school", "library", "pool", "station", "museum", "market"))
    assert _short("What did the mayor say about the town?", f"The mayor said {long_clause}.") is None


def test_a_description_comes_before_an_earlier_statement_for_a_how_described_question() -> None:
    sa = _short("How did Varga describe the strike?",
                "Varga warned the union against a walkout.", "She said the strike was a reckless gamble.")
    assert sa is not None and sa.text == "a reckless gamble"


def test_she_after_a_sentence_that_names_the_speaker_is_the_speaker() -> None:
    # the description by someone else in the first sentence gives way to the speaker's own
    sa = _short("How did Varga describe the strike?",
                "Mayor Ilse Varga spoke after what local papers called a lockout.",
                "She said the strike was a reckless gamble.")
    assert sa is not None and sa.text == "a reckless gamble"


def test_a_statement_someone_else_is_named_as_making_comes_last() -> None:
    sa = _short("What did Varga tell the council about the bridge?",
                "Councillor Ivo Brandt said the bridge budget was too small.",
                "“I told them the bridge would open in May,” she recalled.")
    assert sa is not None and sa.text == "the bridge would open in May"


def test_a_participle_reports_what_its_clauses_subject_said() -> None:
    # "saying" has no subject of its own: Varga is the one saying, so hers comes first even when
    # another person's statement is quoted before it
    short = _short("What did Varga say about Tomas Lind?",
                   "Another councillor said Tomas Lind was too slow.",
                   "Varga praised Tomas Lind, saying the service would resume in June.")
    assert short is not None and short.text == "the service would resume in June"


def test_another_persons_statement_does_not_answer_a_question_that_names_the_speaker() -> None:
    assert _short("What did Varga say about the bridge?",
                  "Councillor Ivo Brandt said the bridge budget was too small.") is None
    # without a speaker in the question, it is what was said
    sa = _short("What was said about the bridge?", "Councillor Ivo Brandt said the bridge budget was too small.")
    assert sa is not None and sa.text == "the bridge budget was too small"


def test_a_name_as_the_object_is_whom_it_was_said_to_not_what() -> None:
    assert _short("What did Varga do?", "Varga warned Brandt.") is None
    sa = _short("What did Varga confirm?", "Varga confirmed the closure of the bridge.")
    assert sa is not None and sa.text == "the closure of the bridge"


def test_he_said_reads_whom_the_sentence_before_it_in_its_passage_names() -> None:
    """With the passages, "He said" after a sentence whose subject is another person is that
    person's statement, though the quoted sentence before it names the speaker."""
    from rag_helpers import passages

    text = ("Mayor Ilse Varga opened the new bridge on Monday. "
            "Councillor Ivo Brandt criticised the cost of the project. "
            "He said the money should have gone to schools. "
            "Varga said the bridge would cut journeys by ten minutes.")
    ps = passages(text)

    def cand(sentence: str, index: int) -> Candidate:
        a = text.index(sentence)
        return Candidate(n=1, rank=0, span=(a, a + len(sentence)), text=sentence, index=index)

    q = analyse("What did Varga say?")
    opened, he_said, hers = (cand("Mayor Ilse Varga opened the new bridge on Monday.", 0),
                             cand("He said the money should have gone to schools.", 2),
                             cand("Varga said the bridge would cut journeys by ten minutes.", 3))
    sa = statement_short_answer(q, [opened, he_said, hers], ps)
    assert sa is not None and sa.text == "the bridge would cut journeys by ten minutes"
    assert statement_short_answer(q, [opened, he_said], ps) is None


def test_call_on_asks_for_the_appeal_not_for_a_description() -> None:
    sa = _short("What did the mayor call on residents to do?",
                "The mayor called on residents to boil their drinking water.")
    assert sa is not None and sa.text == "boil their drinking water"
    # "How did the mayor call the plan?" still asks what it was called
    sa = _short("What did the mayor call the plan?", "The mayor called the plan a disaster for the harbour.")
    assert sa is not None and sa.text == "a disaster for the harbour"


def test_of_two_statements_in_a_sentence_the_one_made_with_the_questions_verb() -> None:
    sentence = "Varga reiterated her support for the ferry, while urging the council to fund a second boat."
    sa = _short("What did Varga urge the council to do?", sentence)
    assert sa is not None and sa.text == "fund a second boat"
    sa = _short("What did Varga reiterate?", sentence)
    assert sa is not None and sa.text == "her support for the ferry"


def test_he_said_after_a_sentence_where_the_speaker_is_only_a_possessor_is_not_the_speakers() -> None:
    """"Varga's spokesman, Ivo Brandt, ..." is Brandt acting: "He said" after it is his."""
    from rag_helpers import passages

    def short(first: str, second: str):
        text = f"{first} {second}"
        a = text.index(second)
        cand = Candidate(n=1, rank=0, span=(a, a + len(second)), text=second, index=1)
        return statement_short_answer(analyse("What did Varga say?"), [cand], passages(text))

    assert short("Varga's spokesman, Ivo Brandt, defended the budget.",
                 "He said the repairs would be paid for by the port.") is None
    sa = short("Varga defended the budget on Monday.", "She said the repairs would be paid for by the port.")
    assert sa is not None and sa.text == "the repairs would be paid for by the port"


def test_a_quotation_s_sentence_without_a_reporting_verb_is_its_speakers_statement() -> None:
    """'"... ," Varga told reporters. "We will keep the ferry."': the second quotation holds no
    reporting verb of its own; its words are Varga's statement, and another person's are not."""
    from rag_helpers import passages

    def short(text: str, sentence: str, question: str = "What did Varga say about the ferry?"):
        a = text.index(sentence)
        cand = Candidate(n=1, rank=0, span=(a, a + len(sentence)), text=sentence, index=1)
        return statement_short_answer(analyse(question), [cand], passages(text))

    hers = ('"The council has no money for a new pier," Ilse Varga told reporters on Monday. '
            '"We will keep the old ferry running until 2030."')
    sa = short(hers, '"We will keep the old ferry running until 2030."')
    assert sa is not None and sa.text == "We will keep the old ferry running until 2030"
    assert hers[sa.start:sa.end] == sa.text  # offsets in the passage
    his = ('"The council has no money for a new pier," Ivo Brandt told reporters on Monday. '
           '"We will keep the old ferry running until 2030."')
    assert short(his, '"We will keep the old ferry running until 2030."') is None
    # a sentence outside any quotation is no statement without a reporting verb
    plain = "Ilse Varga met the harbour board on Monday. The old ferry will run until 2030."
    assert short(plain, "The old ferry will run until 2030.") is None


def test_she_said_opening_a_quotation_is_read_against_the_sentence_before_it() -> None:
    """'Varga ... . She said: "... . <sentence>"': the quotation's later sentence is Varga's, the
    "she" of its opening read against the sentence before it; after a sentence naming another
    person it is not."""
    from rag_helpers import passages

    def short(first: str) -> object:
        text = (f"{first} She said: \"We cannot pay for a new pier this year. "
                "The priority now is to keep the old ferry running.\"")
        sentence = "The priority now is to keep the old ferry running.\""
        a = text.index(sentence)
        cand = Candidate(n=1, rank=0, span=(a, a + len(sentence)), text=sentence, index=2)
        return statement_short_answer(analyse("What did Varga say is the priority now?"), [cand], passages(text))

    sa = short("Mayor Ilse Varga spoke to the harbour board on Monday.")
    assert sa is not None and sa.text == "The priority now is to keep the old ferry running"
    assert short("Councillor Ivo Brandt spoke to the harbour board on Monday.") is None
