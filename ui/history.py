"""What the page keeps for a reader: conversations (listed, reopened, exported as Markdown) and
verdicts on answers (thumbs up/down, "wrong citation", a note), and the API's `feedback`.

The owner of a conversation is the `--auth` user, or without logins a random id kept in the
browser's localStorage (`gr.BrowserState`), so a reload or a restart of the server reopens the same
conversation. The stores are core modules (rag/conversations.py, rag/feedback.py); a failure to
write them never costs the reader the answer on the screen: it is reported as a warning.
"""

from __future__ import annotations

import logging
import re
import secrets
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any, Callable

import gradio as gr

from newsqa.rag.conversations import ConversationStore, StoredTurn, conversation_markdown
from newsqa.rag.feedback import RATING_LABELS, FeedbackStore, make_feedback
from newsqa.rag.sqlite_db import UserDataError, user_data_dir
from newsqa.settings import Settings
from newsqa.ui import render as R

log = logging.getLogger("newsqa.ui")
SECRET_FILE = "page-secret"


def browser_secret(settings: Settings) -> str:
    """The key `gr.BrowserState` encrypts the reader's id with, kept in the store's folder so that
    a restarted server still reads what browsers stored (created once, private to this user)."""
    path = user_data_dir(settings) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        pass
    key = secrets.token_hex(16)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="ascii") as f:  # "x": two workers starting at once keep one key
            f.write(key)
        path.chmod(0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    except OSError as e:
        log.warning("cannot keep the page key in %s (%s): conversations last until the server restarts", path, e)
    return key


def _user(request: gr.Request | None) -> str:
    return str(getattr(request, "username", None) or "") if request is not None else ""


def with_client(browser: dict | None) -> dict:
    """The browser's stored state with a reader id (made on the first visit)."""
    b = dict(browser or {}) if isinstance(browser, dict) else {}
    if not isinstance(b.get("client"), str) or not re.fullmatch(r"[0-9a-f]{32}", b["client"]):
        b["client"] = uuid.uuid4().hex
    if not isinstance(b.get("conversation"), str):
        b["conversation"] = ""
    return b


def owner_of(browser: dict, request: gr.Request | None) -> str:
    user = _user(request)
    return f"user:{user}" if user else f"browser:{browser['client']}"


def chat_turns(turns: list[StoredTurn]) -> list[R.ChatTurn]:
    return [R.ChatTurn(t.question, t.answer, error=t.error, rating=t.rating) for t in turns]


class HistoryHandlers:
    """Conversation and feedback handlers, part of `newsqa.ui.app.UI`."""

    settings: Settings
    conversations: ConversationStore
    feedback: FeedbackStore
    welcome: Callable[[], str]  # ui/ask_tab.py

    def init_history(self, settings: Settings) -> None:
        self.conversations = ConversationStore.for_settings(settings)
        self.feedback = FeedbackStore.for_settings(settings)
        self._export_dir: Path | None = None

    # --- conversations ----------------------------------------------------------------------
    def conversation_choices(self, owner: str, current: str = "") -> Any:
        try:
            infos = self.conversations.list(owner)
        except UserDataError as e:
            log.warning("%s", e)
            return gr.skip()
        choices = [(f"{i.title} · {i.updated_at[:10]} · {i.n_turns} question{'s' if i.n_turns != 1 else ''}", i.id)
                   for i in infos]
        ids = {i.id for i in infos}
        return gr.Dropdown(choices=choices, value=current if current in ids else None)

    def keep_turn(self, conv: list[R.ChatTurn], conv_id: str, browser: dict | None, idx: int,
                  request: gr.Request | None) -> tuple:
        """Store turn `idx` of the open conversation (creating the conversation with its first
        question); returns the conversation id, the browser state and the conversation list."""
        browser = with_client(browser)
        owner = owner_of(browser, request)
        t = conv[idx]
        try:
            saved = False
            if conv_id:
                try:
                    self.conversations.save_turn(conv_id, owner, idx, t.question, t.answer, t.error)
                    saved = True
                except KeyError:  # not this reader's (another login in this browser)
                    pass
            if not saved:  # a new conversation that holds every turn so far
                conv_id = self.conversations.create(owner, conv[0].question)
                for i, turn in enumerate(conv):
                    self.conversations.save_turn(conv_id, owner, i, turn.question, turn.answer, turn.error)
        except UserDataError as e:
            gr.Warning(f"this conversation could not be saved: {e}")
            log.warning("%s", e)
            return conv_id, browser, gr.skip()
        browser["conversation"] = conv_id
        return conv_id, browser, self.conversation_choices(owner, conv_id)

    def _open(self, conv_id: str, owner: str) -> list[R.ChatTurn] | None:
        if not conv_id:
            return None
        try:
            c = self.conversations.load(conv_id, owner)
        except UserDataError as e:
            gr.Warning(str(e))
            return None
        return chat_turns(c.turns) if c is not None else None

    def on_load(self, browser: dict | None, request: gr.Request) -> tuple:
        """On opening the page: reopen the reader's last conversation and date the "as of" field
        today. Outputs chat, sources, conv, shown turn, conversation id, browser state, conversation
        list, as of."""
        browser = with_client(browser)
        owner = owner_of(browser, request)
        today = date.today().isoformat()
        conv = self._open(browser["conversation"], owner)
        if not conv:
            browser["conversation"] = ""
            return (gr.skip(), gr.skip(), [], -1, "", browser, self.conversation_choices(owner), today)
        last = len(conv) - 1
        sources = R.render_sources(conv[last].answer, last) if conv[last].answer is not None else gr.skip()
        return (R.render_conversation(conv), sources, conv, last, browser["conversation"], browser,
                self.conversation_choices(owner, browser["conversation"]), today)

    def on_open(self, selected: str | None, conv_id: str, browser: dict | None, request: gr.Request) -> tuple:
        """A conversation picked from the list. Outputs chat, sources, conv, shown turn, conversation
        id, browser state."""
        browser = with_client(browser)
        if not selected or selected == conv_id:
            return (gr.skip(),) * 6
        conv = self._open(selected, owner_of(browser, request))
        if conv is None:
            gr.Warning("that conversation is not available")
            return (gr.skip(),) * 6
        browser["conversation"] = selected
        last = len(conv) - 1
        sources = R.render_sources(conv[last].answer if conv else None, max(last, 0))
        return (R.render_conversation(conv, self.welcome()), sources, conv, last, selected, browser)

    def on_export(self, conv: list[R.ChatTurn], conv_id: str) -> Any:
        """The open conversation as a Markdown file to download."""
        conv = list(conv or [])
        if not conv:
            gr.Warning("nothing to export yet: ask a question first")
            return gr.File(visible=False)
        turns = [StoredTurn(t.question, t.answer, t.error, t.rating) for t in conv]
        text = conversation_markdown(conv[0].question, turns)
        if self._export_dir is None:
            self._export_dir = Path(tempfile.mkdtemp(prefix="newsqa-exports-"))
        folder = Path(tempfile.mkdtemp(dir=self._export_dir))  # one unguessable folder per download
        path = folder / f"newsqa-conversation-{date.today().isoformat()}{'-' + conv_id[:8] if conv_id else ''}.md"
        path.write_text(text, encoding="utf-8")
        return gr.File(value=str(path), visible=True)

    # --- feedback ---------------------------------------------------------------------------
    def on_feedback(self, conv: list[R.ChatTurn], conv_id: str, browser: dict | None, evt: gr.EventData,
                    request: gr.Request) -> tuple:
        """A verdict from the buttons under an answer. Outputs chat and conv."""
        data = getattr(evt, "_data", None) or {}
        conv = list(conv or [])
        try:
            idx = int(data.get("turn", -1))
        except (TypeError, ValueError):
            return gr.skip(), gr.skip()
        if not (0 <= idx < len(conv)) or conv[idx].answer is None:
            return gr.skip(), gr.skip()
        turn = conv[idx]
        try:
            fb = make_feedback(str(data.get("rating", "")), turn.answer.to_json(), user=_user(request),
                               note=str(data.get("note") or "").strip(),
                               turns=[t.question for t in conv[:idx]], conversation_id=conv_id or "", turn=idx)
            self.feedback.add(fb)
        except ValueError as e:
            gr.Warning(f"feedback not recorded: {e}")
            return gr.skip(), gr.skip()
        except UserDataError as e:
            gr.Warning(f"feedback not recorded: {e}")
            log.warning("%s", e)
            return gr.skip(), gr.skip()
        turn.rating = fb.rating
        if conv_id:
            try:
                self.conversations.set_rating(conv_id, owner_of(with_client(browser), request), idx, fb.rating)
            except (KeyError, UserDataError) as e:
                log.warning("rating not kept with the conversation: %s", e)
        return R.render_conversation(conv), conv

    def feedback_api(self, answer: dict | str, rating: str, note: str = "",
                     request: gr.Request | None = None) -> dict:
        """The API's `feedback`: a verdict on an answer `ask` returned."""
        try:
            fb = self.feedback.add(make_feedback(rating, answer, user=_user(request), note=note or ""))
        except (ValueError, UserDataError) as e:
            raise gr.Error(str(e)) from e
        return {"id": fb.id, "rating": fb.rating, "label": RATING_LABELS[fb.rating], "user": fb.user,
                "question": fb.question, "as_of": fb.as_of, "created_at": fb.created_at}
