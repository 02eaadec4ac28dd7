"""Questions about time through the whole pipeline: recurring events reported in different weeks,
asked on several days. The right week's fact, never the other week's; nothing published after the
day of asking; the answer says the date it is as of; "this year" in an uncovered year is refused."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from newsqa.index.articles import Article
from newsqa.index.ingest import ingest
from newsqa.index.store import SearchFilter
from newsqa.rag.qa import QA, build_qa
from newsqa.settings import Settings


def _day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 9, 0, tzinfo=timezone.utc)


ARTICLES = [
    Article(id="mayor-march", title="Harbor Point elects a mayor", published_at=_day(2024, 3, 5),
            body="Voters in Harbor Point elected Maria Lindqvist as mayor on Tuesday after the previous "
                 "mayor resigned. Lindqvist won the special election with 58 percent of the vote."),
    Article(id="mayor-june", title="Harbor Point elects a mayor", published_at=_day(2024, 6, 11),
            body="Voters in Harbor Point elected Tobias Renner as mayor on Tuesday after the previous "
                 "mayor resigned. Renner won the special election with 61 percent of the vote."),
    Article(id="diesel-w1", title="Weekly fuel prices", published_at=_day(2024, 6, 3),
            body="The average price of diesel at the pump rose to 1.62 euros per litre this week, "
                 "the fuel monitoring office said."),
    Article(id="diesel-w2", title="Weekly fuel prices", published_at=_day(2024, 6, 10),
            body="The average price of diesel at the pump fell to 1.57 euros per litre this week, "
                 "the fuel monitoring office said."),
    Article(id="player-w1", title="Player of the week", published_at=_day(2024, 6, 4),
            body="The basketball league named guard Ana Sorensen its player of the week after she "
                 "scored 41 points against the visitors."),
    Article(id="player-w2", title="Player of the week", published_at=_day(2024, 6, 11),
            body="The basketball league named centre Jonas Pirelli its player of the week after he "
                 "took 22 rebounds against the visitors."),
]


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> QA:
    settings = Settings(store=tmp_path_factory.mktemp("time") / "store", embedder="hash")
    qa = build_qa(settings)
    ingest(ARTICLES, settings, qa.embedder, store=qa.store)
    return qa


def _used(answer) -> set[str]:
    return {p.chunk.article_id for p in answer.cited_passages()}


@pytest.mark.parametrize("as_of, right, wrong", [
    (date(2024, 6, 12), "Renner", "Lindqvist"),
    (date(2024, 6, 14), "Renner", "Lindqvist"),
    (date(2024, 3, 8), "Lindqvist", "Renner"),
])
def test_this_week_s_mayor(qa: QA, as_of: date, right: str, wrong: str) -> None:
    a = qa.ask("Who was elected mayor of Harbor Point this week?", as_of=as_of)
    assert not a.refused, a.text
    assert right in a.text and wrong not in a.text
    assert all(wrong not in p.chunk.text for p in a.passages)  # the other week is not even read
    assert a.time_window is not None and a.time_window.end == as_of


@pytest.mark.parametrize("as_of, right, wrong, day", [
    (date(2024, 6, 12), "1.57", "1.62", date(2024, 6, 10)),
    (date(2024, 6, 7), "1.62", "1.57", date(2024, 6, 3)),
])
def test_the_latest_price_is_the_newest_before_the_as_of_day_and_says_its_date(
        qa: QA, as_of: date, right: str, wrong: str, day: date) -> None:
    a = qa.ask("What is the latest price of diesel?", as_of=as_of)
    assert not a.refused, a.text
    assert right in a.text and wrong not in a.text
    # the short answer is read from the newest report's sentences, which are all the answer quotes
    assert a.short_answer is not None and right in a.short_answer.text
    assert a.answer_date == day and a.to_json()["answer_date"] == day.isoformat()
    assert a.to_json()["time_window"] == {"phrase": "latest", "start": None, "end": as_of.isoformat(),
                                          "recency": True}


def test_last_week_s_price(qa: QA) -> None:
    a = qa.ask("What was the price of diesel last week?", as_of=date(2024, 6, 12))
    assert not a.refused and "1.62" in a.text and "1.57" not in a.text


@pytest.mark.parametrize("as_of, right, wrong", [
    (date(2024, 6, 6), "Sorensen", "Pirelli"),
    (date(2024, 6, 13), "Pirelli", "Sorensen"),
])
def test_this_week_s_player(qa: QA, as_of: date, right: str, wrong: str) -> None:
    a = qa.ask("Who did the basketball league name its player of the week this week?", as_of=as_of)
    assert not a.refused and right in a.text and wrong not in a.text


def test_nothing_published_after_the_as_of_day_is_used(qa: QA) -> None:
    # no time words: every date up to the as-of day may answer, later ones never
    a = qa.ask("What was the average price of diesel at the pump?", as_of=date(2024, 6, 5))
    assert {p.chunk.article_id for p in a.passages}.isdisjoint({"diesel-w2", "mayor-june", "player-w2"})
    assert a.time_window is None and a.answer_date is None


def test_this_year_in_a_year_no_article_covers_is_refused(qa: QA) -> None:
    a = qa.ask("Who was elected mayor of Harbor Point this year?", as_of=date(2025, 5, 2))
    assert a.refused and "Renner" not in a.text and "Lindqvist" not in a.text
    # the refusal says why and still lists what the store holds from other days, cited by nothing
    assert "No article in the store is dated in \u201cthis year\u201d" in a.notice
    assert "1 January 2025 to 2 May 2025" in a.notice and "closest from other days" in a.notice
    assert {"mayor-march", "mayor-june"} <= {p.chunk.article_id for p in a.passages}
    assert a.cited_passages() == [] and a.to_json()["notice"] == a.notice
    # the as-of bound still holds for that related reading
    a = qa.ask("Who was elected mayor of Harbor Point this year?", as_of=date(2023, 5, 2))
    assert a.refused and a.passages == [] and "closest" not in a.notice
    # the same question in a covered year is answered (both mayors were elected in 2024)
    a = qa.ask("Who was elected mayor of Harbor Point this year?", as_of=date(2024, 6, 20))
    assert not a.refused and ("Renner" in a.text or "Lindqvist" in a.text)


def test_the_user_s_own_filter_still_applies(qa: QA) -> None:
    flt = SearchFilter.from_user(article_ids=["diesel-w1", "mayor-march"])
    a = qa.ask("What is the latest price of diesel?", as_of=date(2024, 6, 12), flt=flt)
    assert _used(a) <= {"diesel-w1"} and "1.57" not in a.text


def test_undated_articles_are_not_excluded_by_the_as_of_day(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", embedder="hash")
    qa = build_qa(settings)
    ingest([Article(id="undated", title="Lighthouse", body="The old lighthouse on Gull Rock was built "
                    "by the harbour board in 1871 from local granite.")], settings, qa.embedder, store=qa.store)
    a = qa.ask("When was the lighthouse on Gull Rock built?", as_of=date(2020, 1, 1))
    assert not a.refused and "1871" in a.text
    assert [p.chunk.article_id for p in a.passages] == ["undated"]
    # nor by a window: a store without dates answers as if the question had no time words
    a = qa.ask("Today, when was the lighthouse on Gull Rock built?",
               as_of=date(2020, 1, 1))
    assert not a.refused and "1871" in a.text and a.time_window is not None


def test_a_written_out_year_is_not_a_publication_window(qa: QA) -> None:
    # the year names when the price was, not when it was reported: no window is applied or shown
    a = qa.ask("What was the average price of diesel at the pump in 2024?", as_of=date(2024, 6, 12))
    assert a.time_window is None and a.answer_date is None
    assert {"diesel-w1", "diesel-w2"} & {p.chunk.article_id for p in a.passages}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> QA:
    """The March mayor's story and, months later, news on something else."""
    settings = Settings(store=tmp_path_factory.mktemp("archive") / "store", embedder="hash")
    qa = build_qa(settings)
    later = Article(id="ferry-oct", title="Ferry timetable changes", published_at=_day(2024, 10, 14),
                    body="The Harbor Point ferry will run every forty minutes from November, the "
                         "operator said on Monday.")
    ingest([ARTICLES[0], later], settings, qa.embedder, store=qa.store)
    return qa


def test_recently_is_counted_back_from_the_newest_news_in_the_store(archive: QA) -> None:
    question = "Who did Harbor Point voters recently elect as mayor?"
    # asked in April the March story is recent news: the newest the store holds is that story
    a = archive.ask(question, as_of=date(2024, 4, 2))
    assert not a.refused, a.text
    assert "Lindqvist" in a.text
    # asked in late October the store holds October's news, and the mayor's story is seven months
    # old: not what "recently" asks about; the refusal says why and still shows that story
    b = archive.ask(question, as_of=date(2024, 10, 20))
    assert b.refused
    assert "recently" in b.refusal_reason and "2024-03-05" in b.refusal_reason
    assert b.closest is not None and "Lindqvist" in b.closest.text
    # the same question without "recently" is answered from the March story
    assert not archive.ask("Who did Harbor Point voters elect as mayor?", as_of=date(2024, 10, 20)).refused


PRIZES = [
    Article(id="prize-2022", title="Harbour Song Prize", published_at=_day(2022, 5, 15),
            body="The Kelham Singers won the 2022 Harbour Song Prize on Saturday, beating eleven other choirs."),
    Article(id="prize-2023", title="Choir news", published_at=_day(2023, 5, 14),
            body="The Ostmark Choir took this year's prize in Brenmouth, judges said."),
]


@pytest.mark.parametrize("kept, answered", [(PRIZES, "Ostmark"), (PRIZES[:1], None)])
def test_a_sentence_about_another_year_s_edition_never_answers(tmp_path: Path, kept: list[Article],
                                                                answered: str | None) -> None:
    """"The Kelham Singers won the 2022 Harbour Song Prize" says nothing of 2023's, though it says
    more of the question's words than the 2023 report: that report answers, and without it the
    question is refused, not answered with another year's winner."""
    from dataclasses import replace

    from newsqa.rag.ranker import load_model

    settings = Settings(store=tmp_path / "store", embedder="hash", backend="ranked")
    qa = build_qa(settings)
    # the refusal threshold is the model's on real vectors: here every answer is given that can be
    qa.backends["ranked"].model = replace(load_model(), threshold=0.0, min_names=0.0)
    ingest(kept, settings, qa.embedder, store=qa.store)
    a = qa.ask("Which choir won the 2023 Harbour Song Prize?")
    if answered is None:
        assert a.refused
    else:
        assert not a.refused and answered in a.short_answer.text
        assert "Kelham" not in a.text
