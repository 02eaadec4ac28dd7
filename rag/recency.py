"""Applying a question's time window to retrieval: which articles may answer, and newest first.

- Nothing published after the as-of day is used (the question is asked on that day). Undated
  articles are kept: their date is unknown, not later.
- A relative window ("this week", "last year") is searched first, through the same SearchFilter
  the user's own since/until go through (intersected with them). If it holds a passage about as
  relevant as any date's best, only the window's passages answer: the other week's story about the
  same recurring event is never a candidate. If it holds nothing that relevant (the store lacks
  that week's report; an older article states the answer), the best passages of any date up to the
  as-of day answer, and the answer says the date it rests on. If no article at all is dated in the
  window ("this year" in a year the store does not cover), only undated articles may answer (a
  store without dates is answered as if the question had no time words); with none, the answer is
  a refusal, which still lists the closest passages of any date up to the as-of day as related
  reading (a reader asking about "Thursday" of a store a year old sees what it holds, and when).
- A recency word ("latest", "now") ranks the passages by publication date as well as relevance,
  keeps only the newest report's sentences where reports of different days are cited, and the
  answer says the day it is as of.
Measured on the rtqa-dev train part: a hard window alone (no fallback) cut answer correctness from
0.337 to 0.296, because most of that set's weekly questions are answered by older background
articles; the fallback keeps those while the window still decides between two weeks' reports.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timezone
from typing import Mapping, Sequence

from newsqa.index.store import SearchFilter
from newsqa.rag.retrieve import Retriever
from newsqa.rag.timeframe import TimeReading, describe
from newsqa.rag.types import Passage, Sentence, TimeWindow

# A recency question fetches this many times k candidates, so the newer ones can rise into the k.
RECENCY_POOL = 3
# A recency question's bonus for a passage: RECENCY_WEIGHT * the top fused score * exp(-age in days
# / RECENCY_SCALE_DAYS), so a report of this week outranks a month-old one of about equal relevance.
RECENCY_WEIGHT = 0.1
RECENCY_SCALE_DAYS = 14.0
# How much closer to the question (cosine) an article outside the window must be than the best one
# inside it before the window is given up for it (0.05 and 0.15 measured alike on rtqa-dev train).
WINDOW_MARGIN = 0.05


def end_of_day_ts(d: date) -> int:
    """The last second of day `d` (UTC), as the store's publication times count."""
    return _ts(d, end=True)


def _ts(d: date, end: bool = False) -> int:
    return int(datetime.combine(d, time.max if end else time.min, tzinfo=timezone.utc).timestamp())


def time_filter(flt: SearchFilter | None, reading: TimeReading | None, as_of: date) -> SearchFilter:
    """The user's filter narrowed to what may answer on `as_of` under the question's window."""
    flt = flt or SearchFilter()
    until = _ts(as_of, end=True)
    since = None
    w = reading.window if reading is not None else None
    if w is not None and reading.relative:
        if w.end is not None:
            until = min(until, _ts(w.end, end=True))
        if w.start is not None:
            since = _ts(w.start)
    if flt.until_ts is not None:
        until = min(until, flt.until_ts)
    if flt.since_ts is not None:
        since = flt.since_ts if since is None else max(since, flt.since_ts)
    return replace(flt, since_ts=since, until_ts=until)


@dataclass
class TimedRetrieval:
    """The passages to answer from and how the window was applied: "window" (only articles from
    the window), "nearest" (none in the window was as relevant: the best of any date up to the as-of
    day), "undated" (no dated article in the window: the undated ones), "empty" (no article at all
    may be from the window) or "" (no window to search first)."""

    passages: list[Passage]
    timings_ms: dict[str, float]
    mode: str = ""
    # "empty": the best passages of any date up to the as-of day, which may not answer but are
    # shown beside the refusal, so a reader sees what the store holds and from when
    related: list[Passage] = field(default_factory=list)


def _best_similarity(passages: Sequence[Passage]) -> float:
    return max((p.scores.get("vector", 0.0) for p in passages), default=0.0)


def retrieve_in_time(retriever: Retriever, question: str, k: int, flt: SearchFilter | None,
                     reading: TimeReading | None, as_of: date, max_per_article: int) -> TimedRetrieval:
    """Retrieval under the as-of bound and the question's window (see the module's description)."""
    bound = time_filter(flt, None, as_of)
    w = reading.window if reading is not None else None
    pool = k * RECENCY_POOL if w is not None and w.recency else k
    if w is None or not reading.relative or w.start is None:
        ret = retriever.retrieve(question, pool, bound, max_per_article)
        return TimedRetrieval(prefer_recent(ret.passages, reading, as_of, k), ret.timings_ms)
    inside = retriever.retrieve(question, k, time_filter(flt, reading, as_of), max_per_article)
    if not inside.passages:
        # Articles without a date may be from the window: a store of undated articles is answered
        # as if the question had no time words. Dated ones outside it are never used here.
        if bound.since_ts is None:  # (a user's own "since" already leaves undated articles out)
            ret = retriever.retrieve(question, k, replace(bound, until_ts=-1), max_per_article)
            if ret.passages:
                return TimedRetrieval(prefer_recent(ret.passages, reading, as_of, k), ret.timings_ms, "undated")
        wide = retriever.retrieve(question, k, bound, max_per_article)
        return TimedRetrieval([], _summed(inside.timings_ms, wide.timings_ms), "empty",
                              prefer_recent(wide.passages, None, as_of, k))
    wide = retriever.retrieve(question, pool, bound, max_per_article)
    timings = _summed(inside.timings_ms, wide.timings_ms)
    if _best_similarity(inside.passages) >= _best_similarity(wide.passages) - WINDOW_MARGIN:
        return TimedRetrieval(prefer_recent(inside.passages, reading, as_of, k), timings, "window")
    return TimedRetrieval(prefer_recent(wide.passages, reading, as_of, k), timings, "nearest")


def _summed(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    """Two searches' stage timings added up, stage by stage."""
    return {key: a.get(key, 0.0) + b.get(key, 0.0) for key in {*a, *b}}


def no_article_in(window: TimeWindow, related: bool) -> str:
    """Why a question is refused when no article is dated in its window, for the reader: what the
    window was read as, and how to ask it of another day."""
    said = (f"No article in the store is dated in \u201c{window.phrase}\u201d ({describe(window)}), "
            "the time the question asks about.")
    if related:
        said += " The passages below are the closest from other days."
    return said + " To ask about another time, set the day the question is asked on (as of)."


def prefer_recent(passages: Sequence[Passage], reading: TimeReading | None, as_of: date,
                  k: int) -> list[Passage]:
    """The k passages to answer from, renumbered 1..k. For a recency question ("latest", "now") each
    passage's fused score gains a bonus that decays with its age at the window's end (as_of when
    open), so of two passages about as relevant the newer leads; undated passages get no bonus.
    Otherwise relevance alone orders them: on the rtqa-dev train part every date bonus given to a
    week's question whose week held nothing relevant lowered answer correctness (0.5 of the top
    score: 0.327, 0.1: 0.337, none: 0.347, before the time words were taken out of the question)."""
    w = reading.window if reading is not None else None
    if w is None or not w.recency or not passages:
        chosen = list(passages)[:k]
    else:
        top = max(p.score for p in passages)
        end = w.end or as_of

        def key(p: Passage) -> float:
            d = p.published_day()
            if d is None:
                return p.score
            age = abs((end - d).days)
            return p.score + RECENCY_WEIGHT * top * math.exp(-age / RECENCY_SCALE_DAYS)

        chosen = sorted(passages, key=lambda p: -key(p))[:k]
    return [replace(p, n=i) for i, p in enumerate(chosen, start=1)]


def newest_only(sentences: list[Sentence], passages: Sequence[Passage],
                reading: TimeReading | None) -> list[Sentence]:
    """For a recency question ("the latest price"), the sentences resting on the newest article the
    answer cites: where reports of different days disagree (the price changed), the older one is
    dropped rather than shown beside it. Sentences citing no dated passage are kept."""
    if reading is None or not reading.window.recency or len(sentences) < 2:
        return sentences
    by_n = {p.n: p for p in passages}
    dated = [_newest_cited([s], by_n) for s in sentences]
    known = [d for d in dated if d is not None]
    if not known:
        return sentences
    top = max(known)
    return [s for s, d in zip(sentences, dated) if d is None or d == top]


# "recently" (and "a recent ...") asks about the last few months of news. Counted back from the
# newest article the store holds up to the as-of day, not from that day itself: an archive of last
# year's news is asked about as it stood. On rtqa-dev's training part the "recently" questions
# answered from articles up to 33 days older than that were right, and those answered from articles
# 130 to 2,115 days older were wrong or had no answer in the store: any limit between the two
# separates them; 90 days is the usual sense of the word.
RECENT_DAYS = 90
# "most recent" asks for the latest, however old; "recently" for something new
_RECENT = re.compile(r"(?<!most )\brecent(?:ly)?\b", re.I)


def stale_for_recent(reading: TimeReading | None, sentences: Sequence[Sentence], passages: Sequence[Passage],
                     newest_ts: int | None, days: int = RECENT_DAYS) -> date | None:
    """For a question that asks what happened recently, the publication day of the newest article
    its answer cites when that is more than `days` older than the newest article in the store up
    to the as-of day (`newest_ts`): the store does not hold the recent news asked about, and an old
    story on the same subject is not it. None otherwise (and for an undated answer)."""
    if reading is None or not reading.window.recency or not _RECENT.search(reading.window.phrase) or newest_ts is None:
        return None
    cited = _newest_cited(sentences, {p.n: p for p in passages})
    if cited is None:
        return None
    newest = datetime.fromtimestamp(newest_ts, tz=timezone.utc).date()
    return cited if (newest - cited).days > days else None


def _newest_cited(sentences: Sequence[Sentence], by_n: Mapping[int, Passage]) -> date | None:
    """The publication day of the newest dated article the sentences cite, by passage number (None
    without one)."""
    days = [d for s in sentences for n in s.citations if n in by_n and (d := by_n[n].published_day()) is not None]
    return max(days) if days else None


def answer_date(sentences: Sequence[Sentence], passages: Sequence[Passage],
                reading: TimeReading | None) -> date | None:
    """For a time-bound question, the publication day of the newest article the answer cites: the
    answer says it ("as of 13 May 2024"), so a changing figure is never read as today's."""
    if reading is None or not reading.relative:
        return None
    return _newest_cited(sentences, {p.n: p for p in passages})
