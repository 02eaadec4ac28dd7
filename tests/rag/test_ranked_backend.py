"""The extractive backend on six invented articles: the answering sentence, its citation and span,
and the short answer with offsets into the cited passage."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsqa.index.embed import HashingEmbedder
from newsqa.rag.backends.quote import quoted_sentence
from newsqa.rag.backends.ranked import RankedBackend, _holds
from newsqa.rag.query import analyse
from newsqa.rag.ranker import rank
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import REFUSAL_TEXT
from rag_helpers import passages
from six_articles import ARTICLES, QUESTIONS


@pytest.fixture
def backend() -> RankedBackend:
    return RankedBackend(SupportScorer(HashingEmbedder()))


@pytest.fixture
def six():
    return passages(*[t for _, t in ARTICLES], titles=tuple(h for h, _ in ARTICLES))


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_the_answering_sentence_is_quoted_and_cited(backend: RankedBackend, six, question: str) -> None:
    words, _ = QUESTIONS[question]
    out = backend.answer(question, six)
    s = next((s for s in out if words in s.text), None)
    assert s is not None, [s.text for s in out]
    n = s.citations[0]
    a, b = s.spans[n]
    assert six[n - 1].chunk.text[a:b] == s.text and s.supported


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_short_answer_is_a_span_of_the_cited_passage(backend: RankedBackend, six, question: str) -> None:
    _, short = QUESTIONS[question]
    q = analyse(question)
    sentences, sa = backend.compose(q, rank(q, six, backend.scorer), six)
    assert sa is not None and sa.text == short
    assert six[sa.n - 1].chunk.text[sa.start:sa.end] == short
    assert sa.n in sentences[0].citations


def test_no_short_answer_for_a_why_question(backend: RankedBackend, six) -> None:
    q = analyse("Why was the coastal rail line delayed?")
    sentences, sa = backend.compose(q, rank(q, six, backend.scorer), six)
    assert sentences and sa is None
    assert "delayed" in sentences[0].text  # the sentence on the topic; no span answers "why"


def test_same_fact_twice_becomes_one_sentence_with_two_citations(backend: RankedBackend) -> None:
    fact = "Lumera Glassworks opened a new factory in Westhaven on Monday."
    ps = passages(fact, "Unrelated: the weather in Westhaven was mild. " + fact, ARTICLES[0][1])
    out = backend.answer("Where did Lumera Glassworks open a new factory?", ps)
    assert out[0].text == fact
    assert sorted(out[0].citations) == [1, 2]
    assert sum(s.text == fact for s in out) == 1
    a, b = out[0].spans[2]
    assert ps[1].chunk.text[a:b] == fact  # the other passage is highlighted where it says it


def test_a_cited_duplicate_that_differs_in_a_number_is_dropped(backend: RankedBackend) -> None:
    ps = passages("The walkout stranded 40 ships for nine days.", "The walkout stranded 14 ships for nine days.")
    out = quoted_sentence(backend.scorer, ps[0].chunk.text, [1, 2], {p.n: p for p in ps},
                          (1, (0, len(ps[0].chunk.text))), {2: (0, len(ps[1].chunk.text))})
    assert out.citations == [1] and out.support == 1.0


def test_pronoun_start_brings_the_previous_sentence(backend: RankedBackend) -> None:
    ps = passages("Anna Lindqvist chaired the Norbridge council meeting. She proposed the library plan "
                  "on 3 March 2024.")
    out = backend.answer("When did Lindqvist propose the library plan?", ps)
    texts = [s.text for s in out]
    assert texts[:2] == ["Anna Lindqvist chaired the Norbridge council meeting.",
                         "She proposed the library plan on 3 March 2024."]


def test_max_sentences(backend: RankedBackend, six) -> None:
    one = RankedBackend(backend.scorer, max_sentences=1)
    assert len(one.answer("What happened in Port Arlen?", six)) == 1


def test_never_quotes_a_question(backend: RankedBackend) -> None:
    ps = passages("Who will run the new library in Norbridge? The council named Anna Lindqvist director "
                  "of the new library in Norbridge.")
    out = backend.answer("Who will run the new library in Norbridge?", ps)
    assert "Anna Lindqvist" in out[0].text


def test_no_passages_or_question(backend: RankedBackend, six) -> None:
    assert backend.answer("Who won?", []) == []
    assert backend.answer("  ", six) == []
    assert list(backend.stream("Who won?", [])) == [REFUSAL_TEXT, []]


def test_stream_yields_the_text_then_the_sentences(backend: RankedBackend, six) -> None:
    question = "Where did Lumera Glassworks open a new factory?"
    items = list(backend.stream(question, six))
    assert len(items) == 2
    text, sentences = items
    assert isinstance(text, str) and "Westhaven" in text and "[3]" in text
    assert sentences == backend.answer(question, six)


# -- the real model on the bundled demo articles ----------------------------------------------------

@pytest.mark.slow
def test_demo_articles_mediation_question() -> None:
    from newsqa.index.embed import LocalEmbedder

    import newsqa

    demo = Path(newsqa.__file__).parent / "demo"
    texts = []
    for f in sorted(demo.glob("*.txt")):
        paras = [p for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
        texts += ["\n".join(paras[i:i + 3]) for i in range(0, len(paras), 3)]
    backend = RankedBackend(SupportScorer(LocalEmbedder()))
    out = backend.answer("Who offered to mediate between Israel and Iran?", passages(*texts))
    assert out and "Putin" in out[0].text and "mediat" in out[0].text
    assert out[0].supported


def test_a_compound_question_is_answered_part_by_part(six) -> None:
    from dataclasses import replace

    from newsqa.rag.ranker import load_model

    lenient = replace(load_model(), threshold=0.0, min_names=0.0)
    backend = RankedBackend(SupportScorer(HashingEmbedder()), model=lenient)
    reply = backend.respond("Where did Lumera Glassworks open a new factory, and how many cargo ships "
                            "were stranded by the strike?", six)
    text = " ".join(s.text for s in reply.sentences)
    assert not reply.refused and "Westhaven" in text and "40 cargo ships" in text
    assert reply.short is not None and reply.short.text == "Westhaven"  # the first part's span leads
    # each answered part has its own, in the question's order, inside a quoted sentence
    assert [s.text for s in reply.shorts] == ["Westhaven", "40 cargo ships"] and reply.shorts[0] == reply.short
    for sh in reply.shorts:
        assert six[sh.n - 1].chunk.text[sh.start:sh.end] == sh.text


def test_a_compound_question_refuses_only_when_every_part_is_refused(six) -> None:
    from dataclasses import replace

    from newsqa.rag.ranker import load_model

    model = replace(load_model(), answerable=None, min_names=0.0)
    question = "Where did Lumera Glassworks open a new factory, and who won the skating final in Kaldoria?"
    q = analyse("Where did Lumera Glassworks open a new factory?")
    best = rank(q, six, SupportScorer(HashingEmbedder()), model)[0].score
    off = rank(analyse("Who won the skating final in Kaldoria?"), six, SupportScorer(HashingEmbedder()), model)[0].score
    assert off < best
    between = RankedBackend(SupportScorer(HashingEmbedder()), model=replace(model, threshold=(off + best) / 2))
    reply = between.respond(question, six)
    assert not reply.refused and "Westhaven" in reply.sentences[0].text
    assert all("Kaldoria" not in s.text for s in reply.sentences)
    # the refused part is named, as asked, beside the answered one
    assert reply.unanswered == ("Who won the skating final in Kaldoria?",)
    assert [s.text for s in reply.shorts] == ["Westhaven"]
    strict = RankedBackend(SupportScorer(HashingEmbedder()), model=replace(model, threshold=1.01))
    assert strict.respond(question, six).refused
    lenient = RankedBackend(SupportScorer(HashingEmbedder()), model=replace(model, threshold=0.0))
    assert lenient.respond(question, six).unanswered == ()


def test_the_short_answer_is_not_the_person_the_question_names(backend: RankedBackend) -> None:
    ps = passages("Councillor Ada Brenner praised Mayor Tomas Lind for reopening the Kelham ferry.")
    q = analyse("Which councillor praised Lind?")
    _, sa = backend.compose(q, rank(q, ps, backend.scorer), ps)
    assert sa is not None and sa.text == "Ada Brenner"


def test_a_statement_question_leads_with_what_the_sentence_reports(backend: RankedBackend) -> None:
    ps = passages("The Kelham ferry stopped running in March. Mayor Tomas Lind said the ferry would "
                  "return in June with two new boats.")
    out = backend.respond("What did Tomas Lind say about the ferry?", ps)
    assert not out.refused and out.short is not None
    assert out.short.text == "the ferry would return in June with two new boats"
    assert ps[0].chunk.text[out.short.start:out.short.end] == out.short.text
    assert any(out.short.n in s.citations and "Lind said" in s.text for s in out.sentences)


def test_a_request_about_a_named_thing_quotes_what_the_passages_say_of_it(backend: RankedBackend, six) -> None:
    """"Tell me about X" / "Who is X?": the sentences that name it, answered whenever one does (the
    answerability model, fit on questions that ask for a fact, does not judge these); no span but,
    for "Who is X?", the role the sentences give X (identity.py)."""
    for question in ("Tell me about Lumera Glassworks", "Who is Tomas Reyes?"):
        reply = backend.respond(question, six)
        assert not reply.refused and reply.sentences
        named = question.split()[-2:] if question.startswith("Tell") else ["Reyes"]
        assert all(any(w.strip("?") in s.text for w in named) for s in reply.sentences)
    assert backend.respond("Tell me about Lumera Glassworks", six).short is None
    role = backend.respond("Who is Tomas Reyes?", six).short
    assert role is not None and role.text == "Union leader"
    assert six[role.n - 1].chunk.text[role.start:role.end + len(" Tomas Reyes")] == "Union leader Tomas Reyes"
    missing = backend.respond("Tell me about Kelvar Point", six)
    assert missing.refused and not missing.sentences


def test_a_request_about_a_thing_named_by_a_noun_phrase_quotes_the_sentences_that_name_it(
        backend: RankedBackend) -> None:
    """"Tell me about the ferry strike": sentences that name the ferry strike in any inflection,
    answered whenever one does, no span; refused when none does, however close the passages are."""
    ps = passages("Ferry crews walked out on Monday. The strikes by ferry crews left 4,000 commuters "
                  "stranded in Port Arlen. A new bridge to Kelham opens in May.",
                  "Ticket prices on the Kelham line rise by 5 percent in June.")
    reply = backend.respond("Tell me about the ferry strike", ps)
    assert not reply.refused and reply.short is None
    assert [s.text for s in reply.sentences] == ["The strikes by ferry crews left 4,000 commuters stranded in Port Arlen."]
    assert backend.respond("Tell me about the tram strike", ps).refused


def test_the_short_answer_lies_in_a_sentence_the_reply_quotes() -> None:
    """A filter after composing (the newest report's sentences, recency.py) may drop the sentence
    the span came from: `_holds` tells, even when another sentence of its passage stays (the reply
    then reads its short answer again from what stays: the test below)."""
    from newsqa.rag.types import Sentence, ShortAnswer

    text = "Dock workers ended their strike on Friday. Union leader Tomas Reyes said members voted."
    first, second = (0, 42), (43, len(text))
    reyes = ShortAnswer("Tomas Reyes", 1, text.index("Tomas"), text.index("Tomas") + len("Tomas Reyes"))
    quoted = lambda span: Sentence(text[span[0]:span[1]], [1], 1.0, True, {1: span})  # noqa: E731
    assert _holds(quoted(second), reyes)
    assert not _holds(quoted(first), reyes)  # same passage, another sentence
    assert not _holds(Sentence("Elsewhere.", [2], 1.0, True, {2: (0, 10)}), reyes)


def test_a_topic_name_with_an_apostrophe_or_hyphen_is_matched_word_by_word(backend: RankedBackend) -> None:
    """"O'Brien" and "Anne-Marie" are matched as the sentence's words are cut ("brien", "anne",
    "marie"), not as spaCy's tokens ("o'brien", "-"), which no sentence's words hold."""
    ps = passages("Harbour pilot Tomas O'Brien guided the ferry in. Anne-Marie Quist chairs the harbour board.")
    for question, word in (("Tell me about Tomas O'Brien", "O'Brien"), ("Who is Anne-Marie Quist?", "Quist")):
        reply = backend.respond(question, ps)
        assert not reply.refused and any(word in s.text for s in reply.sentences)


def test_a_later_part_about_she_is_asked_about_the_first_parts_answer() -> None:
    from newsqa.rag.backends.ranked import _with_antecedent

    first = analyse("Who runs the Norvik mill?")
    part = _with_antecedent(analyse("What did she tell the council?"), first, "Ada Quist")
    assert part.text.startswith("What did she tell the council? (") and "Ada Quist" in part.text
    assert part.speaker == {"ada", "quist"}  # her statement is asked for
    # a part with a subject of its own, or nothing answered before it, is asked as it is
    own = analyse("What did the mayor tell the council when she visited?")
    assert _with_antecedent(own, first, "Ada Quist") is own
    alone = analyse("What did she tell the council?")
    assert _with_antecedent(alone, first, "") is alone


def test_a_filter_that_drops_the_short_answer_s_sentence_reads_it_again(backend: RankedBackend) -> None:
    """A filter on the quoted sentences (the newest report's only, for a "latest" question) may drop
    the sentence the short answer came from; the short answer is then read from the sentences the
    answer still quotes, not left out."""
    ps = passages("The average price of diesel at the pump rose to 1.62 euros per litre, the monitoring "
                  "office said on Monday.",
                  "The average price of diesel at the pump fell to 1.57 euros per litre, the monitoring "
                  "office said a week later.")
    question = "What was the average price of diesel at the pump?"
    first = backend.respond(question, ps, refusals=False)
    assert first.short is not None and len(first.sentences) == 2
    dropped = first.short.text
    reply = backend.respond(question, ps, keep=lambda s: [x for x in s if dropped not in x.text],
                            refusals=False)
    assert [x.text for x in reply.sentences] and all(dropped not in x.text for x in reply.sentences)
    assert reply.short is not None and reply.short.text != dropped
    assert any(_holds(x, reply.short) for x in reply.sentences)


def test_a_number_question_whose_quoted_sentences_state_none_is_refused(backend: RankedBackend,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """"How old is X?" over sentences about X that give no age: whatever the answerability model
    says, nothing quoted answers it."""
    import newsqa.rag.refusal as refusal
    from newsqa.rag.types import Refusal

    monkeypatch.setattr(refusal, "decide", lambda *a, **k: Refusal(False, "", 0.9))  # it would answer
    about = "Nadia Kerr, the principal of Elmfield Academy, said the new library would open soon."
    aged = "Nadia Kerr, 52, has led Elmfield Academy since 2019."
    reply = backend.respond("How old is Nadia Kerr?", passages(about, aged))
    assert not reply.refused and reply.short is not None and reply.short.text.startswith("52")
    reply = backend.respond("How old is Nadia Kerr?", passages(about))
    assert reply.refused and "number or date" in reply.reason
    # a question that asks for a name is not refused for want of a number
    assert not backend.respond("Who is the principal of Elmfield Academy?", passages(about)).refused
