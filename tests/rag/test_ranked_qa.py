"""The ranked backend through QA: one analysis for answer and refusal, the short answer in the
JSON with offsets into the cited passage, and a refusal that keeps the passages as related reading."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from newsqa.index.articles import Article
from newsqa.index.ingest import ingest
from newsqa.rag.qa import build_qa
from newsqa.rag.ranker import load_model
from newsqa.settings import Settings
from six_articles import ARTICLES, QUESTIONS


def _qa(tmp_path: Path):
    settings = Settings(store=tmp_path / "store", embedder="hash", backend="ranked")
    qa = build_qa(settings)
    ingest([Article(id=f"a{i}", title=t, body=b) for i, (t, b) in enumerate(ARTICLES)], settings,
           qa.embedder, store=qa.store)
    return qa


def test_the_short_answer_leads_the_json(tmp_path: Path) -> None:
    qa = _qa(tmp_path)
    # the answer's shape, whatever the refusal threshold (the hashing embedder's similarities are
    # not the model's): every answer is given
    qa.backends["ranked"].model = replace(load_model(), threshold=0.0, min_names=0.0)
    question = "What was the average diesel price in Eastland this week?"
    a = qa.ask(question)
    assert a.backend == "ranked" and not a.refused
    assert a.short_answer is not None and a.short_answer.text == QUESTIONS[question][1]
    j = a.to_json()["short_answer"]
    cited = next(c for c in a.to_json()["citations"] if c["n"] == j["n"])
    assert cited["text"][j["start"]:j["end"]] == j["text"] == "1.85 per litre"
    assert "answer" in a.timings_ms and "refusal" in a.timings_ms


def test_a_refusal_has_no_short_answer_and_keeps_its_passages(tmp_path: Path) -> None:
    qa = _qa(tmp_path)
    qa.backends["ranked"].model = replace(load_model(), threshold=1.01)
    a = qa.ask("What was the average diesel price in Eastland this week?")
    assert a.refused and a.short_answer is None and a.passages
    assert a.sentences[0].text == "The indexed articles don't answer this."


def test_a_refusal_says_why_and_quotes_the_sentence_that_came_closest(tmp_path: Path) -> None:
    """Refused past a threshold its score does not reach: the reason names the score and the
    threshold; when the score came near (half the threshold or more) the sentence that would have
    led the answer is quoted with its citation, as the closest the articles come, while the answer
    stays a refusal; far below it, nothing is quoted (a sentence on another subject)."""
    import re

    qa = _qa(tmp_path)
    qa.backends["ranked"].model = replace(load_model(), threshold=1.01)
    question = "What was the average diesel price in Eastland this week?"
    far = qa.ask(question)
    m = re.search(r"score (\d\.\d+), below 1\.01", far.refusal_reason)
    assert far.refused and m, far.refusal_reason
    score = float(m.group(1))
    assert (far.closest is None) == (score < 0.5 * 1.01)
    qa.backends["ranked"].model = replace(load_model(), threshold=score / 0.4)  # far below it
    assert qa.ask(question).closest is None
    qa.backends["ranked"].model = replace(load_model(), threshold=score / 0.75)
    a = qa.ask(question)
    assert a.refused and a.closest is not None and "1.85 per litre" in a.closest.text
    assert a.closest.citations and all(n in {p.n for p in a.passages} for n in a.closest.citations)
    j = a.to_json()["refusal"]
    assert j == {"reason": a.refusal_reason, "closest": {"text": a.closest.text, "citations": a.closest.citations}}
    # the rule backend's refusal says why too, and quotes its own sentence
    qa.backends["ranked"].model = replace(load_model(), threshold=0.0, min_names=0.0)
    answered = qa.ask(question)
    assert not answered.refused and answered.closest is None and "refusal" not in answered.to_json()
    ruled = qa.ask("What was the average diesel price in Eastland in 1850?", backend="extractive")
    assert ruled.refused and ruled.refusal_reason and "1850" in ruled.refusal_reason


def test_the_rule_backend_is_unchanged_and_its_short_answer_is_in_its_cited_passage(tmp_path: Path) -> None:
    qa = _qa(tmp_path)
    a = qa.ask("Where did Lumera Glassworks open a new factory?", backend="extractive")
    assert a.backend == "extractive" and a.short_answer is not None
    p = next(p for p in a.passages if p.n == a.short_answer.n)
    assert p.chunk.text[a.short_answer.start:a.short_answer.end] == a.short_answer.text
    assert any(a.short_answer.n in s.citations for s in a.sentences)
    assert "ranked" in qa.available_backends()


@pytest.mark.slow
def test_six_small_articles_with_the_real_model_answer_and_refuse(tmp_path: Path, real_embedder) -> None:
    """The shipped weights and threshold on a corpus unlike the ones they were fit on (six short
    articles): a question one sentence answers word for word is answered with its span, and
    questions whose answer is in none of the articles are refused."""
    settings = Settings(store=tmp_path / "store", backend="ranked")
    qa = build_qa(settings, embedder=real_embedder)
    ingest([Article(id=f"a{i}", title=t, body=b) for i, (t, b) in enumerate(ARTICLES)], settings,
           real_embedder, store=qa.store)
    a = qa.ask("What was the average diesel price in Eastland this week?")
    assert not a.refused and a.short_answer is not None and a.short_answer.text == "1.85 per litre"
    assert "1.85 per litre" in a.sentences[0].text and a.sentences[0].citations
    # the articles name Eastland and Port Arlen, but say nothing of these
    for absent in ("Who won the Eastland chess championship?",
                   "How much did the new bridge in Port Arlen cost?"):
        refused = qa.ask(absent)
        assert refused.refused and refused.short_answer is None, absent


def test_an_amount_the_ner_calls_a_number_answers_how_much(tmp_path: Path, real_embedder) -> None:
    """The small NER calls "4.2 million euros" a CARDINAL; the currency's name after the scale word
    still makes it an amount of money, so the sentence that states the cost is quoted, not refused."""
    settings = Settings(store=tmp_path / "store", backend="ranked")
    qa = build_qa(settings, embedder=real_embedder)
    body = ("Ana Lind was elected chair of the Marlow harbour board on Monday, replacing Petr Hanak. "
            "Marek Dunst took over as chief executive of the ferry operator in May. "
            "The board also approved a new crane, which will cost 4.2 million euros and arrive in June.")
    ingest([Article(id="m1", title="Harbour board elects new chair", body=body)], settings, real_embedder,
           store=qa.store)
    a = qa.ask("How much will the new crane cost?")
    assert not a.refused and a.short_answer is not None and a.short_answer.text == "4.2 million euros"
    assert "4.2 million euros" in a.sentences[0].text and a.sentences[0].citations


@pytest.mark.parametrize("question", ["?", "  ...  ", "!?"])
def test_a_question_without_words_is_an_error_not_a_list_of_unrelated_passages(tmp_path: Path,
                                                                                question: str) -> None:
    qa = _qa(tmp_path)
    with pytest.raises(ValueError, match="no words to look for"):
        qa.ask(question)
    assert qa.ask("¿Qué pasó?").question == "¿Qué pasó?"  # words in any script are words


@pytest.mark.parametrize("request_", ["What happened?", "Summarise the articles", "What are the main points?"])
def test_a_request_for_an_overview_quotes_what_the_articles_lead_with(tmp_path: Path, request_: str) -> None:
    qa = _qa(tmp_path)
    a = qa.ask(request_, k=6)
    assert not a.refused and a.short_answer is None
    leads = {b.split(". ")[0] + "." for _, b in ARTICLES}
    assert len(a.sentences) == 3 and all(s.text in leads for s in a.sentences)
    # each from its own article's first chunk, cited
    cited = {p.n: p for p in a.passages}
    assert all(len(s.citations) == 1 and cited[s.citations[0]].chunk.ordinal == 0 for s in a.sentences)
    assert len({cited[s.citations[0]].chunk.article_id for s in a.sentences}) == 3
