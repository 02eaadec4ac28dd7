"""Follow-up questions through the whole pipeline: the carried names, the earlier answer a client did
not send, and the sentence chosen by the follow-up's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsqa.index.articles import Article
from newsqa.index.ingest import ingest
from newsqa.rag.chat import Turn, standalone_question
from newsqa.rag.qa import build_qa
from newsqa.settings import Settings

ARTICLES = [
    Article(id="acme", title="Acme history",
            body="Acme Corp was founded by Jane Doe in 1990 in a garage. "
                 "Jane Doe lives in Lyon, where she still runs the company's research lab."),
    Article(id="weather", title="Weather",
            body="The weather in Paris was mild all week, with light rain on Sunday."),
]


def test_the_answer_adds_the_name_a_pronoun_points_at() -> None:
    turn = Turn("Who is Harlan's personal spokesman?",
                "Harlan’s personal spokesman Tobias Renner went further, boasting of good relations.")
    out = standalone_question("What did he say about Brennan?", [turn])
    assert out.startswith("What did he say about Brennan? (Tobias Renner")
    # a capitalised common word opening the answer is not a name
    turn = Turn("Who withdrew Valdoria from the deal?", "Such approaches failed: President Brennan withdrew.")
    assert "Such" not in standalone_question("And what did he tell Harlan?", [turn])


def test_a_follow_up_of_a_follow_up_still_means_the_person_named_before() -> None:
    history = [Turn("Who offered to mediate the talks?", "Norland President Ivo Brandt offered to mediate."),
               Turn("What did he say about the pier?", "Our engineers are working at the pier, and we are staying.")]
    # the last answer names no one: "his" is still the person the earlier turn named
    out = standalone_question("Who is his spokesman?", history)
    assert "Ivo Brandt" in out and out.startswith("Who is his spokesman? (")


def test_history_without_answers_is_answered_first(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", embedder="hash")
    qa = build_qa(settings)
    ingest(ARTICLES, settings, qa.embedder, store=qa.store)
    a = qa.ask("Where does she live?", history=[Turn("Who founded Acme Corp?")])
    assert "Jane Doe" in a.standalone_question
    assert not a.refused and "Lyon" in a.sentences[0].text
    # a history that carries its answers is used as it is
    a = qa.ask("Where does she live?", history=[Turn("Who founded Acme Corp?", "Jane Doe founded it.")])
    assert a.standalone_question.startswith("Where does she live? (Jane Doe")


@pytest.mark.slow
def test_demo_follow_up_quotes_the_bushehr_sentence(tmp_path: Path, demo_files: list[str],
                                                    real_embedder) -> None:
    settings = Settings(store=tmp_path / "store")
    qa = build_qa(settings, embedder=real_embedder)
    ingest(demo_files, settings, real_embedder, store=qa.store)
    a = qa.ask("Where are his specialists working?",
               history=[Turn("Who offered to mediate between Israel and Iran?")])
    assert not a.refused
    assert a.sentences[0].text.startswith("Our specialists are working in Bushehr")
    assert a.sentences[0].supported


def test_missing_backend_says_how_to_enable_it(tmp_path):
    from newsqa.rag.qa import build_qa
    from newsqa.settings import Settings

    qa = build_qa(Settings(store=tmp_path / "store", embedder="hash", llm_url=""))
    with pytest.raises(ValueError, match="NEWSQA_LLM_URL"):
        qa.ask("Who?", backend="openai")


@pytest.mark.slow
def test_demo_compound_question_through_the_extractive_backend(tmp_path: Path, demo_files: list[str],
                                                                real_embedder) -> None:
    """Each part's short answer comes from that part's own sentence, and a part the articles do not
    answer is named (not given a span from another part's sentence) and quoted no sentence."""
    settings = Settings(store=tmp_path / "store")
    qa = build_qa(settings, embedder=real_embedder)
    ingest(demo_files, settings, real_embedder, store=qa.store)
    a = qa.ask("Which nuclear power plant did Russia build in Iran, and who offered to mediate between "
               "Israel and Iran?", backend="extractive")
    assert not a.refused and a.unanswered_parts == ()
    assert [s.text for s in a.short_answers] == ["Bushehr", "Vladimir Putin"]
    b = qa.ask("Which nuclear power plant did Russia build in Iran, and who won the 2030 Calder Shield?",
               backend="extractive")
    assert not b.refused and b.unanswered_parts == ("Who won the 2030 Calder Shield?",)
    assert [s.text for s in b.short_answers] == ["Bushehr"]
    # the answer quotes what answers the part that stands, not the best sentence for the other
    assert [s.text.startswith("Russia built Iran’s first nuclear power plant") for s in b.sentences] == [True]


@pytest.mark.slow
def test_demo_compound_question_whose_later_part_says_it(tmp_path: Path, demo_files: list[str],
                                                         real_embedder) -> None:
    """"..., and who built it?": the second part is asked of the plant the first part names
    ("Who built Iran's nuclear power plant?"); asked as "Who built it?" the part named nothing and
    was refused with the first."""
    settings = Settings(store=tmp_path / "store")
    qa = build_qa(settings, embedder=real_embedder)
    ingest(demo_files, settings, real_embedder, store=qa.store)
    a = qa.ask("Where is Iran's nuclear power plant located, and who built it?", backend="ranked")
    assert not a.refused and "Russia" in [s.text for s in a.short_answers]
    assert "Who built Iran's nuclear power plant?" not in a.unanswered_parts
    assert any(s.text.startswith("Russia built Iran’s first nuclear power plant") for s in a.sentences)


@pytest.mark.slow
def test_demo_follow_up_statement_is_the_carried_persons(tmp_path: Path, demo_files: list[str],
                                                          real_embedder) -> None:
    """"What did he say about Trump?" after the spokesman's name: what the spokesman said about
    Trump (his reported words lead), not Trump's own words; the same as the compound question's
    second part."""
    settings = Settings(store=tmp_path / "store")
    qa = build_qa(settings, embedder=real_embedder)
    ingest(demo_files, settings, real_embedder, store=qa.store)
    said = "President Putin sincerely appreciates Trump’s readiness"
    a = qa.ask("What did he say about Trump?", history=[Turn("Who is Putin's personal spokesman?")],
               backend="ranked")
    assert not a.refused and a.short_answer is not None and a.short_answer.text.startswith(said)
    b = qa.ask("Who is Putin's personal spokesman, and what did he say about Trump?", backend="ranked")
    assert not b.refused and [s.text[:len(said)] for s in b.short_answers] == ["Dmitry Peskov", said]
