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

TOURNAMENT = [
    "Marta Vellinger won the 2018 Ashcombe women's singles title, beating Nadia Corwell in the final.",
    "Irina Dovescu won the women's singles at Ashcombe in 2019. She defeated Nadia Corwell in the final.",
    "Ashcombe 2021: Kelsey Marlow won the women's singles title against Petra Halvik.",
    "Ashcombe is the oldest tennis tournament in the world and is played on grass in Dorset.",
]


@pytest.fixture
def backend() -> ExtractiveBackend:
    return ExtractiveBackend(SupportScorer(HashingEmbedder()))


def test_question_kinds() -> None:
    assert question_kind("Who won Ashcombe in 2019?") == "person"
    assert question_kind("When was Gloomwick 2 released?") == "date"
    assert question_kind("What is the release date of the game?") == "date"
    assert question_kind("How many people attended?") == "number"
    assert question_kind("What was Norvell's revenue in Q1 2021?") == "number"
    assert question_kind("Where will the final be played?") == "place"
    assert question_kind("Harbor Bowl 2021 location") == "place"
    assert question_kind("What is the name of the headset?") == "entity"
    assert question_kind("Why did it rain") == "other"


@pytest.mark.parametrize("year,name", [("2018", "Vellinger"), ("2019", "Dovescu"), ("2021", "Marlow")])
def test_the_year_of_the_question_decides(backend: ExtractiveBackend, year: str, name: str) -> None:
    ps = passages(*TOURNAMENT)
    out = backend.answer(f"Who won the women's singles Ashcombe in {year}?", ps)
    assert out, "no answer"
    assert name in out[0].text and year in out[0].text
    assert all(year in s.text or name in s.text for s in out)  # no sentence about another year


def test_sentence_citation_span_and_support(backend: ExtractiveBackend) -> None:
    ps = passages(*TOURNAMENT)
    out = backend.answer("Who won the women's singles Ashcombe in 2019?", ps)
    s = out[0]
    assert s.citations == [2]
    a, b = s.spans[2]
    assert ps[1].chunk.text[a:b] == s.text == "Irina Dovescu won the women's singles at Ashcombe in 2019."
    assert s.supported and s.support > 0.9


def test_answer_type_beats_topic(backend: ExtractiveBackend) -> None:
    ps = passages(
        "The new console game Gloomwick 2 was a big hit with fans of the series.",
        "Gloomwick 2 was released on March 9, 2019 for the handheld.",
        "Fans of Gloomwick 2 sold 10 million copies of the game, Corvid Games said.",
    )
    when = backend.answer("When was Gloomwick 2 released?", ps)
    assert "March 9, 2019" in when[0].text
    many = backend.answer("How many copies of Gloomwick 2 were sold?", ps)
    assert "10 million" in many[0].text


def test_who_prefers_a_name_the_question_lacks(backend: ExtractiveBackend) -> None:
    ps = passages(
        "The company Chatterly was acquired in a landmark deal that surprised the industry.",
        "Brightline acquired Chatterly in 2014 for $19 billion.",
    )
    out = backend.answer("Who acquired Chatterly?", ps)
    assert out[0].text.startswith("Brightline")


def test_snippets_break_at_ellipses(backend: ExtractiveBackend) -> None:
    ps = passages("Mar 4, 2020 ... The final will be played in Carrow Point, Oregon, at the stadium. Tickets ...")
    out = backend.answer("Where will the final be played?", ps)
    assert out[0].text == "The final will be played in Carrow Point, Oregon, at the stadium."
    a, b = out[0].spans[1]
    assert ps[0].chunk.text[a:b] == out[0].text


def test_same_fact_twice_becomes_one_sentence_with_two_citations(backend: ExtractiveBackend) -> None:
    fact = "Kelsey Marlow won the 2021 Ashcombe women's singles title."
    ps = passages(fact, "Unrelated: the weather in Dorset was mild. " + fact, TOURNAMENT[0])
    out = backend.answer("Who won the women's singles Ashcombe in 2021?", ps)
    assert out[0].text == fact
    assert sorted(out[0].citations) == [1, 2]
    assert set(out[0].spans) == {1, 2}
    assert sum(s.text == fact for s in out) == 1
    a, b = out[0].spans[2]
    assert ps[1].chunk.text[a:b] == fact  # the other passage is highlighted where it says it


def test_a_quoted_sentence_scores_exactly_one_against_its_own_passage(backend: ExtractiveBackend) -> None:
    # the backend skips scoring a sentence against the passage it was quoted from; this is why
    for text in TOURNAMENT[:3]:
        ps = passages(text)
        for s in backend.answer("Who won the women's singles Ashcombe?", ps):
            assert backend.scorer.score_many([s.text], [text])[0, 0] == pytest.approx(1.0)
            assert s.support == 1.0 and s.supported


def test_a_cited_duplicate_that_differs_in_a_number_is_dropped(backend: ExtractiveBackend) -> None:
    ps = passages("Dovescu won 6-3 6-4 in 71 minutes.", "Dovescu won 6-3 6-4 in 73 minutes.")
    out = quoted_sentence(backend.scorer, ps[0].chunk.text, [1, 2], {p.n: p for p in ps},
                          (1, (0, len(ps[0].chunk.text))), {2: (0, len(ps[1].chunk.text))})
    assert out.citations == [1] and out.support == 1.0


def test_pronoun_start_brings_the_previous_sentence(backend: ExtractiveBackend) -> None:
    ps = passages("Irina Dovescu reached the final at Ashcombe. She won the 2019 title on June 29, 2019.")
    out = backend.answer("When did Dovescu win the 2019 title?", ps)
    texts = [s.text for s in out]
    assert texts[:2] == ["Irina Dovescu reached the final at Ashcombe.",
                         "She won the 2019 title on June 29, 2019."]
    assert all(s.citations == [1] for s in out[:2])


def test_max_sentences(backend: ExtractiveBackend) -> None:
    one = ExtractiveBackend(backend.scorer, max_sentences=1)
    out = one.answer("Who won Ashcombe?", passages(*TOURNAMENT))
    assert len(out) == 1


def test_no_passages_or_question(backend: ExtractiveBackend) -> None:
    assert backend.answer("Who won?", []) == []
    assert backend.answer("  ", passages(*TOURNAMENT)) == []
    assert list(backend.stream("Who won?", [])) == [REFUSAL_TEXT, []]


def test_stream_yields_the_text_then_the_sentences(backend: ExtractiveBackend) -> None:
    ps = passages(*TOURNAMENT)
    items = list(backend.stream("Who won the women's singles Ashcombe in 2019?", ps))
    assert len(items) == 2  # the text once, then the sentences
    text, sentences = items
    assert isinstance(text, str) and text.startswith("Irina Dovescu won the women's singles at Ashcombe in 2019. [2]")
    assert sentences == backend.answer("Who won the women's singles Ashcombe in 2019?", ps)


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
