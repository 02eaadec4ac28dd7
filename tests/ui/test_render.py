"""Pure rendering: escaping of everything from articles, citation markers, highlight spans,
refusals, unsupported flags and the URLs that may become links; plus the page's pure helpers."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsqa.index.articles import Chunk
from newsqa.index.store import ArticleInfo, SearchFilter
from newsqa.rag.types import REFUSAL_TEXT, Answer, Passage, Sentence, ShortAnswer, TimeWindow
from newsqa.ui import render as R
from newsqa.index.dates import day_bound as parse_day
from newsqa.ui.ask_tab import DEMO_QUESTIONS, example_questions, history_of, make_filter, source_choices
from newsqa.ui.library_tab import library_rows, parse_urls, sanitize_filename, stage_uploads

EVIL = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'


def _chunk(n: int, text: str, **kw: str) -> Chunk:
    return Chunk(id=f"a{n}:c", article_id=f"a{n}", ordinal=0, text=text, char_start=0, char_end=len(text),
                 title=kw.get("title", f"Title {n}"), source=kw.get("source", "Wire"),
                 url=kw.get("url", f"https://example.org/{n}"),
                 published_at=kw.get("published_at", "2025-06-20T10:00:00+00:00"))


def _answer(sentences: list[Sentence], passages: list[Passage], refused: bool = False, error: str = "",
            notice: str = "") -> Answer:
    return Answer("Who offered to mediate?", sentences, passages, "extractive", refused=refused,
                  timings_ms={"total": 12.0}, error=error, notice=notice)


PASSAGE = "Putin has offered to mediate between Israel and Iran. Other things happened too."


def _simple() -> Answer:
    p1 = Passage(1, _chunk(1, PASSAGE), 0.5)
    p2 = Passage(2, _chunk(2, "Unrelated text."), 0.2)
    s = Sentence("Putin offered to mediate.", [1], 0.91, True, {1: (0, PASSAGE.index(" Other"))})
    return _answer([s], [p1, p2])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def _no_live_markup(html: str) -> None:
    """Parsed as a browser would: no element or attribute that could run script survived."""
    for tag, attrs in _tags(html):
        assert tag not in ("script", "img", "iframe", "object", "embed", "svg", "style"), tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if "href" in attrs:
            assert R.safe_url(attrs["href"]), attrs["href"]


# --- escaping and links ------------------------------------------------------------------------
def test_esc_escapes_markup_and_quotes():
    assert R.esc('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"
    assert R.esc(None) == ""


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>1</script>", "vbscript:x", "//evil.example/x", "/relative", "http://",
    "file:///etc/passwd", "", None, "https://exa mple.org/", "http://x.org/\nabc",
])
def test_bad_urls_are_dropped(url):
    assert R.safe_url(url) == ""
    out = R.link(url, "label")
    assert "<a" not in out and out == "label"


def test_http_urls_become_safe_links():
    out = R.link('https://example.org/a?b=1&c="x"', "Read")
    assert out.startswith('<a href="https://example.org/a?b=1&amp;c=&quot;x&quot;"')
    assert 'rel="noopener noreferrer nofollow"' in out and 'target="_blank"' in out
    assert R.safe_url("HTTP://Example.org") == "HTTP://Example.org"


# --- markers, answers, refusals ----------------------------------------------------------------
def test_answer_has_clickable_markers_and_escaped_text():
    s = Sentence(f"Putin {EVIL} offered.", [1, 2], 0.9, True, {})
    ans = _answer([s], [Passage(1, _chunk(1, PASSAGE), 0.5), Passage(2, _chunk(2, "x"), 0.1)])
    html = R.render_answer(ans, turn=3)
    _no_live_markup(html)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    markers = re.findall(r'<button type="button" class="nq-cite" data-turn="(\d+)" data-cite="(\d+)"', html)
    assert markers == [("3", "1"), ("3", "2")]
    assert "nq-refusal" not in html and "unsupported" not in html


def test_marker_for_a_missing_passage_is_plain_text():
    ans = _answer([Sentence("Claim.", [7], 0.9, True)], [Passage(1, _chunk(1, PASSAGE), 0.5)])
    html = R.render_answer(ans, 0)
    assert 'data-cite="7"' not in html and '<span class="nq-cite-missing">[7]</span>' in html


def test_unsupported_sentence_is_flagged_visibly():
    good = Sentence("Supported claim.", [1], 0.9, True)
    bad = Sentence("Invented claim.", [1], 0.12, False)
    html = R.render_answer(_answer([good, bad], [Passage(1, _chunk(1, PASSAGE), 0.5)]), 0)
    assert html.count("nq-unsupported") == 1
    flagged = re.search(r'<span class="nq-sent nq-unsupported">(.*?)</span></span>', html).group(1)
    assert "Invented claim." in flagged and ">unsupported<" in flagged + "</span>"
    assert "1 sentence not supported" in html


def test_refusal_is_distinct_and_lists_related_passages():
    p = Passage(1, _chunk(1, "Some related text " * 30, title=f"Related {EVIL}"), 0.3)
    ans = _answer([Sentence(REFUSAL_TEXT)], [p], refused=True)
    html = R.render_answer(ans, 2)
    _no_live_markup(html)
    assert 'class="nq-answer nq-refusal"' in html and 'role="note"' in html
    assert R.esc(REFUSAL_TEXT) in html
    assert "Related passages" in html and 'data-turn="2" data-cite="1"' in html
    assert "Related &lt;script&gt;" in html
    assert "…" in html  # the long passage is previewed, not dumped


def test_refusal_for_an_empty_store_says_so():
    ans = _answer([Sentence(REFUSAL_TEXT)], [], refused=True, error="the store is empty: add articles first")
    html = R.render_answer(ans, 0)
    assert "the store is empty" in html and "Related passages" not in html


def test_refusal_says_why_when_no_article_is_from_the_time_asked_about():
    p = Passage(1, _chunk(1, "An older report " * 5, title="Older report"), 0.3)
    ans = _answer([Sentence(REFUSAL_TEXT)], [p], refused=True, notice=f"No article is dated {EVIL}.")
    html = R.render_answer(ans, 0)
    _no_live_markup(html)
    assert '<div class="nq-notice">No article is dated &lt;script&gt;' in html and "Related passages" in html


def test_a_refusal_quotes_the_closest_sentence_as_no_answer_and_says_why():
    p = Passage(1, _chunk(1, PASSAGE), 0.3)
    ans = _answer([Sentence(REFUSAL_TEXT)], [p], refused=True)
    assert "nq-closest" not in R.render_answer(ans, 1)  # nothing came close: no such block
    ans.refusal_reason = "the passages are about something else"
    assert "Refused because the passages are about something else." in R.render_answer(ans, 1)
    ans.notice = "No article is dated in this week."  # the notice says why: not said twice
    assert "Refused because" not in R.render_answer(ans, 1)
    ans.notice = ""
    ans.closest = Sentence(f"Putin has offered {EVIL} to mediate.", [1], 0.9, True)
    ans.refusal_reason = "no sentence answers the question (score 0.33, below 0.41)"
    html = R.render_answer(ans, 1)
    _no_live_markup(html)
    assert "The closest the articles come (not taken as an answer)" in html
    assert "Putin has offered &lt;script&gt;" in html and 'data-turn="1" data-cite="1"' in html
    assert "Refused because no sentence answers the question (score 0.33, below 0.41)." in html
    assert html.index("nq-closest") < html.index("Related passages")  # before the related reading
    # the sources panel highlights that sentence in its passage
    ans.closest.spans = {1: (0, PASSAGE.index(" Other"))}
    card = R.render_source_card(ans, 1, 1)
    assert '<mark class="nq-hl">Putin has offered to mediate between Israel and Iran.</mark>' in card
    assert "Quoted as the closest the articles come" in card and "Not cited by the answer" not in card


def test_conversation_escapes_questions_and_streams_text():
    turns = [R.ChatTurn(f"Q {EVIL}", answer=_simple()), R.ChatTurn("second?", partial="Put<b>in"),
             R.ChatTurn("third?"), R.ChatTurn("fourth?", error="dates are <YYYY>")]
    html = R.render_conversation(turns)
    _no_live_markup(html)
    assert "Q &lt;script&gt;" in html and "Put&lt;b&gt;in" in html
    assert "Searching the articles" in html and "dates are &lt;YYYY&gt;" in html
    assert 'data-turn="0" data-cite="1"' in html


def test_welcome_and_empty_store():
    assert "Library" in R.render_welcome(0) and "newsqa ingest" in R.render_welcome(0)
    assert "2 indexed articles" in R.render_welcome(2)
    assert R.render_conversation([], "W") == '<div class="nq-chat nq-chat-empty">W</div>'


# --- highlight spans and the sources panel -----------------------------------------------------
def test_highlight_escapes_each_piece_and_merges_spans():
    text = "a<b>c & d<e>f"
    out = R.highlight(text, [(1, 4), (3, 6), (100, 200), (-5, 0), ("x", 2)])
    assert out == 'a<mark class="nq-hl">&lt;b&gt;c </mark>&amp; d&lt;e&gt;f'
    assert R.highlight("plain", []) == "plain"
    assert R.merge_spans([(5, 9), (0, 2), (2, 3)], 8) == [(0, 3), (5, 8)]


def test_sources_panel_shows_provenance_highlight_and_support():
    html = R.render_sources(_simple(), turn=0, focus=1)
    assert '<mark class="nq-hl">Putin has offered to mediate between Israel and Iran.</mark>' in html
    assert "Title 1" in html and "Wire" in html and "2025-06-20" in html
    assert 'href="https://example.org/1"' in html
    assert "support 0.91" in html and "supported" in html
    assert 'class="nq-source nq-focused" data-n="1"' in html


def test_sources_panel_without_spans_falls_back_to_plain_text():
    p1 = Passage(1, _chunk(1, PASSAGE), 0.5)
    ans = _answer([Sentence("Claim.", [1], 0.8, True)], [p1])
    html = R.render_sources(ans, 0, 1)
    assert "<mark" not in html and R.esc(PASSAGE) in html


def test_sources_panel_escapes_article_fields_and_drops_bad_links():
    chunk = _chunk(1, f"Body {EVIL}", title=f"T {EVIL}", source=f"S {EVIL}", url="javascript:window.__xss=1")
    ans = _answer([Sentence("Claim.", [1], 0.8, True, {1: (0, 4)})], [Passage(1, chunk, 0.5)])
    html = R.render_sources(ans, 0, 1)
    _no_live_markup(html)
    assert "<a " not in html
    assert "javascript:window.__xss=1" in html  # shown as text, not as a link


def test_sources_panel_focus_and_other_markers():
    html = R.render_sources(_simple(), 4, focus=2)  # 2 is retrieved but not cited
    assert 'data-n="2"' in html and "Not cited by the answer" in html
    assert 'data-turn="4" data-cite="1"' in html
    assert "Click a citation" in R.render_sources(None, 0)
    first = R.render_sources(_simple(), 0)  # no focus: the first cited passage
    assert 'data-n="1"' in first


def test_report_frame_is_sandboxed_and_escaped():
    html = R.render_report_frame(f"<h1>Report</h1>{EVIL}")
    assert html.startswith('<iframe class="nq-report" sandbox=""')
    assert "<script" not in html and "&lt;script&gt;" in html


def test_status_escapes():
    assert R.render_status(f"bad {EVIL}", "error").count("<script") == 0
    assert R.render_status("") == ""


# --- the page's pure helpers -------------------------------------------------------------------
def test_parse_day_and_filter():
    assert parse_day("2025-06-20") == int(datetime(2025, 6, 20, tzinfo=timezone.utc).timestamp())
    assert parse_day("2025-06-20", end=True) == int(datetime(2025, 6, 20, 23, 59, 59, 999999,
                                                             tzinfo=timezone.utc).timestamp())
    assert parse_day("") is None and parse_day(None) is None
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("20/06/2025")
    assert make_filter("", "", "") is None
    flt = make_filter("2025-06-01", "2025-06-30", "Wire")
    assert isinstance(flt, SearchFilter) and flt.sources == ("Wire",) and flt.since_ts < flt.until_ts
    with pytest.raises(ValueError, match="after"):
        make_filter("2025-07-01", "2025-06-01")


def _info(aid: str, title: str, source: str = "", ts: int = -1, date: str = "") -> ArticleInfo:
    return ArticleInfo(aid, title, source, "", date, ts, 2, "h", "o")


def test_examples_demo_and_generic():
    assert example_questions({}) == []
    demo = {"000_d17cc11a6fb020e6": _info("000_d17cc11a6fb020e6", "x")}
    assert example_questions(demo) == DEMO_QUESTIONS
    infos = {"a": _info("a", "Old story", ts=1), "b": _info("b", "Rates rise again in June", ts=5),
             "c": _info("c", "A " * 80 + "…", ts=3)}
    qs = example_questions(infos)
    assert qs[0] == "What do the articles report about “Rates rise again in June”?"
    assert len(qs) == 3 and all(len(q) < 120 for q in qs)


def test_library_rows_and_sources():
    infos = {"a": _info("a", "Putin offers talks", "Wire", 1, "2025-06-20T00:00:00+00:00"),
             "b": _info("b", "Rates", "daily", 2, "2025-06-21T00:00:00+00:00")}
    rows = library_rows(infos)
    assert rows[0] == ["Rates", "daily", "2025-06-21", 2, "b"]
    assert [r[4] for r in library_rows(infos, "PUTIN")] == ["a"]
    assert source_choices(infos) == [("All sources", ""), ("daily", "daily"), ("Wire", "Wire")]


def test_history_skips_unanswered_and_blanks_refusals():
    refused = _answer([Sentence(REFUSAL_TEXT)], [], refused=True)
    conv = [R.ChatTurn("q1", answer=_simple()), R.ChatTurn("q2", answer=refused), R.ChatTurn("q3", error="x")]
    hist = history_of(conv)
    assert [(t.question, t.answer) for t in hist] == [("q1", "Putin offered to mediate. [1]"), ("q2", "")]


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd"), ("..\\..\\x.TXT", "x.txt"), (".hidden.md", "hidden.md"),
    ("a b<c>.html", "a_b_c.html"), ("ünïcödé.json", "unicode.json"), ("", "upload"), ("....", "upload"),
])
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


def test_parse_urls_accepts_only_http():
    urls, bad = parse_urls("https://a.example/x\n\n/etc/passwd\nfile:///etc/passwd\nhttps://a.example/x\nhttp://b.example")
    assert urls == ["https://a.example/x", "http://b.example"]
    assert [b[0] for b in bad] == ["/etc/passwd", "file:///etc/passwd"]
    assert all(b[1].startswith("rejected:") for b in bad)


def test_stage_uploads_copies_only_uploaded_regular_files(tmp_path: Path):
    root = tmp_path / "uploads"
    (root / "h1").mkdir(parents=True)
    dest = tmp_path / "stage"
    dest.mkdir()
    good = root / "h1" / "story.txt"
    good.write_text("Title\n\nBody.", encoding="utf-8")
    twin = root / "story.txt"
    twin.write_text("Other\n\nBody two.", encoding="utf-8")
    big = root / "big.md"
    big.write_bytes(b"x" * 101)
    pdf = root / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    link = root / "link.txt"
    link.symlink_to(outside)
    staged, rejected = stage_uploads(
        [str(good), str(twin), str(big), str(pdf), str(outside), str(link), str(root / "gone.txt")],
        dest, max_bytes=100, upload_root=root)
    assert [(s.display, s.path.name) for s in staged] == [("story.txt", "story.txt"), ("story.txt", "story-2.txt")]
    assert all(s.path.parent == dest for s in staged)
    assert staged[0].path.read_text(encoding="utf-8") == "Title\n\nBody."
    reasons = {r[0]: r[1] for r in rejected}
    assert "over the limit of 100" in reasons["big.md"]
    assert "unsupported file type '.pdf'" in reasons["paper.pdf"]
    assert reasons["secret.txt"] == "rejected: not an uploaded file"
    assert reasons["link.txt"] == "rejected: not an uploaded file"  # resolves outside the upload folder
    assert "no longer available" in reasons["gone.txt"]
    assert sorted(p.name for p in dest.iterdir()) == ["story-2.txt", "story.txt"]


def test_follow_up_shows_how_it_was_understood():
    ans = _simple()
    assert "Understood as" not in R.render_answer(ans, 0)
    ans.standalone_question = f"Who offered to mediate? (Putin {EVIL})"
    html = R.render_answer(ans, 0)
    _no_live_markup(html)
    assert "Understood as: “Who offered to mediate? (Putin &lt;script&gt;" in html


# --- short answers, time windows, feedback buttons and source cards (issues 11, 13, 15) -----------
def _with_short(start: int, end: int, n: int = 1) -> Answer:
    ans = _simple()
    ans.short_answer = ShortAnswer(PASSAGE[start:end], n, start, end)
    return ans


def test_short_answer_comes_first_and_is_highlighted_inside_its_sentence():
    ans = _with_short(0, 5)  # "Putin"
    html = R.render_answer(ans, 3)
    assert html.index('class="nq-short"') < html.index('class="nq-sent"')
    assert '<span class="nq-short-text">Putin</span> <button type="button" class="nq-cite" data-turn="3" data-cite="1"' in html
    card = R.render_sources(ans, 3, 1)
    assert ('<mark class="nq-hl nq-hl-short">Putin</mark><mark class="nq-hl"> has offered to mediate between '
            'Israel and Iran.</mark>') in card
    # in another passage the short answer is not marked; without one nothing changes
    assert "nq-hl-short" not in R.render_sources(ans, 3, 2)
    assert "nq-short" not in R.render_answer(_simple(), 0)
    # a refusal shows no short answer
    ans.refused = True
    assert "nq-short" not in R.render_answer(ans, 0) and "nq-hl-short" not in R.render_sources(ans, 0, 1)


def test_a_date_short_answer_shows_the_day_it_names_where_it_leaves_out_the_year():
    from datetime import date

    ans = _with_short(0, 5)
    ans.short_answer = ShortAnswer("Thursday", 1, 0, 5, day=date(2025, 6, 19))
    assert '<span class="nq-short-text">Thursday (19 June 2025)</span>' in R.render_answer(ans, 0)
    ans.short_answer = ShortAnswer("19 June 2025", 1, 0, 5, day=date(2025, 6, 19))
    assert '<span class="nq-short-text">19 June 2025</span>' in R.render_answer(ans, 0)


def test_a_compound_questions_short_answers_lead_in_order_each_with_its_citation_and_mark():
    ans = _with_short(0, 5)  # "Putin", then "Israel" for the question's second part
    at = PASSAGE.index("Israel")
    ans.short_answers = (ans.short_answer, ShortAnswer("Israel", 1, at, at + len("Israel")))
    html = R.render_answer(ans, 2)
    lead = html[html.index('class="nq-short"'):html.index('class="nq-sent"')]
    assert lead.index(">Putin<") < lead.index('nq-short-sep') < lead.index(">Israel<")
    assert lead.count('class="nq-cite" data-turn="2" data-cite="1"') == 2
    card = R.render_sources(ans, 2, 1)
    assert '<mark class="nq-hl nq-hl-short">Putin</mark>' in card
    assert '<mark class="nq-hl nq-hl-short">Israel</mark>' in card
    # a list that does not start with the lead answer is stale (the lead was replaced): the lead alone
    ans.short_answer = ShortAnswer("Iran", 1, PASSAGE.index("Iran"), PASSAGE.index("Iran") + 4)
    assert ">Israel<" not in R.render_answer(ans, 2) and ">Iran<" in R.render_answer(ans, 2)


def test_a_compound_questions_unanswered_part_is_said_under_the_answer_and_escaped():
    ans = _simple()
    ans.unanswered_parts = (f"who won the regatta {EVIL}?",)
    html = R.render_answer(ans, 0)
    _no_live_markup(html)
    note = html[html.index('class="nq-unanswered"'):]
    assert html.index('class="nq-sent"') < html.index('class="nq-unanswered"')
    assert note.startswith('class="nq-unanswered">Not answered from the articles: “who won the regatta &lt;script&gt;')
    assert "nq-unanswered" not in R.render_answer(_simple(), 0)


def test_short_answer_text_is_escaped_and_bad_offsets_are_clipped():
    ans = _simple()
    ans.short_answer = ShortAnswer(EVIL, 1, 70, 10_000)
    html = R.render_answer(ans, 0) + R.render_sources(ans, 0, 1)
    _no_live_markup(html)
    assert f'<mark class="nq-hl nq-hl-short">{PASSAGE[70:]}</mark></blockquote>' in R.render_sources(ans, 0, 1)
    assert R.highlight("abcdef", [(0, 4)], [(2, 99)]) == ('<mark class="nq-hl">ab</mark>'
                                                           '<mark class="nq-hl nq-hl-short">cdef</mark>')


def test_understood_as_shows_the_time_window():
    ans = _simple()
    ans.time_window = TimeWindow("this week", date(2026, 11, 30), date(2026, 12, 6))
    html = R.render_answer(ans, 0)
    assert "Understood as:" in html and "“this week”: published 2026-11-30 to 2026-12-06" in html
    ans.time_window = TimeWindow("latest", None, date(2026, 12, 2), recency=True)
    ans.standalone_question = "Who offered to mediate? (Putin)"
    html = R.render_answer(ans, 0)
    assert "“Who offered to mediate? (Putin)” · " in html
    assert "“latest”: published up to 2026-12-02, the newest first" in html
    ans.time_window = TimeWindow(f"in {EVIL}", date(2026, 6, 1), None)
    _no_live_markup(R.render_answer(ans, 0))


def test_as_of_is_shown_when_not_today():
    ans = _simple()
    ans.as_of = date(2024, 5, 13)
    assert "as of 2024-05-13" in R.render_answer(ans, 0)
    ans.as_of = date.today()
    assert "as of" not in R.render_answer(ans, 0)


def test_answer_says_the_date_of_its_newest_report():
    ans = _simple()
    assert "newest cited report" not in R.render_answer(ans, 0)
    ans.answer_date = date(2024, 5, 13)
    assert "As of 13 May 2024, the date of the newest cited report" in R.render_answer(ans, 0)
    ans.refused = True
    assert "newest cited report" not in R.render_answer(ans, 0)


def test_feedback_buttons_under_each_answer_show_the_verdict():
    html = R.render_answer(_simple(), 2)
    for rating in ("up", "down", "wrong_citation"):
        assert f'data-turn="2" data-fb="{rating}" aria-pressed="false"' in html
    assert 'class="nq-fb-note"' in html and "Thanks" not in html
    rated = R.render_conversation([R.ChatTurn("Q <1>?", _simple(), rating="wrong_citation")])
    assert 'data-fb="wrong_citation" aria-pressed="true"' in rated and 'data-fb="up" aria-pressed="false"' in rated
    assert "Thanks: recorded wrong citation" in rated
    refusal = _answer([Sentence(REFUSAL_TEXT)], [], refused=True)
    assert 'data-fb="up"' in R.render_answer(refusal, 0)  # an approved refusal is worth keeping too
    assert "data-fb" not in R.render_conversation([R.ChatTurn("Q?", error="boom")])


def test_source_card_puts_provenance_first_and_ids_under_details():
    ans = _simple()
    ans.passages[0].scores = {"bm25": 0.25, "vector": 0.75}
    card = R.render_source_card(ans, 1, 0, True)
    head, details = card.split('<details class="nq-details">', 1)
    assert head.index("Title 1") < head.index("Wire") < head.index("2025-06-20") < head.index('href="https://example.org/1"')
    assert "a1" not in head.replace("data-n", "")  # no ids before the details
    assert "<summary>details</summary>" in details and "article a1" in details and "chunk a1:c" in details
    assert "retrieval score 0.500 (bm25 0.250, vector 0.750)" in details and "support 0.91" in details
    assert "<details open" not in card
    untitled = _answer([Sentence("Claim.", [1], 0.8, True)], [Passage(1, _chunk(1, PASSAGE, title=""), 0.5)])
    assert "(untitled article)" in R.render_source_card(untitled, 1, 0)


def test_source_card_lists_other_outlets_when_present():
    ans = _simple()
    assert "also in" not in R.render_source_card(ans, 1, 0)
    ans.passages[0].chunk.extra["also_in"] = json.dumps([
        {"source": "Hill Herald", "url": "https://hh.example/x", "date": "2025-06-21T08:00:00", "article_id": "h1"},
        {"source": f"Bad {EVIL}", "url": "javascript:alert(1)", "date": "", "article_id": "b1"},
        {"source": "", "url": "", "date": "2025-06-22", "article_id": "nothing"},
    ])
    card = R.render_source_card(ans, 1, 0)
    _no_live_markup(card)
    assert ('also in: <a href="https://hh.example/x" target="_blank" rel="noopener noreferrer nofollow">Hill Herald</a>'
            ' (2025-06-21), Bad &lt;script&gt;') in card
    assert "javascript:alert" not in card and "nothing" not in card

    class Other:  # issue 12 may put objects on the passage instead
        source, url, date, article_id = "River Times", "https://rt.example/1", "2025-06-23", "r1"

    class WithAlso:
        __slots__ = ("n", "chunk", "score", "scores", "also_in")

    p = WithAlso()
    p.n, p.chunk, p.score, p.scores, p.also_in = 1, _chunk(1, PASSAGE), 0.5, {}, [Other()]
    assert R.also_in(p) == [{"source": "River Times", "url": "https://rt.example/1", "date": "2025-06-23",
                             "article_id": "r1"}]
