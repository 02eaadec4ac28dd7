"""Answers, sources and the library as HTML fragments for the page.

Everything that comes from an article (titles, text, sources, URLs) or from a person (questions) is
untrusted: it goes through `esc` before it reaches the page, and only http(s) URLs become links.
These functions are pure (no gradio, no store), so the escaping can be unit-tested directly.

Citation markers are `<button data-turn=T data-cite=N>`: the page's click handler (ui/ask_tab.py) turns a
click into an event carrying (turn, n), and the server answers with `render_sources` for that turn.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Iterable, Sequence
from urllib.parse import urlsplit

from newsqa.rag.types import Answer, Passage, Sentence

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


def esc(text: object) -> str:
    """Text as inert HTML: `<`, `>`, `&` and both quote characters escaped."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: str | None) -> str:
    """The URL when it is an absolute http(s) URL with a host, else ''.

    `javascript:`, `data:`, relative and scheme-relative URLs are refused, as is anything holding
    whitespace or control characters (browsers strip those and may then see another scheme).
    """
    if not url:
        return ""
    url = url.strip()
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url


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


def highlight(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The escaped text with each span wrapped in `<mark>`; escaping happens per piece, after
    slicing, so spans index the original characters."""
    parts = []
    pos = 0
    for a, b in merge_spans(spans, len(text)):
        parts.append(esc(text[pos:a]))
        parts.append(f'<mark class="nq-hl">{esc(text[a:b])}</mark>')
        pos = b
    parts.append(esc(text[pos:]))
    return "".join(parts)


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


def render_answer(answer: Answer, turn: int) -> str:
    """One answer as a chat message: cited sentences, or a refusal with related reading."""
    known = {p.n for p in answer.passages}
    if answer.refused:
        parts = ['<div class="nq-answer nq-refusal" role="note">',
                 f'<div class="nq-refusal-text"><span class="nq-refusal-icon" aria-hidden="true">⊘</span> '
                 f'{esc(" ".join(s.text for s in answer.sentences))}</div>']
        if answer.error:
            parts.append(f'<div class="nq-notice">{esc(answer.error)}</div>')
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
                    f'<li>{cite_marker(turn, p.n)} <span class="nq-related-title">{esc(c.title or c.article_id)}</span>'
                    f'{meta_html}'
                    f'<div class="nq-related-quote">{esc(quote)}</div></li>'
                )
            parts.append("</ul>")
        parts.append("</div>")
        return "".join(parts)
    body = " ".join(_sentence_html(s, turn, known) for s in answer.sentences)
    total = answer.timings_ms.get("total")
    took = f" in {total:.0f} ms" if total is not None else ""
    unsupported = sum(1 for s in answer.sentences if not s.supported)
    warn = (f'<div class="nq-notice">{unsupported} sentence{"s" if unsupported != 1 else ""} not supported '
            f'by the sources (flagged)</div>') if unsupported else ""
    return (f'<div class="nq-answer">{body}{warn}{_understood_as(answer)}'
            f'<div class="nq-answer-meta">{esc(answer.backend)}{esc(took)}</div></div>')


def _understood_as(answer: Answer) -> str:
    """A follow-up is answered as a rewritten standalone question; showing it explains the answer."""
    sq = (answer.standalone_question or "").strip()
    if not sq or sq == answer.question.strip():
        return ""
    return f'<div class="nq-standalone">Understood as: “{esc(sq)}”</div>'


def render_turn(t: ChatTurn, turn: int) -> str:
    q = f'<div class="nq-msg nq-user"><div class="nq-bubble">{esc(t.question)}</div></div>'
    if t.error:
        a = f'<div class="nq-answer nq-error" role="alert">{esc(t.error)}</div>'
    elif t.answer is not None:
        a = render_answer(t.answer, turn)
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


def render_source_card(answer: Answer, n: int, turn: int, focused: bool = False) -> str:
    """One passage as the sources panel shows it: provenance, text with the cited spans highlighted,
    and the support score of each sentence that cites it."""
    p = _passage(answer, n)
    if p is None:
        return f'<div class="nq-source nq-source-missing">Source [{int(n)}] is not among this answer\'s passages.</div>'
    c = p.chunk
    spans = [s.spans[n] for s in answer.sentences if n in s.citations and n in s.spans]
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
    support_html = (f'<ul class="nq-support">{"".join(support)}</ul>' if support
                    else '<div class="nq-support nq-muted">Not cited by the answer (related reading).</div>')
    cls = "nq-source nq-focused" if focused else "nq-source"
    return (f'<div class="{cls}" data-n="{int(n)}">'
            f'<div class="nq-source-head"><span class="nq-source-n">[{int(n)}]</span> '
            f'<span class="nq-source-title">{esc(c.title or c.article_id)}</span></div>'
            f'<div class="nq-meta">{" · ".join(meta)}</div>'
            f'<blockquote class="nq-passage">{highlight(c.text, spans)}</blockquote>'
            f'{support_html}'
            f'<div class="nq-ids nq-muted">article {esc(c.article_id)} · retrieval score {p.score:.3f}</div>'
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
