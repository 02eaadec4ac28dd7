"""Answers, sources and the library as HTML fragments for the page.

Everything that comes from an article (titles, text, sources, URLs) or from a person (questions) is
untrusted: it goes through `esc` before it reaches the page, and only http(s) URLs become links.
These functions are pure (no gradio, no store), so the escaping can be unit-tested directly.

Citation markers are `<button data-turn=T data-cite=N>`: the page's click handler (ui/ask_tab.py) turns a
click into an event carrying (turn, n), and the server answers with `render_sources` for that turn.
Feedback buttons under an answer are `<button data-turn=T data-fb=RATING>` beside a note field; the
same handler sends (turn, rating, note).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Sequence

from newsqa.rag.links import safe_url
from newsqa.rag.types import Answer, Passage, Sentence, TimeWindow, unanswered_note

PASSAGE_PREVIEW = 160  # characters of a passage shown under a refusal's related reading


@dataclass
class ChatTurn:
    """One question of the conversation and, once it arrives, its answer.

    `partial` holds streamed text while a generated backend is still writing.
    """

    question: str
    answer: Answer | None = None
    partial: str = ""
    error: str = ""
    rating: str = ""  # the reader's latest verdict on the answer ("up", "down", "wrong_citation")


def esc(text: object) -> str:
    """Text as inert HTML: `<`, `>`, `&` and both quote characters escaped."""
    return html.escape("" if text is None else str(text), quote=True)


def link(url: str | None, label: str | None = None) -> str:
    """A link that opens in a new tab for http(s) URLs; any other URL is shown as text only."""
    good = safe_url(url)
    text = esc(label if label else (url or ""))
    if not good:
        return text
    return f'<a href="{esc(good)}" target="_blank" rel="noopener noreferrer nofollow">{text}</a>'


def day(iso: str | None) -> str:
    """YYYY-MM-DD from an ISO timestamp; '' when unknown."""
    return (iso or "")[:10]


def merge_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans clipped to [0, length], empty ones dropped, overlapping or touching ones merged."""
    clean = []
    for span in spans:
        try:
            a, b = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        a, b = max(0, a), min(length, b)
        if b > a:
            clean.append((a, b))
    clean.sort()
    out: list[tuple[int, int]] = []
    for a, b in clean:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def highlight(text: str, spans: Iterable[tuple[int, int]], strong: Iterable[tuple[int, int]] = ()) -> str:
    """The escaped text with each span wrapped in `<mark>` (and each `strong` span, the short
    answer, in `<mark class="nq-hl nq-hl-short">`); escaping happens per piece, after slicing, so
    spans index the original characters."""
    weak = merge_spans(spans, len(text))
    hard = merge_spans(strong, len(text))
    cuts = sorted({0, len(text), *(x for a, b in weak + hard for x in (a, b))})
    pieces: list[tuple[str, str]] = []  # (class, text), neighbours of one class joined
    for a, b in zip(cuts, cuts[1:]):
        cls = ("nq-hl nq-hl-short" if any(x <= a and b <= y for x, y in hard)
               else "nq-hl" if any(x <= a and b <= y for x, y in weak) else "")
        if pieces and pieces[-1][0] == cls:
            pieces[-1] = (cls, pieces[-1][1] + text[a:b])
        else:
            pieces.append((cls, text[a:b]))
    return "".join(f'<mark class="{cls}">{esc(t)}</mark>' if cls else esc(t) for cls, t in pieces)


def cite_marker(turn: int, n: int, known: bool = True) -> str:
    """A clickable `[n]`; a number that names no passage is shown as plain text."""
    if not known:
        return f'<span class="nq-cite-missing">[{int(n)}]</span>'
    return (f'<button type="button" class="nq-cite" data-turn="{int(turn)}" data-cite="{int(n)}" '
            f'title="Show source {int(n)}" aria-label="Show source {int(n)}">[{int(n)}]</button>')


def _passage(answer: Answer, n: int) -> Passage | None:
    return next((p for p in answer.passages if p.n == n), None)


def _sentence_html(s: Sentence, turn: int, known: set[int]) -> str:
    marks = "".join(cite_marker(turn, n, n in known) for n in s.citations)
    body = esc(s.text)
    if s.supported:
        return f'<span class="nq-sent">{body}{" " + marks if marks else ""}</span>'
    flag = ('<span class="nq-flag" title="No retrieved passage supports this sentence well enough '
            f'(support {s.support:.2f})">unsupported</span>')
    return f'<span class="nq-sent nq-unsupported">{body}{" " + marks if marks else ""} {flag}</span>'


def _meta_line(p: Passage) -> str:
    c = p.chunk
    bits = [esc(x) for x in (c.source, day(c.published_at)) if x]
    return " · ".join(bits)


def render_answer(answer: Answer, turn: int, rating: str = "") -> str:
    """One answer as a chat message: the short answer, then cited sentences (or a refusal with
    related reading), how the question was understood, and the feedback buttons."""
    known = {p.n for p in answer.passages}
    if answer.refused:
        parts = ['<div class="nq-answer nq-refusal" role="note">',
                 f'<div class="nq-refusal-text"><span class="nq-refusal-icon" aria-hidden="true">⊘</span> '
                 f'{esc(" ".join(s.text for s in answer.sentences))}</div>']
        for said in (answer.error, answer.notice):
            if said:
                parts.append(f'<div class="nq-notice">{esc(said)}</div>')
        parts.append(_closest(answer, turn, known))
        parts.append(_understood_as(answer))
        if answer.passages:
            parts.append('<div class="nq-related-label">Related passages</div><ul class="nq-related">')
            for p in answer.passages:
                c = p.chunk
                quote = " ".join(c.text.split())
                if len(quote) > PASSAGE_PREVIEW:
                    quote = quote[:PASSAGE_PREVIEW].rstrip() + "…"
                meta = _meta_line(p)
                meta_html = f' <span class="nq-meta">({meta})</span>' if meta else ""
                parts.append(
                    f'<li>{cite_marker(turn, p.n)} <span class="nq-related-title">{esc(_title(p))}</span>'
                    f'{meta_html}'
                    f'<div class="nq-related-quote">{esc(quote)}</div></li>'
                )
            parts.append("</ul>")
        parts.append(render_feedback(turn, rating))
        parts.append("</div>")
        return "".join(parts)
    body = " ".join(_sentence_html(s, turn, known) for s in answer.sentences)
    total = answer.timings_ms.get("total")
    took = f" in {total:.0f} ms" if total is not None else ""
    as_of = f" · as of {answer.as_of.isoformat()}" if answer.as_of and answer.as_of != date.today() else ""
    unsupported = sum(1 for s in answer.sentences if not s.supported)
    warn = (f'<div class="nq-notice">{unsupported} sentence{"s" if unsupported != 1 else ""} not supported '
            f'by the sources (flagged)</div>') if unsupported else ""
    missing = (f'<div class="nq-unanswered">{esc(unanswered_note(answer.unanswered_parts))}</div>'
               if answer.unanswered_parts else "")
    return (f'<div class="nq-answer">{_short_answer(answer, turn, known)}{body}{missing}{_answer_date(answer)}'
            f'{warn}{_understood_as(answer)}'
            f'<div class="nq-answer-meta">{esc(answer.backend)}{esc(took)}{esc(as_of)}</div>'
            f'{render_feedback(turn, rating)}</div>')


def _closest(answer: Answer, turn: int, known: set[int]) -> str:
    """On a refusal, the sentence that came closest to answering, labelled as no answer, and why
    the question was refused: the reader can judge a refusal by what the articles do say."""
    why = (f'<div class="nq-refusal-reason">Refused because {esc(answer.reason_to_say)}.</div>'
           if answer.reason_to_say else "")
    if answer.closest is None:
        return why
    return ('<div class="nq-closest"><div class="nq-related-label">The closest the articles come '
            '(not taken as an answer)</div>'
            f'<blockquote class="nq-closest-quote">{_sentence_html(answer.closest, turn, known)}</blockquote>'
            f'{why}</div>')


def _answer_date(answer: Answer) -> str:
    """News facts change (a price, a standing): the date of the newest cited report tells the reader
    when the answer was true."""
    d = answer.answer_date
    if d is None:
        return ""
    return f'<div class="nq-answer-date">As of {d.day} {d:%B %Y}, the date of the newest cited report</div>'


def _short_answer(answer: Answer, turn: int, known: set[int]) -> str:
    """The span that answers the question (one per part of a compound question), first and on its
    own line, each with the passage it is in."""
    shown = [sa for sa in answer.all_short_answers() if sa.text.strip()]
    if not shown:
        return ""
    return ('<div class="nq-short">' + ' <span class="nq-short-sep">·</span> '.join(
        f'<span class="nq-short-text">{esc(sa.shown())}</span> {cite_marker(turn, sa.n, sa.n in known)}'
        for sa in shown) + '</div>')


# Text labels: emoji need a colour font that many machines (and headless browsers) lack.
FEEDBACK_BUTTONS = (("up", "▲ good", "Good answer (thumbs up)"), ("down", "▼ bad", "Bad answer (thumbs down)"),
                    ("wrong_citation", "wrong citation", "A cited passage does not say this"))
RATING_WORDS = {"up": "thumbs up", "down": "thumbs down", "wrong_citation": "wrong citation"}


def render_feedback(turn: int, rating: str = "") -> str:
    """Thumbs up, thumbs down, "wrong citation" and a note field under an answer; the reader's
    verdict, once given, is shown pressed."""
    buttons = []
    for value, label, title in FEEDBACK_BUTTONS:
        pressed = "true" if value == rating else "false"
        buttons.append(f'<button type="button" class="nq-fb nq-fb-{value}" data-turn="{int(turn)}" '
                       f'data-fb="{value}" aria-pressed="{pressed}" title="{title}" aria-label="{title}">'
                       f'{label}</button>')
    done = (f'<span class="nq-fb-done" role="status">Thanks: recorded {esc(RATING_WORDS[rating])}</span>'
            if rating in RATING_WORDS else "")
    return (f'<div class="nq-feedback" data-turn="{int(turn)}">{"".join(buttons)}'
            f'<input type="text" class="nq-fb-note" maxlength="2000" placeholder="note (optional)" '
            f'aria-label="Note on this answer">{done}</div>')


def window_text(tw: TimeWindow) -> str:
    """How a time phrase was read: "“this week”: published 2026-11-30 to 2026-12-06"."""
    if tw.start and tw.end:
        span = f"published {tw.start.isoformat()} to {tw.end.isoformat()}"
    elif tw.start:
        span = f"published from {tw.start.isoformat()}"
    elif tw.end:
        span = f"published up to {tw.end.isoformat()}"
    else:
        span = ""
    if tw.recency:
        span = (span + ", " if span else "") + "the newest first"
    phrase = f"“{tw.phrase}”" if tw.phrase else "time"
    return f"{phrase}: {span}" if span else phrase


def _understood_as(answer: Answer) -> str:
    """A follow-up is answered as a rewritten standalone question, and time words as a window of
    publication dates; showing both explains the answer."""
    bits = []
    sq = (answer.standalone_question or "").strip()
    if sq and sq != answer.question.strip():
        bits.append(f"“{esc(sq)}”")
    if answer.time_window is not None:
        bits.append(f'<span class="nq-window">{esc(window_text(answer.time_window))}</span>')
    if not bits:
        return ""
    return f'<div class="nq-standalone">Understood as: {" · ".join(bits)}</div>'


def render_turn(t: ChatTurn, turn: int) -> str:
    q = f'<div class="nq-msg nq-user"><div class="nq-bubble">{esc(t.question)}</div></div>'
    if t.error:
        a = f'<div class="nq-answer nq-error" role="alert">{esc(t.error)}</div>'
    elif t.answer is not None:
        a = render_answer(t.answer, turn, t.rating)
    elif t.partial:
        a = f'<div class="nq-answer nq-streaming">{esc(t.partial)}<span class="nq-caret" aria-hidden="true">▍</span></div>'
    else:
        a = '<div class="nq-answer nq-streaming nq-pending">Searching the articles…</div>'
    return f'{q}<div class="nq-msg nq-bot" data-turn="{turn}">{a}</div>'


def render_conversation(turns: Sequence[ChatTurn], welcome: str = "") -> str:
    if not turns:
        return f'<div class="nq-chat nq-chat-empty">{welcome}</div>'
    return '<div class="nq-chat">' + "".join(render_turn(t, i) for i, t in enumerate(turns)) + "</div>"


def render_welcome(n_articles: int) -> str:
    """What the chat shows before the first question."""
    if n_articles <= 0:
        return render_empty_store()
    plural = "article" if n_articles == 1 else "articles"
    return (f'<div class="nq-welcome">Ask a question about the {n_articles} indexed {plural}. Every '
            f'sentence of an answer cites the passage it rests on; click a <span class="nq-cite-demo">[n]</span> '
            f'marker to read that passage.</div>')


def render_empty_store() -> str:
    return ('<div class="nq-welcome nq-empty-store"><strong>No articles yet.</strong> Add some in the '
            '<em>Library</em> tab (upload files or paste URLs), or from a terminal: '
            '<code>newsqa ingest PATH_OR_URL …</code> (or <code>newsqa ingest --demo</code> for the '
            'bundled sample articles).</div>')


def _support_lines(answer: Answer, n: int) -> list[str]:
    out = []
    for s in answer.sentences:
        if n not in s.citations:
            continue
        state = "supported" if s.supported else "unsupported"
        out.append(f'<li class="nq-support-{state}"><span class="nq-score">support {s.support:.2f}</span> '
                   f'<span class="nq-state">{state}</span> — “{esc(s.text)}”</li>')
    return out


def _title(p: Passage) -> str:
    return p.chunk.title or "(untitled article)"


def also_in(p: Passage) -> list[dict[str, str]]:
    """Other outlets that carried the same story (source, url, date, article_id), when retrieval
    grouped syndicated copies; from the passage, its chunk, or a stored answer's chunk extras."""
    raw: Any = getattr(p, "also_in", None) or getattr(p.chunk, "also_in", None)
    if not raw and isinstance(getattr(p.chunk, "extra", None), dict) and p.chunk.extra.get("also_in"):
        try:
            raw = json.loads(p.chunk.extra["also_in"])
        except (TypeError, ValueError):
            raw = None
    out = []
    for item in raw or []:
        get = item.get if isinstance(item, dict) else (lambda k, _i=item: getattr(_i, k, ""))
        entry = {k: str(get(k) or "") for k in ("source", "url", "date", "article_id")}
        if not entry["date"]:
            entry["date"] = str(get("published_at") or "")
        if entry["source"] or entry["url"]:
            out.append(entry)
    return out


def _also_in_html(p: Passage) -> str:
    items = []
    for e in also_in(p):
        label = e["source"] or e["url"]
        when = f" ({esc(day(e['date']))})" if e["date"] else ""
        items.append((link(e["url"], label) if safe_url(e["url"]) else esc(label)) + when)
    return f'<div class="nq-also-in">also in: {", ".join(items)}</div>' if items else ""


def render_source_card(answer: Answer, n: int, turn: int, focused: bool = False) -> str:
    """One passage as the sources panel shows it: title, outlet, date and a safe link first; other
    outlets carrying the story; the text with the cited spans (and the short answer) highlighted;
    then, collapsed under "details", the ids and the scores."""
    p = _passage(answer, n)
    if p is None:
        return f'<div class="nq-source nq-source-missing">Source [{int(n)}] is not among this answer\'s passages.</div>'
    c = p.chunk
    # a refusal highlights the sentence that came closest, which its quote cites
    closest = answer.closest if answer.refused else None
    quoted = [closest] if closest is not None else answer.sentences
    spans = [s.spans[n] for s in quoted if n in s.citations and n in s.spans]
    strong = [] if answer.refused else [(sa.start, sa.end) for sa in answer.all_short_answers() if sa.n == n]
    url = safe_url(c.url)
    meta = []
    if c.source:
        meta.append(f'<span class="nq-src-name">{esc(c.source)}</span>')
    if c.published_at:
        meta.append(f'<time>{esc(day(c.published_at))}</time>')
    if url:
        meta.append(link(url, "open article ↗"))
    elif c.url:
        meta.append(f'<span class="nq-url-text">{esc(c.url)}</span>')
    support = _support_lines(answer, n)
    if support:
        cited = ""
    elif closest is not None and n in closest.citations:
        cited = '<div class="nq-muted">Quoted as the closest the articles come, not as an answer.</div>'
    else:
        cited = '<div class="nq-muted">Not cited by the answer (related reading).</div>'
    support_html = f'<ul class="nq-support">{"".join(support)}</ul>' if support else ""
    by_retriever = ", ".join(f"{esc(k)} {v:.3f}" for k, v in sorted(p.scores.items()))
    ids = (f'<div class="nq-ids">article {esc(c.article_id)} · chunk {esc(c.id)} · characters '
           f'{int(c.char_start)}–{int(c.char_end)} · retrieval score {p.score:.3f}'
           f'{" (" + by_retriever + ")" if by_retriever else ""}</div>')
    cls = "nq-source nq-focused" if focused else "nq-source"
    return (f'<div class="{cls}" data-n="{int(n)}">'
            f'<div class="nq-source-head"><span class="nq-source-n">[{int(n)}]</span> '
            f'<span class="nq-source-title">{esc(_title(p))}</span></div>'
            f'<div class="nq-meta">{" · ".join(meta)}</div>'
            f'{_also_in_html(p)}'
            f'<blockquote class="nq-passage">{highlight(c.text, spans, strong)}</blockquote>'
            f'{cited}'
            f'<details class="nq-details"><summary>details</summary>{support_html}{ids}</details>'
            f'</div>')


def render_sources(answer: Answer | None, turn: int, focus: int | None = None) -> str:
    """The sources panel for one answer: the clicked passage first, then the answer's other sources
    as clickable markers."""
    if answer is None:
        return '<div class="nq-sources nq-muted">Click a citation marker to see its source here.</div>'
    cited = [p.n for p in answer.cited_passages()] or [p.n for p in answer.passages]
    if not cited:
        return '<div class="nq-sources nq-muted">This answer has no sources.</div>'
    if focus is None or _passage(answer, focus) is None:
        focus = cited[0]
    others = [n for n in (cited if focus in cited else [p.n for p in answer.passages]) if n != focus]
    head = f'<div class="nq-sources-q">Sources for: “{esc(answer.question)}”</div>'
    more = ""
    if others:
        more = ('<div class="nq-other-sources">Other sources: '
                + " ".join(cite_marker(turn, n) for n in others) + "</div>")
    return f'<div class="nq-sources">{head}{render_source_card(answer, focus, turn, True)}{more}</div>'


def render_status(message: str, kind: str = "info") -> str:
    """A one-line notice (library results, store errors) with the message escaped."""
    kind = kind if kind in ("info", "ok", "error") else "info"
    return f'<div class="nq-status nq-status-{kind}" role="status">{esc(message)}</div>' if message else ""


def render_report_frame(report_html: str) -> str:
    """An evaluation report inside a sandboxed iframe: its markup cannot run script in this page."""
    return (f'<iframe class="nq-report" sandbox="" referrerpolicy="no-referrer" title="Evaluation report" '
            f'srcdoc="{esc(report_html)}"></iframe>')
