"""The extractive backend: picks the answer-bearing sentence, cites and highlights it."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsqa.index.embed import HashingEmbedder
from newsqa.rag.backends.quote import quoted_sentence
from newsqa.rag.backends.extractive import ExtractiveBackend
from newsqa.rag.question import question_kind
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import REFUSAL_TEXT
from rag_helpers import passages

WIMBLEDON = [
    "Angelique Kerber won the 2018 Wimbledon women's singles title, beating Serena Williams in the final.",
    "Simona Halep won the women's singles at Wimbledon in 2019. She defeated Serena Williams in the final.",
    "Wimbledon 2021: Ashleigh Barty won the women's singles title against Karolina Pliskova.",
    "Wimbledon is the oldest tennis tournament in the world and is played on grass in London.",
]


@pytest.fixture
def backend() -> ExtractiveBackend:
    return ExtractiveBackend(SupportScorer(HashingEmbedder()))


def test_question_kinds() -> None:
    assert question_kind("Who won Wimbledon in 2019?") == "person"
    assert question_kind("When was Splatoon 2 released?") == "date"
    assert question_kind("What is the release date of the game?") == "date"
    assert question_kind("How many people attended?") == "number"
    assert question_kind("What was Tesla's revenue in Q1 2021?") == "number"
    assert question_kind("Where will the final be played?") == "place"
    assert question_kind("Super Bowl 2021 location") == "place"
    assert question_kind("What is the name of the headset?") == "entity"
    assert question_kind("Why did it rain") == "other"


@pytest.mark.parametrize("year,name", [("2018", "Kerber"), ("2019", "Halep"), ("2021", "Barty")])
def test_the_year_of_the_question_decides(backend: ExtractiveBackend, year: str, name: str) -> None:
    ps = passages(*WIMBLEDON)
    out = backend.answer(f"Who won the women's singles Wimbledon in {year}?", ps)
    assert out, "no answer"
    assert name in out[0].text and year in out[0].text
    assert all(year in s.text or name in s.text for s in out)  # no sentence about another year


def test_sentence_citation_span_and_support(backend: ExtractiveBackend) -> None:
    ps = passages(*WIMBLEDON)
    out = backend.answer("Who won the women's singles Wimbledon in 2019?", ps)
    s = out[0]
    assert s.citations == [2]
    a, b = s.spans[2]
    assert ps[1].chunk.text[a:b] == s.text == "Simona Halep won the women's singles at Wimbledon in 2019."
    assert s.supported and s.support > 0.9


def test_answer_type_beats_topic(backend: ExtractiveBackend) -> None:
    ps = passages(
        "The new console game Splatoon 2 was a big hit with fans of the series.",
        "Splatoon 2 was released on July 21, 2017 for the Switch.",
        "Fans of Splatoon 2 sold 10 million copies of the game, Nintendo said.",
    )
    when = backend.answer("When was Splatoon 2 released?", ps)
    assert "July 21, 2017" in when[0].text
    many = backend.answer("How many copies of Splatoon 2 were sold?", ps)
    assert "10 million" in many[0].text


def test_who_prefers_a_name_the_question_lacks(backend: ExtractiveBackend) -> None:
    ps = passages(
        "The company WhatsApp was acquired in a landmark deal that surprised the industry.",
        "Facebook acquired WhatsApp in 2014 for $19 billion.",
    )
    out = backend.answer("Who acquired WhatsApp?", ps)
    assert out[0].text.startswith("Facebook")


def test_snippets_break_at_ellipses(backend: ExtractiveBackend) -> None:
    ps = passages("Jan 22, 2021 ... The final will be played in Tampa, Florida, at the stadium. Tickets ...")
    out = backend.answer("Where will the final be played?", ps)
    assert out[0].text == "The final will be played in Tampa, Florida, at the stadium."
    a, b = out[0].spans[1]
    assert ps[0].chunk.text[a:b] == out[0].text


def test_same_fact_twice_becomes_one_sentence_with_two_citations(backend: ExtractiveBackend) -> None:
    fact = "Ashleigh Barty won the 2021 Wimbledon women's singles title."
    ps = passages(fact, "Unrelated: the weather in London was mild. " + fact, WIMBLEDON[0])
    out = backend.answer("Who won the women's singles Wimbledon in 2021?", ps)
    assert out[0].text == fact
    assert sorted(out[0].citations) == [1, 2]
    assert set(out[0].spans) == {1, 2}
    assert sum(s.text == fact for s in out) == 1
    a, b = out[0].spans[2]
    assert ps[1].chunk.text[a:b] == fact  # the other passage is highlighted where it says it


def test_a_quoted_sentence_scores_exactly_one_against_its_own_passage(backend: ExtractiveBackend) -> None:
    # the backend skips scoring a sentence against the passage it was quoted from; this is why
    for text in WIMBLEDON[:3]:
        ps = passages(text)
        for s in backend.answer("Who won the women's singles Wimbledon?", ps):
            assert backend.scorer.score_many([s.text], [text])[0, 0] == pytest.approx(1.0)
            assert s.support == 1.0 and s.supported


def test_a_cited_duplicate_that_differs_in_a_number_is_dropped(backend: ExtractiveBackend) -> None:
    ps = passages("Halep won 6-2 6-2 in 56 minutes.", "Halep won 6-2 6-2 in 58 minutes.")
    out = quoted_sentence(backend.scorer, ps[0].chunk.text, [1, 2], {p.n: p for p in ps},
                          (1, (0, len(ps[0].chunk.text))), {2: (0, len(ps[1].chunk.text))})
    assert out.citations == [1] and out.support == 1.0


def test_pronoun_start_brings_the_previous_sentence(backend: ExtractiveBackend) -> None:
    ps = passages("Simona Halep reached the final at Wimbledon. She won the 2019 title on July 13, 2019.")
    out = backend.answer("When did Halep win the 2019 title?", ps)
    texts = [s.text for s in out]
    assert texts[:2] == ["Simona Halep reached the final at Wimbledon.",
                         "She won the 2019 title on July 13, 2019."]
    assert all(s.citations == [1] for s in out[:2])


def test_max_sentences(backend: ExtractiveBackend) -> None:
    one = ExtractiveBackend(backend.scorer, max_sentences=1)
    out = one.answer("Who won Wimbledon?", passages(*WIMBLEDON))
    assert len(out) == 1


def test_no_passages_or_question(backend: ExtractiveBackend) -> None:
    assert backend.answer("Who won?", []) == []
    assert backend.answer("  ", passages(*WIMBLEDON)) == []
    assert list(backend.stream("Who won?", [])) == [REFUSAL_TEXT, []]


def test_stream_yields_the_text_then_the_sentences(backend: ExtractiveBackend) -> None:
    ps = passages(*WIMBLEDON)
    items = list(backend.stream("Who won the women's singles Wimbledon in 2019?", ps))
    assert len(items) == 2  # the text once, then the sentences
    text, sentences = items
    assert isinstance(text, str) and text.startswith("Simona Halep won the women's singles at Wimbledon in 2019. [2]")
    assert sentences == backend.answer("Who won the women's singles Wimbledon in 2019?", ps)


# -- the real model on the bundled demo articles ----------------------------------------------------

@pytest.mark.slow
def test_demo_articles_mediation_question() -> None:
    from newsqa.index.embed import LocalEmbedder

    import newsqa

    demo = Path(newsqa.__file__).parent / "demo"
    texts = []
    for f in sorted(demo.glob("*.txt")):
        paras = [p for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
        # a chunk of a few paragraphs, as the index would store it
        texts += ["\n".join(paras[i:i + 3]) for i in range(0, len(paras), 3)]
    backend = ExtractiveBackend(SupportScorer(LocalEmbedder()))
    out = backend.answer("Who offered to mediate between Israel and Iran?", passages(*texts))
    assert out and "Putin" in out[0].text and "mediat" in out[0].text
    assert out[0].supported
