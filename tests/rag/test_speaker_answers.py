"""A statement question that names its speaker is answered by that speaker's own statement about
what it asks (refusal.speaker_answers), whatever the answerability model makes of its words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsqa.rag.query import analyse
from newsqa.rag.ranker import load_model
from newsqa.rag.refusal import decide, speaker_answers
from newsqa.rag.reported import asked_about, speaker_statement
from newsqa.rag.types import Sentence
from rag_helpers import passages

PIER = ("The harbour board approved the new pier at Calder Bay on Monday after two years of delays. "
        "Work will start in March. "
        "\"It has taken far too long, but the town finally gets the berth it needs,\" said the "
        "harbour master, Ines Vidal. "
        "Ferries from Orsk will use it from June. "
        "The board also raised mooring fees by 4 percent. "
        "Fishing crews said the fees would hurt small boats.")
TITLE = "Calder Bay gets its new pier"


def _cited(ps, sentence: str, n: int = 1) -> Sentence:
    text = ps[n - 1].chunk.text
    a = text.index(sentence)
    return Sentence(sentence, [n], 0.9, True, {n: (a, a + len(sentence))})


def _quote(text: str) -> str:
    return text[text.index("\"It has"):text.index("Vidal.") + len("Vidal.")]


def test_what_the_question_asks_about_leaves_out_the_speaker_and_the_verb() -> None:
    assert asked_about(analyse("What did the harbour master, Ines Vidal, say about the new pier?")) == ["new", "pier"]
    assert asked_about(analyse("What did Calder manager Tomas Reyes say about the red card?")) == ["red", "card"]
    assert asked_about(analyse("What did Ines Vidal say?")) == []


def test_the_speakers_statement_by_name_or_by_pronoun_after_her_name() -> None:
    q = analyse("What did Ines Vidal say about the pier?")
    own = "\"It is the berth we need,\" said the harbour master, Ines Vidal."
    other = "\"It is the berth we need,\" said the mayor, Tomas Reyes."
    assert speaker_statement(q, [(other, "", "", True), (own, "", "", True)]) == 1
    assert speaker_statement(q, [(other, "", "", True)]) is None
    she = "She said the berth would take the largest ferries."
    assert speaker_statement(q, [(she, "Ines Vidal runs the harbour.", "", False)]) == 0
    assert speaker_statement(q, [(she, "Tomas Reyes runs the town.", "", False)]) is None
    assert speaker_statement(analyse("What did the board decide?"), [(own, "", "", True)]) is None


def test_a_quotation_attributed_in_the_next_sentence_is_the_speakers() -> None:
    q = analyse("What did Ines Vidal say about the pier?")
    first = "\"We waited two years for this."
    attributed = "Now the town gets the berth it needs,\" said Ines Vidal."
    assert speaker_statement(q, [(first, "", attributed, True)]) == 0
    # ... but not when it is not quoted speech, or names someone else as saying it
    assert speaker_statement(q, [("The pier opens in May.", "", attributed, False)]) is None
    theirs = "\"We waited two years for this,\" said Tomas Reyes."
    assert speaker_statement(q, [(theirs, "", attributed, True)]) is None


def test_the_speakers_statement_in_a_passage_on_the_topic_answers() -> None:
    ps = passages(PIER, titles=(TITLE,))
    quote = _cited(ps, _quote(PIER))
    assert speaker_answers(analyse("What did Ines Vidal say about the new pier?"), [quote], ps)
    assert speaker_answers(analyse("What did harbour master Ines Vidal say?"), [quote], ps)
    # the topic held by the passage but far from the statement and not in the title
    assert not speaker_answers(analyse("What did Ines Vidal say about the mooring fees?"), [quote], ps)
    # ... or not in the passage at all
    assert not speaker_answers(analyse("What did Ines Vidal say about the ferry strike?"), [quote], ps)
    # another speaker's statement, and a question that is not about a statement
    assert not speaker_answers(analyse("What did Tomas Reyes say about the new pier?"), [quote], ps)
    assert not speaker_answers(analyse("Who approved the new pier?"), [quote], ps)


def test_only_the_first_sentences_of_the_answer_count() -> None:
    ps = passages(PIER, titles=(TITLE,))
    q = analyse("What did Ines Vidal say about the new pier?")
    lead = _cited(ps, "Work will start in March.")
    fees = _cited(ps, "The board also raised mooring fees by 4 percent.")
    assert speaker_answers(q, [lead, _cited(ps, _quote(PIER))], ps)
    assert not speaker_answers(q, [lead, fees, _cited(ps, _quote(PIER))], ps)


@pytest.mark.parametrize("question, answered", [
    ("What did Ines Vidal say about the new pier?", True),
    ("What did Ines Vidal say about the ferry strike?", False),
])
def test_decide_answers_the_speakers_statement_below_the_threshold(scorer, question: str, answered: bool) -> None:
    """With a threshold no probability reaches, only the speaker's statement is answered."""
    ps = passages(PIER, titles=(TITLE,))
    strict = replace(load_model(), threshold=1.01, min_names=0.0)
    q = analyse(question)
    d = decide(q, [], [_cited(ps, _quote(PIER))], ps, None, strict)
    assert d.refuse is not answered
    assert decide(analyse("Who approved the new pier?"), [], [_cited(ps, PIER.split(". ")[0] + ".")],
                  ps, None, strict).refuse


SPOKE = ("Mayor Tomas Reyes opened the pier on Monday. "
         "He said the town had waited long enough. "
         "Ines Vidal, the harbour master, said the berth would take the largest ferries. "
         "\"It is a good day,\" she said.")


def _cands(ps, *sentences: str):
    from newsqa.rag.sentences import Candidate

    text = ps[0].chunk.text
    out = []
    for i, s in enumerate(sentences):
        a = text.index(s)
        out.append(Candidate(n=1, rank=0, span=(a, a + len(s)), text=s, index=i, citations=[1]))
    return out


def test_a_question_about_what_the_speaker_said_leads_with_her_statement() -> None:
    from newsqa.rag.reported import SpeakerReading, speaker_first

    ps = passages(SPOKE)
    reyes, hers = _cands(ps, "He said the town had waited long enough.",
                         "Ines Vidal, the harbour master, said the berth would take the largest ferries.")
    read = SpeakerReading(analyse("What did Ines Vidal say?"), ps)
    assert speaker_first(read, [reyes], [reyes, hers], 3) == [hers, reyes]
    assert speaker_first(read, [reyes, hers], [reyes, hers], 2) == [hers, reyes]
    # her own statement first already, or none of hers among the ranked: as chosen
    assert speaker_first(read, [hers, reyes], [hers, reyes], 3) == [hers, reyes]
    assert speaker_first(read, [reyes], [reyes], 3) == [reyes]
    # a question that asks about something: the ranking weighs it, so the choice stands
    about = SpeakerReading(analyse("What did Ines Vidal say about the town?"), ps)
    assert speaker_first(about, [reyes], [reyes, hers], 3) == [reyes]


def test_the_speakers_quotation_after_her_statement_follows_it() -> None:
    from newsqa.rag.evidence import evidence_spans
    from newsqa.rag.reported import SpeakerReading, speaker_continued
    from newsqa.rag.sentences import Candidate

    text = ("Board member Ada Quist said she backed the plan but worried about its cost. "
            "\"We are making a promise we may not be able to keep,\" she said. "
            "Parents at the meeting largely backed it.")
    ps = passages(text)
    spans = evidence_spans(text)

    def cand(k: int) -> Candidate:
        a, b = spans[k]
        return Candidate(n=1, rank=0, span=(a, b), text=text[a:b], index=k, citations=[1])

    read = SpeakerReading(analyse("What did Ada Quist say about the plan?"), ps)
    got = speaker_continued(read, [cand(0)], 3)
    assert [c.index for c in got] == [0, 1] and got[1].text.startswith("\"We are making a promise")
    assert [c.index for c in speaker_continued(read, [cand(0), cand(1)], 3)] == [0, 1]
    # the sentence after is someone else's, or the first is not hers: as chosen
    assert [c.index for c in speaker_continued(read, [cand(1)], 3)] == [1]
    other = SpeakerReading(analyse("What did Tomas Reyes say about the plan?"), ps)
    assert [c.index for c in speaker_continued(other, [cand(0)], 3)] == [0]


def test_a_speaker_named_by_role_and_place_is_the_one_the_passage_reports_by_role() -> None:
    from newsqa.rag.reported import read_in_passage

    q = analyse("What did the mayor of Calder Bay say about the pier?")
    assert q.speaker_role == "mayor"
    text = ("CALDER BAY - The harbour board approved the new pier on Monday. "
            "\"It is the berth we need,\" said the town's mayor, Tomas Reyes.")
    elsewhere = text.replace("CALDER BAY", "ORSK")
    sentence = "\"It is the berth we need,\" said the town's mayor, Tomas Reyes."
    assert speaker_statement(q, [read_in_passage(sentence, text, text.index(sentence), q)]) == 0
    # a passage that does not name the place: another town's mayor
    assert speaker_statement(q, [read_in_passage(sentence, elsewhere, elsewhere.index(sentence), q)]) is None
    assert analyse("What did Tomas Reyes say about the pier?").speaker_role == ""


# a quotation of three sentences attributed once, after it, to "he": the sentence before the
# quotation names him by the role the passage titles him with
HARBOUR = ("Harbour Master Tomas Reyes of Calder Bay met the ferry companies on Monday. "
           "Orsk Mayor Ines Vidal had asked for the meeting. "
           "The Calder Bay harbour master said the berth would be ready in June. "
           "\"We have dredged the channel. The new cranes arrive in May. Nobody will wait at sea "
           "again,\" he told reporters. "
           "The mayor said the ferries would return.")


def _read(q, sentence: str, text: str = HARBOUR):
    from newsqa.rag.reported import read_in_passage

    return read_in_passage(sentence, text, text.index(sentence), q)


def test_a_quotation_of_several_sentences_is_the_speakers_when_its_attribution_names_him() -> None:
    q = analyse("What did Tomas Reyes say about the cranes?")
    middle = "The new cranes arrive in May."
    read = _read(q, middle)
    assert read.closing.endswith("he told reporters.") and read.before_opening.startswith("The Calder Bay")
    # every sentence of the quotation: the first, the middle one and the one that closes it
    for sentence in ("\"We have dredged the channel.", middle):
        assert speaker_statement(q, [_read(q, sentence)]) == 0
    # someone else's quotation: the attribution's "he" is not hers
    assert speaker_statement(analyse("What did Ines Vidal say about the cranes?"), [_read(q, middle)]) is None


def test_a_role_means_the_speaker_only_when_it_fits_no_one_else_the_passage_titles() -> None:
    from newsqa.rag.reported import read_in_passage

    q = analyse("What did Tomas Reyes say about the cranes?")
    # a harbour master of another place before the quotation: not him
    other = HARBOUR.replace("The Calder Bay harbour master said", "The Orsk harbour master said")
    assert speaker_statement(q, [_read(q, "The new cranes arrive in May.", other)]) is None
    # "the mayor" is the one mayor the passage titles
    ines = analyse("What did Ines Vidal say about the ferries?")
    last = "The mayor said the ferries would return."
    assert speaker_statement(ines, [_read(ines, last)]) == 0
    # with two mayors titled, "the mayor" alone means neither
    two = HARBOUR.replace("Harbour Master Tomas Reyes", "Mayor Tomas Reyes")
    assert speaker_statement(ines, [read_in_passage(last, two, two.index(last), ines)]) is None


def test_the_short_answer_of_a_quotations_middle_sentence_is_its_words() -> None:
    from newsqa.rag.reported import statement_short_answer
    from newsqa.rag.sentences import Candidate

    ps = passages(HARBOUR, titles=("Calder Bay gets new cranes",))
    middle = "The new cranes arrive in May."
    a = HARBOUR.index(middle)
    c = Candidate(n=1, rank=0, span=(a, a + len(middle)), text=middle, index=4, citations=[1])
    got = statement_short_answer(analyse("What did Tomas Reyes say about the cranes?"), [c], ps)
    assert got is not None and got.text == "The new cranes arrive in May"
    assert statement_short_answer(analyse("What did Ines Vidal say about the cranes?"), [c], ps) is None
