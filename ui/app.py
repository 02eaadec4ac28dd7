"""The browser UI: a Gradio page over `QA` (tab "Ask"), the store (tab "Library") and the evaluation
(tab "Evaluation").

A thin adapter: answers come from `QA.stream`, articles from `Store` and `ingest`; the page only
turns events into those calls and their results into HTML (through ui/render.py, which escapes
everything that comes from an article). Each tab's layout, helpers and handlers live in its own
module (ui/ask_tab.py, ui/library_tab.py, ui/evaluation_tab.py); this one joins them into one page
and wires the events, some of which cross tabs (adding an article refreshes the Ask tab's examples
and source filter). Page-side writes and answers share one `ReadWriteLock` (ui/rwlock.py).
Conversations and feedback (ui/history.py) are kept per reader: the `--auth` user, or without logins
an id in the browser's localStorage.
"""

from __future__ import annotations

import gradio as gr

from newsqa.rag.qa import QA
from newsqa.settings import Settings
from newsqa.ui.ask_tab import AskHandlers, ask_tab, example_questions
from newsqa.ui.evaluation_tab import evaluation_tab
from newsqa.ui.history import HistoryHandlers, browser_secret
from newsqa.ui.library_tab import LibraryHandlers, library_tab
from newsqa.ui.rwlock import ReadWriteLock


class UI(AskHandlers, LibraryHandlers, HistoryHandlers):
    """The page's event handlers, bound to one QA, its store and the readers' conversations and
    feedback kept beside it."""

    def __init__(self, qa: QA, settings: Settings) -> None:
        self.qa = qa
        self.settings = settings
        self.guard = ReadWriteLock()
        self.init_history(settings)


def build_app(qa: QA, settings: Settings) -> gr.Blocks:
    """The whole page. Launch it with `newsqa.ui.serve.launch` (which adds the theme and CSS)."""
    ui = UI(qa, settings)
    backends = qa.available_backends()
    infos0 = ui.infos()
    examples0 = example_questions(infos0)
    private = {"api_visibility": "private"}

    with gr.Blocks(title="newsqa — questions over news, with citations", analytics_enabled=False) as app:
        conv = gr.State([])
        shown_turn = gr.State(-1)
        conv_id = gr.State("")
        browser = gr.BrowserState({"client": "", "conversation": ""}, storage_key="newsqa-reader",
                                  secret=browser_secret(settings))
        gr.Markdown("## newsqa\nAnswers from your news articles. Every sentence cites its source; "
                    "unsupported sentences are flagged; when the articles don't say, the answer says so.")
        with gr.Tabs():
            a = ask_tab(ui, settings, infos0, examples0, backends)
            lib = library_tab(settings, infos0)
            evaluation_tab(qa, settings)

        ask_inputs = [a.question, conv, conv_id, browser, a.backend, a.k, a.since, a.until, a.source, a.as_of]
        ask_outputs = [a.chat, a.sources, conv, a.question, shown_turn, conv_id, browser, a.conversations]
        a.ask.click(ui.on_ask, ask_inputs, ask_outputs, **private)
        a.question.submit(ui.on_ask, ask_inputs, ask_outputs, **private)
        a.examples.click(lambda v: v[0] if v else "", [a.examples], [a.question], **private, queue=False).then(
            ui.on_ask, ask_inputs, ask_outputs, **private)
        a.chat.cite(ui.on_cite, [conv], [a.sources], **private, queue=False)
        a.sources.cite(ui.on_cite, [conv], [a.sources], **private, queue=False)
        a.chat.feedback(ui.on_feedback, [conv, conv_id, browser], [a.chat, conv], **private)
        a.new.click(ui.on_new, [browser], [a.chat, a.sources, conv, a.question, shown_turn, conv_id, browser],
                    **private, queue=False)
        a.conversations.input(ui.on_open, [a.conversations, conv_id, browser],
                              [a.chat, a.sources, conv, shown_turn, conv_id, browser], **private)
        a.export.click(ui.on_export, [conv, conv_id], [a.export_file], **private)

        refresh_outputs = [lib.table, a.source, a.examples, a.chat]
        lib.search.change(ui.on_search, [lib.search], [lib.table], **private, queue=False)
        lib.table.select(ui.on_select, [lib.remove_ids], [lib.remove_ids], **private, queue=False)
        lib.remove.click(ui.on_remove, [lib.remove_ids, conv, lib.search],
                         [lib.status, lib.remove_ids, *refresh_outputs], **private,
                         concurrency_limit=1, concurrency_id="library")
        lib.add.click(ui.on_add, [lib.files, lib.urls, conv, lib.search],
                      [lib.results, lib.status, lib.files, lib.urls, *refresh_outputs],
                      **private, concurrency_limit=1, concurrency_id="library")
        # the reader's last conversation first, so that the refresh does not paint the welcome over it
        app.load(ui.on_load, [browser], [a.chat, a.sources, conv, shown_turn, conv_id, browser, a.conversations,
                                         a.as_of], **private).then(ui.refresh, [conv, lib.search], refresh_outputs, **private)

        default_backend, default_k = ui.default_backend(), settings.top_k

        def ask(question: str, backend: str = default_backend, k: int = default_k, since: str = "",
                until: str = "", source: str = "", as_of: str = "") -> dict:
            """Answer a question from the indexed articles; returns the JSON of `newsqa ask --json`.

            Args:
                question: the question to answer
                backend: answer backend (one of the server's available backends)
                k: number of passages to retrieve (1-20)
                since: only articles published on or after this day, YYYY-MM-DD ('' = no bound)
                until: only articles published on or before this day, YYYY-MM-DD ('' = no bound)
                source: only articles from this source ('' = all sources)
                as_of: the day the question is asked on, YYYY-MM-DD ('' = today); "this week" or
                    "latest" are read against it and later articles are not used
            """
            return ui.ask_api(question, backend, k, since, until, source, as_of)

        def feedback(answer: dict, rating: str, note: str = "", request: gr.Request = None) -> dict:
            """Rate an answer that `ask` returned; stored with the logged-in user for `newsqa feedback`.

            Args:
                answer: the JSON object `ask` returned (its question and as_of are stored with it)
                rating: "up", "down" or "wrong_citation"
                note: an optional note (at most 2000 characters)
            """
            return ui.feedback_api(answer, rating, note, request)

        gr.api(ask, api_name="ask")
        gr.api(feedback, api_name="feedback")
    app.queue(default_concurrency_limit=4, max_size=64)
    return app
