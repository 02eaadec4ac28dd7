"""Applying a time window: the search filter, newest-first ranking, and which sentences a recency
answer keeps."""

from __future__ import annotations

from datetime import date, datetime, timezone

from newsqa.index.articles import Chunk
from newsqa.index.store import SearchFilter
from newsqa.rag.recency import answer_date, newest_only, prefer_recent, time_filter
from newsqa.rag.timeframe import read_time
from newsqa.rag.types import Passage, Sentence, TimeWindow

AS_OF = date(2024, 6, 12)


def _ts(d: date, end: bool = False) -> int:
    t = datetime(d.year, d.month, d.day, 23, 59, 59, 999999, tzinfo=timezone.utc) if end else \
        datetime(d.year, d.month, d.day, tzinfo=timezone.utc)
    return int(t.timestamp())


def _passage(n: int, day: date | None, score: float) -> Passage:
    ts = _ts(day) + 3600 if day else -1
    chunk = Chunk(id=f"c{n}", article_id=f"a{n}", ordinal=0, text=f"text {n}", char_start=0, char_end=6,
                  published_at=day.isoformat() if day else "", published_ts=ts)
    return Passage(n=n, chunk=chunk, score=score)


def test_no_window_only_bounds_by_the_as_of_day() -> None:
    flt = time_filter(None, None, AS_OF)
    assert flt.since_ts is None and flt.until_ts == _ts(AS_OF, end=True)


def test_a_relative_window_bounds_both_ends_and_meets_the_user_s_filter() -> None:
    reading = read_time("Who won this week?", AS_OF)
    flt = time_filter(None, reading, AS_OF)
    assert (flt.since_ts, flt.until_ts) == (_ts(date(2024, 6, 6)), _ts(AS_OF, end=True))
    user = SearchFilter.from_user(since="2024-06-08", until="2024-06-30", sources=["Wire"])
    flt = time_filter(user, reading, AS_OF)
    assert (flt.since_ts, flt.until_ts, flt.sources) == (_ts(date(2024, 6, 8)), _ts(AS_OF, end=True), ("Wire",))
    last = time_filter(None, read_time("Who won last week?", AS_OF), AS_OF)
    assert last.until_ts == _ts(date(2024, 6, 5), end=True)


def test_a_written_out_year_does_not_bound_publication() -> None:
    reading = read_time("Who won the regatta in 2021?", AS_OF)
    flt = time_filter(None, reading, AS_OF)
    assert flt.since_ts is None and flt.until_ts == _ts(AS_OF, end=True)


def test_recency_ranks_newer_passages_of_similar_relevance_first() -> None:
    ps = [_passage(1, date(2024, 3, 1), 0.030), _passage(2, date(2024, 6, 10), 0.029),
          _passage(3, None, 0.028), _passage(4, date(2024, 6, 11), 0.010)]
    latest = read_time("What is the latest figure?", AS_OF)
    out = prefer_recent(ps, latest, AS_OF, k=3)
    assert [p.chunk.id for p in out] == ["c2", "c1", "c3"]
    assert [p.n for p in out] == [1, 2, 3]  # renumbered as the answer will cite them
    # without a recency word, relevance alone orders them
    assert [p.chunk.id for p in prefer_recent(ps, None, AS_OF, k=3)] == ["c1", "c2", "c3"]


def test_a_recency_answer_keeps_the_newest_report_s_sentences() -> None:
    ps = [_passage(1, date(2024, 6, 3), 0.03), _passage(2, date(2024, 6, 10), 0.02), _passage(3, None, 0.01)]
    sents = [Sentence("It rose to 1.62.", [1]), Sentence("It fell to 1.57.", [2]), Sentence("Undated.", [3])]
    latest = read_time("What is the latest price?", AS_OF)
    kept = newest_only(sents, ps, latest)
    assert [s.text for s in kept] == ["It fell to 1.57.", "Undated."]
    assert answer_date(kept, ps, latest) == date(2024, 6, 10)
    # a question without recency keeps every sentence, and one without time words has no date
    week = read_time("What was the price this week?", AS_OF)
    assert newest_only(sents, ps, week) == sents
    assert answer_date(sents, ps, None) is None


def test_the_answer_date_is_in_the_json_not_in_the_quoted_sentences() -> None:
    from newsqa.rag.types import Answer

    ps = [_passage(1, date(2024, 5, 13), 0.03)]
    a = Answer("q?", [Sentence("It rose to 1.62.", [1], supported=True)], ps, "extractive",
               time_window=TimeWindow("latest", None, AS_OF, True), answer_date=date(2024, 5, 13))
    assert a.text == "It rose to 1.62. [1]"
    assert a.to_json()["answer_date"] == "2024-05-13"
    assert a.to_json()["time_window"]["phrase"] == "latest"


def test_a_recently_question_answered_only_from_old_news_is_stale() -> None:
    """"recently" is counted back from the newest article the store holds up to the as-of day: an
    answer from an article months older than that is an old story on the subject, not the news
    asked about; "most recent" and "latest" ask for the newest, however old."""
    from newsqa.rag.recency import RECENT_DAYS, stale_for_recent

    old, fresh = date(2024, 1, 5), date(2024, 6, 1)
    ps = [_passage(1, old, 0.03), _passage(2, fresh, 0.02)]
    newest = _ts(date(2024, 6, 10))
    recently = read_time("Which ferry operator recently went bankrupt?", AS_OF)
    assert stale_for_recent(recently, [Sentence("An old story.", [1])], ps, newest) == old
    assert stale_for_recent(recently, [Sentence("A new one.", [2])], ps, newest) is None
    assert stale_for_recent(recently, [Sentence("Both.", [1, 2])], ps, newest) is None
    # against the store's own newest article, not the as-of day: an archive is asked as it stood
    assert stale_for_recent(recently, [Sentence("An old story.", [1])], ps, _ts(date(2024, 2, 1))) is None
    assert (date(2024, 6, 10) - old).days > RECENT_DAYS
    for question in ("What is the most recent ferry timetable?", "What is the latest ferry timetable?",
                     "Which ferry operator went bankrupt?"):
        assert stale_for_recent(read_time(question, AS_OF), [Sentence("An old story.", [1])], ps, newest) is None
    # an undated answer, or a store without dated articles, is not judged
    assert stale_for_recent(recently, [Sentence("Undated.", [3])], [*ps, _passage(3, None, 0.01)], newest) is None
    assert stale_for_recent(recently, [Sentence("An old story.", [1])], ps, None) is None
