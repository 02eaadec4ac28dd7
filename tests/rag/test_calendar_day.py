"""A date as an article writes it ("Thursday", "June 12", "yesterday") read as the calendar day it
names, against the article's publication day and its sentence's tense."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from newsqa.index.articles import Chunk
from newsqa.rag.calendar_day import calendar_day, with_day
from newsqa.rag.types import Passage, ShortAnswer

SATURDAY = date(2025, 6, 21)


@pytest.mark.parametrize("text, day", [
    ("Thursday", date(2025, 6, 19)),
    ("on Thursday", date(2025, 6, 19)),
    ("Thursday night", date(2025, 6, 19)),
    ("Saturday", SATURDAY),  # the publication day itself
    ("last Saturday", date(2025, 6, 14)),
    ("yesterday", date(2025, 6, 20)),
    ("tonight", SATURDAY),
    ("last night", date(2025, 6, 20)),
    ("this morning", SATURDAY),
    ("June 12", date(2025, 6, 12)),
    ("12 June", date(2025, 6, 12)),
    ("the 12th of June", date(2025, 6, 12)),
    ("Thursday, June 19", date(2025, 6, 19)),
    ("December 28", date(2024, 12, 28)),  # in a report of June, the December before
    ("12 March 2023", date(2023, 3, 12)),
    ("June", None), ("last week", None), ("2025", None), ("three days", None), ("30 February", None),
])
def test_a_date_is_the_day_it_names_before_publication(text: str, day: date | None) -> None:
    assert calendar_day(text, SATURDAY) == day


@pytest.mark.parametrize("text, day", [
    ("Thursday", date(2025, 6, 26)),
    ("Saturday", SATURDAY),
    ("next Saturday", date(2025, 6, 28)),
    ("tomorrow", date(2025, 6, 22)),
    ("January 9", date(2026, 1, 9)),  # still to come: the January after
    ("June 18", date(2025, 6, 18)),  # a few days off the tense's side still counts as near
])
def test_an_event_still_to_come_is_on_or_after_publication(text: str, day: date) -> None:
    assert calendar_day(text, SATURDAY, "future") == day


def test_a_present_verb_or_none_takes_the_nearest_date_and_a_present_verb_the_coming_weekday() -> None:
    for tense in ("present", ""):
        assert calendar_day("July 3", SATURDAY, tense) == date(2025, 7, 3)
    assert calendar_day("July 3", SATURDAY) == date(2024, 7, 3)  # a past verb: the July before
    assert calendar_day("Thursday", SATURDAY, "present") == date(2025, 6, 26)  # "opens on Thursday"
    assert calendar_day("Thursday", SATURDAY, "") == date(2025, 6, 19)  # "Thursday's vote"


@pytest.mark.parametrize("text, day", [
    ("Monday, July 14", date(2025, 7, 14)),  # after publication, though the tense says past
    ("Sunday, July 14", date(2024, 7, 14)),
    ("Tuesday, July 14", date(2026, 7, 14)),
    ("Friday, July 14", date(2024, 7, 14)),  # no year makes it a Friday: the nearest on the tense's side
])
def test_a_weekday_before_a_date_tells_its_year(text: str, day: date) -> None:
    assert calendar_day(text, SATURDAY) == day


def _passage(text: str, published: datetime | None) -> Passage:
    chunk = Chunk(id="c1", article_id="a1", ordinal=0, text=text, char_start=0, char_end=len(text),
                  title="Harbour news", published_at=published.isoformat() if published else "",
                  published_ts=int(published.timestamp()) if published else -1)
    return Passage(n=1, chunk=chunk, score=1.0)


@pytest.mark.parametrize("sentence, day", [
    ("The ferry operator said on Thursday that it would cut two routes.", date(2025, 6, 19)),
    ("The council will vote on Thursday on the ferry routes.", date(2025, 6, 26)),
    ("The new routes will be announced on Thursday, the operator said.", date(2025, 6, 26)),
    ("The new timetable starts on Thursday.", date(2025, 6, 26)),  # a present verb: the coming one
])
def test_a_short_answer_carries_the_day_its_sentence_means(sentence: str, day: date) -> None:
    text = "Ferries were late again. " + sentence + " Passengers complained."
    start = text.index("Thursday")
    sa = ShortAnswer("Thursday", 1, start, start + len("Thursday"))
    published = datetime(2025, 6, 21, 9, 0, tzinfo=timezone.utc)
    assert with_day(sa, [_passage(text, published)]).day == day
    # an undated article, or a span that names no day, is left as it is
    assert with_day(sa, [_passage(text, None)]).day is None
    ferries = ShortAnswer("Ferries", 1, 0, 7)
    assert with_day(ferries, [_passage(text, published)]) == ferries


def test_a_when_question_s_short_answer_carries_its_day_in_the_json_and_the_record(tmp_path) -> None:
    from dataclasses import replace

    from newsqa.index.articles import Article
    from newsqa.index.ingest import ingest
    from newsqa.rag.conversations import answer_from_record, answer_record
    from newsqa.rag.qa import build_qa
    from newsqa.rag.ranker import load_model
    from newsqa.settings import Settings

    settings = Settings(store=tmp_path / "store", embedder="hash", backend="ranked")
    qa = build_qa(settings)
    # the refusal threshold is the model's on real vectors: here every answer is given that can be
    qa.backends["ranked"].model = replace(load_model(), threshold=0.0, min_names=0.0)
    ingest([Article(id="ferry", title="Ferry routes cut", published_at=datetime(2025, 6, 21, 9, 0, tzinfo=timezone.utc),
                    body="The Brenmouth ferry operator announced the cuts on Thursday. Two routes will close.")],
           settings, qa.embedder, store=qa.store)
    a = qa.ask("When did the Brenmouth ferry operator announce the cuts?")
    assert not a.refused and a.short_answer is not None and a.short_answer.text == "Thursday"
    assert a.short_answer.day == date(2025, 6, 19)
    assert a.to_json()["short_answer"]["day"] == "2025-06-19"
    assert a.short_answer.shown() == "Thursday (19 June 2025)"
    assert answer_from_record(answer_record(a)).short_answer == a.short_answer  # a saved answer keeps it
