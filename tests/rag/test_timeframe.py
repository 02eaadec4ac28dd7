"""The relative-time reader: question text and an as-of day in, a date window (or nothing) out."""

from __future__ import annotations

from datetime import date

import pytest

from newsqa.rag.timeframe import describe, read_time

WED = date(2024, 6, 12)  # a Wednesday


def window(question: str, as_of: date = WED) -> tuple[date | None, date | None, bool]:
    r = read_time(question, as_of)
    assert r is not None, question
    return r.window.start, r.window.end, r.window.recency


@pytest.mark.parametrize("question", [
    "Who founded the bakery on the corner?",
    "What colour is the new ferry?",          # "new" describes the ferry, not the time asked about
    "How many seats does the council have?",
    "Who may chair the committee?",           # the verb "may" is not the month
    "Which decades did the survey cover?",
])
def test_a_question_without_time_words_has_no_window(question: str) -> None:
    assert read_time(question, WED) is None


def test_today_and_yesterday() -> None:
    assert window("What did the mayor announce today?") == (WED, WED, False)
    # yesterday's event is reported yesterday or today
    assert window("Which bridge closed yesterday?") == (date(2024, 6, 11), WED, False)


@pytest.mark.parametrize("as_of, start", [
    (date(2024, 6, 10), date(2024, 6, 4)),   # Monday: the week reaches back into the last one
    (date(2024, 6, 12), date(2024, 6, 6)),   # Wednesday
    (date(2024, 6, 16), date(2024, 6, 10)),  # Sunday
    (date(2024, 3, 2), date(2024, 2, 25)),   # across a month end in a leap year
    (date(2025, 1, 3), date(2024, 12, 28)),  # across a year end
])
def test_this_week_is_the_seven_days_ending_on_the_as_of_day(as_of: date, start: date) -> None:
    assert window("Which striker signed for the club this week?", as_of) == (start, as_of, False)
    assert window("What did the port handle over the past week?", as_of) == (start, as_of, False)


def test_last_week_is_the_seven_days_before_this_week() -> None:
    start, end, _ = window("Who won the cycling stage last week?")
    assert (start, end) == (date(2024, 5, 30), date(2024, 6, 5))
    this_start, _, _ = window("Who won the cycling stage this week?")
    assert (this_start - end).days == 1  # the two weeks meet without a gap or an overlap


def test_calendar_months_and_years() -> None:
    assert window("How much rain fell this month?") == (date(2024, 6, 1), WED, False)
    assert window("How much rain fell last month?") == (date(2024, 5, 1), date(2024, 5, 31), False)
    assert window("How many ships docked this year?") == (date(2024, 1, 1), WED, False)
    assert window("How many ships docked last year?") == (date(2023, 1, 1), date(2023, 12, 31), False)
    # last month from a January: December of the year before
    assert window("What sold best last month?", date(2024, 1, 15)) == (date(2023, 12, 1), date(2023, 12, 31), False)


def test_a_month_named_alone_is_the_latest_one_begun() -> None:
    # June asked in June: this June so far; March asked in June: this March, whole
    assert window("Which festival opened in June?") == (date(2024, 6, 1), WED, False)
    assert window("Who resigned in March?") == (date(2024, 3, 1), date(2024, 3, 31), False)
    # September asked in June: last year's
    assert window("Which museum reopened in September?") == (date(2023, 9, 1), date(2023, 9, 30), False)


def test_a_weekday_is_the_latest_one_on_or_before_the_as_of_day() -> None:
    assert window("What did the minister say on Monday?") == (date(2024, 6, 10), WED, False)
    assert window("What did the minister say on Wednesday?") == (WED, WED, False)
    assert window("What did the minister say last Wednesday?") == (date(2024, 6, 5), WED, False)


def test_recency_words_prefer_the_newest_up_to_the_as_of_day() -> None:
    for q in ("What is the latest price of diesel?", "Who is the most recent winner of the prize?",
              "Who chairs the board now?", "How many cases have been counted so far?"):
        assert window(q) == (None, WED, True), q
    start, end, recency = window("What is the latest price of diesel this week?")
    assert (start, end, recency) == (date(2024, 6, 6), WED, True)
    assert read_time("What is the latest price of diesel this week?", WED).window.phrase == "latest this week"


def test_counted_spans() -> None:
    assert window("What happened over the past two weeks?") == (date(2024, 5, 30), WED, False)
    assert window("How many flights left in the last 3 days?") == (date(2024, 6, 10), WED, False)


def test_written_out_dates_and_years_name_the_event_not_the_report() -> None:
    r = read_time("Who won the regatta in 2021?", WED)
    assert r is not None and not r.relative
    assert (r.window.start, r.window.end) == (date(2021, 1, 1), date(2021, 12, 31))
    r = read_time("What opened on 13 May 2024?", WED)
    assert (r.window.start, r.window.end, r.relative) == (date(2024, 5, 13), date(2024, 5, 13), False)
    r = read_time("What did the bank charge in May 2023?", WED)
    assert (r.window.start, r.window.end) == (date(2023, 5, 1), date(2023, 5, 31))
    r = read_time("What opened on March 3, 2022?", WED)
    assert (r.window.start, r.window.end) == (date(2022, 3, 3), date(2022, 3, 3))
    # a day that does not exist leaves the month it names
    r = read_time("What opened on 31 February 2022?", WED)
    assert (r.window.start, r.window.end) == (date(2022, 2, 1), date(2022, 2, 28))


def test_no_window_reaches_past_the_as_of_day() -> None:
    for q in ("this week", "this month", "this year", "in June", "today", "latest"):
        assert window(f"What happened {q}?")[1] == WED


def test_the_phrase_keeps_the_question_s_spelling_and_is_described() -> None:
    r = read_time("Who   won the Race THIS Week?", WED)
    assert r.window.phrase == "THIS Week"
    assert describe(r.window) == "6 June 2024 to 12 June 2024"
    assert describe(read_time("What is the latest figure?", WED).window) == "up to 12 June 2024, newest first"


@pytest.mark.parametrize("question, rest", [
    ("Which ferry line cut its fares this week?", "Which ferry line cut its fares?"),
    ("This past weekend, the choir sang at which cathedral?", "the choir sang at which cathedral?"),
    ("What is the latest figure for unemployment this month?", "What is the figure for unemployment?"),
    ("Which bridges were closed Thursday because of ice?", "Which bridges were closed because of ice?"),
    ("Who won the regatta in 2021?", "Who won the regatta in 2021?"),  # an event's year stays
])
def test_the_rest_of_the_question_without_its_relative_time_words(question: str, rest: str) -> None:
    assert read_time(question, WED).rest == rest
