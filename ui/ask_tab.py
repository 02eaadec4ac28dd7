"""The "Ask" tab: the conversation, its options and the sources panel, and the handlers behind them.

Answers stream from `QA.stream`, one step at a time under the page's read lock (ui/rwlock.py); a
click on a citation marker shows that passage in the sources panel. Each finished turn is kept in the
reader's conversation and each verdict in the feedback store (ui/history.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator, Sequence

import gradio as gr

from newsqa.index.store import ArticleInfo, SearchFilter, StoreError
from newsqa.rag.chat import Turn
from newsqa.rag.qa import QA
from newsqa.rag.types import Answer
from newsqa.settings import Settings
from newsqa.ui import render as R
from newsqa.ui.rwlock import ReadWriteLock

DEMO_QUESTIONS = [
    "Who offered to mediate between Israel and Iran?",
    "What did Maria Zakharova warn Washington against?",
    "Where are Russian specialists working in Iran?",
]
MAX_K = 20

# Clicks on citation markers become a "cite" event carrying (turn, n); the listener sits on the
# component's root, so it keeps working as the HTML inside is replaced.
CITE_JS = """
element.addEventListener('click', (ev) => {
  const b = ev.target.closest('button[data-cite]');
  if (!b || !element.contains(b)) return;
  ev.preventDefault();
  trigger('cite', {turn: Number(b.dataset.turn), n: Number(b.dataset.cite)});
});
"""
# Feedback buttons under an answer become a "feedback" event carrying (turn, rating, note).
FEEDBACK_JS = """
element.addEventListener('click', (ev) => {
  const b = ev.target.closest('button[data-fb]');
  if (!b || !element.contains(b)) return;
  ev.preventDefault();
  const box = b.closest('.nq-feedback');
  const note = box ? box.querySelector('input.nq-fb-note') : null;
  trigger('feedback', {turn: Number(b.dataset.turn), rating: b.dataset.fb, note: note ? note.value : ''});
});
"""


def make_filter(since: str | None = "", until: str | None = "", source: str | None = "") -> SearchFilter | None:
    flt = SearchFilter.from_user(since, until, [source] if source else None)
    return None if flt.is_empty() else flt


def demo_article_ids() -> set[str]:
    """Ids of the bundled sample articles (their files are named by id)."""
    try:
        folder = resources.files("newsqa") / "demo"
        return {Path(p.name).stem for p in folder.iterdir() if p.name.endswith(".txt")}
    except (FileNotFoundError, ModuleNotFoundError):
        return set()


def _topic(title: str, limit: int = 70) -> str:
    t = " ".join(title.split()).rstrip("…. ")
    if len(t) > limit:
        t = t[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return t


def example_questions(infos: dict[str, ArticleInfo], limit: int = 3) -> list[str]:
    """The demo questions when the bundled articles are loaded; otherwise questions built from the
    newest article titles."""
    if not infos:
        return []
    if demo_article_ids() & set(infos):
        return list(DEMO_QUESTIONS)
    newest = sorted(infos.values(), key=lambda i: (i.published_ts, i.title), reverse=True)
    out = []
    for info in newest:
        topic = _topic(info.title)
        if topic:
            q = f"What do the articles report about “{topic}”?"
            if q not in out:
                out.append(q)
        if len(out) >= limit:
            break
    return out


def source_choices(infos: dict[str, ArticleInfo]) -> list[tuple[str, str]]:
    names = sorted({i.source for i in infos.values() if i.source}, key=str.lower)
    return [("All sources", "")] + [(n, n) for n in names]


def history_of(conv: Sequence[R.ChatTurn]) -> list[Turn]:
    """Earlier questions and their answers, as QA takes them for follow-ups."""
    out = []
    for t in conv:
        if t.answer is not None:
            out.append(Turn(t.question, "" if t.answer.refused else t.answer.text))
    return out


def parse_as_of(value: str | None) -> date | None:
    """The page's and the API's "as of" field: YYYY-MM-DD, or '' for today."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"as of: expected a date as YYYY-MM-DD, got {value!r}") from None


def _clamp_k(k: float | int | None, default: int) -> int:
    try:
        return max(1, min(MAX_K, int(k or default)))
    except (TypeError, ValueError):
        return default


class AskHandlers:
    """The Ask tab's event handlers (and the API's `ask`), part of `newsqa.ui.app.UI`."""

    qa: QA
    settings: Settings
    guard: ReadWriteLock
    keep_turn: Callable[..., tuple]  # ui/history.py: stores a finished turn in the reader's conversation

    def welcome(self) -> str:
        with self.guard.read():
            n = self.qa.store.count_articles()
        return R.render_welcome(n)

    def default_backend(self) -> str:
        names = self.qa.available_backends()
        return self.settings.backend if self.settings.backend in names else names[0]

    # answering
    def _stream(self, question: str, history: list[Turn], backend: str | None, k: int,
                flt: SearchFilter | None, as_of: date | None = None) -> Iterator[str | Answer]:
        it = self.qa.stream(question, history, backend or None, k, flt, as_of)
        while True:
            with self.guard.read():
                item = next(it, None)
            if item is None:
                return
            yield item

    def ask_api(self, question: str, backend: str = "", k: int = 5, since: str = "", until: str = "",
                source: str = "", as_of: str = "") -> dict:
        """The API's answer: the same JSON as `newsqa ask --json` ('' backend = the default)."""
        try:
            flt = make_filter(since, until, source)
            day = parse_as_of(as_of)
            answer = None
            for item in self._stream(question, [], backend or self.default_backend(),
                                     _clamp_k(k, self.settings.top_k), flt, day):
                if isinstance(item, Answer):
                    answer = item
        except (ValueError, StoreError) as e:
            raise gr.Error(str(e)) from e
        assert answer is not None
        return answer.to_json()

    def on_ask(self, question: str, conv: list[R.ChatTurn], conv_id: str, browser: dict | None, backend: str,
               k: float, since: str, until: str, source: str, as_of: str,
               request: gr.Request) -> Iterator[tuple]:
        """Outputs: chat, sources, conv, question box, shown turn, conversation id, browser state,
        conversation list."""
        question = (question or "").strip()
        conv = list(conv or [])
        keep = (gr.skip(), gr.skip(), gr.skip())
        if not question:
            yield (gr.skip(), gr.skip(), conv, gr.skip(), gr.skip(), *keep)
            return
        turn = R.ChatTurn(question)
        conv.append(turn)
        idx = len(conv) - 1
        try:
            flt = make_filter(since, until, source)
            day = parse_as_of(as_of)
        except ValueError as e:
            turn.error = str(e)
            yield (R.render_conversation(conv), gr.skip(), conv, "", gr.skip(), *keep)
            return
        yield (R.render_conversation(conv), gr.skip(), conv, "", gr.skip(), *keep)
        try:
            for item in self._stream(question, history_of(conv[:-1]), backend, _clamp_k(k, self.settings.top_k),
                                     flt, day):
                if isinstance(item, Answer):
                    turn.answer = item
                else:
                    turn.partial += item
                    yield (R.render_conversation(conv), gr.skip(), conv, "", gr.skip(), *keep)
        except (ValueError, StoreError) as e:
            turn.error = str(e)
        if turn.answer is None and not turn.error:
            turn.error = "no answer was produced"
        sources = R.render_sources(turn.answer, idx) if turn.answer is not None else gr.skip()
        conv_id, browser, listing = self.keep_turn(conv, conv_id, browser, idx, request)
        yield (R.render_conversation(conv), sources, conv, "", idx, conv_id, browser, listing)

    def on_cite(self, conv: list[R.ChatTurn], evt: gr.EventData) -> str:
        data = getattr(evt, "_data", None) or {}
        try:
            turn, n = int(data.get("turn", -1)), int(data.get("n", -1))
        except (TypeError, ValueError):
            return gr.skip()
        if not (0 <= turn < len(conv or [])) or conv[turn].answer is None:
            return gr.skip()
        return R.render_sources(conv[turn].answer, turn, n)

    def on_new(self, browser: dict | None) -> tuple:
        """A fresh conversation: outputs chat, sources, conv, question box, shown turn, conversation
        id and browser state (which forgets the open conversation; the stored one stays listed)."""
        browser = dict(browser or {})
        browser["conversation"] = ""
        return R.render_conversation([], self.welcome()), R.render_sources(None, 0), [], "", -1, "", browser


@dataclass
class AskTab:
    """The Ask tab's components that events read or write."""

    chat: gr.HTML
    question: gr.Textbox
    ask: gr.Button
    new: gr.Button
    examples: gr.Dataset
    backend: gr.Dropdown
    k: gr.Slider
    since: gr.Textbox
    until: gr.Textbox
    source: gr.Dropdown
    as_of: gr.Textbox
    sources: gr.HTML
    conversations: gr.Dropdown
    export: gr.Button
    export_file: gr.File


def ask_tab(ui: AskHandlers, settings: Settings, infos0: dict[str, ArticleInfo], examples0: list[str],
            backends: list[str]) -> AskTab:
    """Lay out the tab (inside the page's `gr.Tabs`) from the store's contents at start-up."""
    with gr.Tab("Ask", id="ask"):
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=360):
                chat = gr.HTML(R.render_conversation([], R.render_welcome(len(infos0))),
                               elem_id="nq-chat", js_on_load=CITE_JS + FEEDBACK_JS, autoscroll=True,
                               max_height=640, padding=True)
                with gr.Row():
                    question = gr.Textbox(label="Question", placeholder="Ask about the articles…", show_label=False,
                                          lines=1, max_lines=4, scale=5, elem_id="nq-question",
                                          submit_btn=False)
                    ask = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="nq-ask")
                with gr.Row():
                    new = gr.Button("New conversation", size="sm", elem_id="nq-new")
                    export = gr.Button("Export conversation (Markdown)", size="sm", elem_id="nq-export")
                with gr.Row():
                    conversations = gr.Dropdown(choices=[], value=None, label="Your conversations",
                                                elem_id="nq-conversations", interactive=True, scale=3)
                    export_file = gr.File(label="Exported conversation", visible=False, interactive=False,
                                          elem_id="nq-export-file", scale=2)
                examples = gr.Dataset(components=[question], samples=[[q] for q in examples0],
                                      label="Examples", visible=bool(examples0), elem_id="nq-examples")
                with gr.Accordion("Options", open=False):
                    with gr.Row():
                        backend = gr.Dropdown(choices=backends, value=ui.default_backend(),
                                              label="Answer backend", interactive=len(backends) > 1)
                        k = gr.Slider(1, MAX_K, value=settings.top_k, step=1, label="Passages (k)")
                    with gr.Row():
                        since = gr.Textbox(label="Since (YYYY-MM-DD)", placeholder="any date")
                        until = gr.Textbox(label="Until (YYYY-MM-DD)", placeholder="any date")
                        source = gr.Dropdown(choices=source_choices(infos0), value="", label="Source")
                        # set again when the page loads (ui/history.py): today is the day it is opened
                        as_of = gr.Textbox(value=date.today().isoformat(), label="As of (YYYY-MM-DD)",
                                           placeholder="today", elem_id="nq-as-of",
                                           info="relative time in questions (this week, latest) is read "
                                                "against this day; later articles are not used")
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### Sources")
                sources = gr.HTML(R.render_sources(None, 0), elem_id="nq-sources", js_on_load=CITE_JS,
                                  padding=True)
    return AskTab(chat, question, ask, new, examples, backend, k, since, until, source, as_of, sources,
                  conversations, export, export_file)
