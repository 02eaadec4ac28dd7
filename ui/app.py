"""The browser UI: a Gradio page over `QA` (tab "Ask") and the store (tab "Library").

A thin adapter: answers come from `QA.stream`, articles from `Store` and `ingest`; this module only
turns page events into those calls and their results into HTML (through ui/render.py, which escapes
everything that comes from an article).

Concurrency: several answers may run at once, but an ingest or removal changes the lexical index
that retrieval reads, so page-side writes take `ReadWriteLock.write()` and each step of an answer
takes `.read()` (never across a `yield`, so an abandoned stream cannot hold it). Other processes are
kept out by the store's own file lock, which `ingest` and `remove` take.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import stat
import tempfile
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import gradio as gr

from newsqa.index.articles import Article, Skip
from newsqa.index.ingest import Progress, ingest
from newsqa.index.load import SUPPORTED_SUFFIXES, iter_inputs
from newsqa.index.store import ArticleInfo, SearchFilter, StoreError, ingest_lock
from newsqa.rag.chat import Turn
from newsqa.rag.qa import QA
from newsqa.rag.types import Answer
from newsqa.settings import Settings
from newsqa.ui import render as R

DEMO_QUESTIONS = [
    "Who offered to mediate between Israel and Iran?",
    "What did Maria Zakharova warn Washington against?",
    "Where are Russian specialists working in Iran?",
]
MAX_K = 20
UPLOAD_TYPES = sorted(SUPPORTED_SUFFIXES)
LIBRARY_HEADERS = ["title", "source", "date", "chunks", "id"]
RESULT_HEADERS = ["file or URL", "result", "article id"]
UPLOAD_ORIGIN = "upload:"  # the origin recorded in the store for an uploaded file

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

# System fonts only: the page must not fetch fonts (or anything else) from another host.
SANS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]

CSS = """
.nq-chat { display: flex; flex-direction: column; gap: 10px; padding: 6px 2px; }
.nq-msg { display: flex; }
.nq-user { justify-content: flex-end; }
.nq-bubble { background: var(--color-accent-soft); border: 1px solid var(--border-color-accent);
  border-radius: 12px 12px 2px 12px; padding: 8px 12px; max-width: 85%; white-space: pre-wrap; word-break: break-word; }
.nq-answer { background: var(--block-background-fill); border: 1px solid var(--border-color-primary);
  border-radius: 12px 12px 12px 2px; padding: 10px 12px; max-width: 95%; line-height: 1.55; word-break: break-word; }
.nq-standalone { margin-top: 6px; font-size: 0.8em; color: var(--body-text-color-subdued); font-style: italic; }
.nq-answer-meta { margin-top: 6px; font-size: 0.8em; color: var(--body-text-color-subdued); }
.nq-streaming { white-space: pre-wrap; }
.nq-pending { color: var(--body-text-color-subdued); font-style: italic; }
.nq-caret { animation: nq-blink 1s steps(2) infinite; }
@keyframes nq-blink { 50% { opacity: 0; } }
.nq-cite { display: inline; border: none; background: none; padding: 0 1px; margin: 0; cursor: pointer;
  color: var(--color-accent); font-weight: 600; font-size: 0.85em; vertical-align: super; }
.nq-cite:hover, .nq-cite:focus { text-decoration: underline; }
.nq-cite-missing { color: var(--body-text-color-subdued); font-size: 0.85em; vertical-align: super; }
.nq-unsupported { background: repeating-linear-gradient(135deg, transparent 0 6px, rgba(220,38,38,0.08) 6px 12px);
  text-decoration: underline wavy rgba(220,38,38,0.7); text-underline-offset: 3px; }
.nq-flag { display: inline-block; font-size: 0.72em; font-weight: 700; text-transform: uppercase; letter-spacing: .03em;
  color: #b91c1c; border: 1px solid #b91c1c; border-radius: 4px; padding: 0 4px; margin-left: 2px; text-decoration: none; }
.nq-refusal { border: 1px dashed #b45309; background: rgba(245,158,11,0.08); }
.nq-refusal-text { font-weight: 600; color: #92400e; }
.dark .nq-refusal-text { color: #fbbf24; }
.nq-refusal-icon { font-size: 1.1em; }
.nq-related-label { margin-top: 8px; font-size: 0.85em; font-weight: 600; color: var(--body-text-color-subdued); }
.nq-related { margin: 4px 0 0 0; padding-left: 18px; }
.nq-related li { margin: 4px 0; }
.nq-related-quote { font-size: 0.85em; color: var(--body-text-color-subdued); }
.nq-error { border-color: #b91c1c; color: #b91c1c; }
.nq-notice { margin-top: 6px; font-size: 0.85em; color: #b45309; }
.nq-welcome { color: var(--body-text-color-subdued); padding: 12px; }
.nq-empty-store { border: 1px dashed var(--border-color-primary); border-radius: 8px; color: var(--body-text-color); }
.nq-cite-demo { color: var(--color-accent); font-weight: 600; }
.nq-sources { display: flex; flex-direction: column; gap: 8px; }
.nq-sources-q { font-size: 0.85em; color: var(--body-text-color-subdued); }
.nq-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px; background: var(--block-background-fill); }
.nq-focused { border-color: var(--color-accent); box-shadow: 0 0 0 1px var(--color-accent); }
.nq-source-head { font-weight: 700; }
.nq-source-n { color: var(--color-accent); }
.nq-meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 2px 0 6px; }
.nq-passage { margin: 6px 0; padding: 6px 10px; border-left: 3px solid var(--border-color-primary);
  white-space: pre-wrap; word-break: break-word; font-size: 0.92em; }
mark.nq-hl { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
.nq-support { margin: 4px 0; padding-left: 18px; font-size: 0.85em; }
.nq-support-unsupported .nq-state { color: #b91c1c; font-weight: 700; }
.nq-support-supported .nq-state { color: #15803d; font-weight: 700; }
.nq-score { font-variant-numeric: tabular-nums; }
.nq-muted { color: var(--body-text-color-subdued); font-size: 0.85em; }
.nq-ids { margin-top: 4px; }
.nq-other-sources { font-size: 0.9em; }
.nq-status { padding: 6px 10px; border-radius: 6px; }
.nq-status-ok { background: rgba(22,163,74,0.1); }
.nq-status-error { background: rgba(220,38,38,0.1); color: #b91c1c; }
.nq-report { width: 100%; height: 70vh; border: 1px solid var(--border-color-primary); border-radius: 8px; }
#nq-chat { min-height: 420px; }
"""


def theme() -> gr.themes.Base:
    return gr.themes.Default(font=SANS, font_mono=MONO)


def launch_options() -> dict[str, Any]:
    """What `Blocks.launch` needs besides the server settings (Gradio 6 takes theme and CSS there)."""
    return {"theme": theme(), "css": CSS}


# --- concurrency ---------------------------------------------------------------------------------
class ReadWriteLock:
    """Any number of readers, or one writer."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._readers:
                self._cond.wait()
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


# --- pure helpers (unit-tested) ------------------------------------------------------------------
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


def library_rows(infos: dict[str, ArticleInfo], search: str = "") -> list[list[Any]]:
    needle = (search or "").strip().lower()
    rows = sorted(infos.values(), key=lambda i: (i.published_at, i.title), reverse=True)
    return [[i.title, i.source, R.day(i.published_at), i.n_chunks, i.id]
            for i in rows if not needle or needle in i.title.lower()]


def source_choices(infos: dict[str, ArticleInfo]) -> list[tuple[str, str]]:
    names = sorted({i.source for i in infos.values() if i.source}, key=str.lower)
    return [("All sources", "")] + [(n, n) for n in names]


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def sanitize_filename(name: str, limit: int = 100) -> str:
    """A plain file name: the last path component, letters, digits, dot, dash and underscore only,
    never hidden, never empty, suffix kept."""
    base = unicodedata.normalize("NFKD", os.path.basename(str(name).replace("\\", "/")))
    base = base.encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE_NAME.sub("_", stem).strip("._-")[: max(1, limit - len(suffix) - 1)] or "upload"
    suffix = _UNSAFE_NAME.sub("", suffix).lower()[:10]
    return f"{stem}.{suffix}" if suffix else stem


@dataclass
class Staged:
    display: str  # the name the person uploaded, for the result table
    path: Path    # the private copy that is ingested


def stage_uploads(paths: Sequence[str], dest: Path, max_bytes: int,
                  upload_root: Path | None) -> tuple[list[Staged], list[list[str]]]:
    """Copy uploaded files into the private folder `dest` under sanitised names.

    Only regular files inside `upload_root` (Gradio's upload folder) are accepted, so a path sent
    from the page can never name another file on this machine. Returns the staged copies and one
    result row per rejected file.
    """
    staged: list[Staged] = []
    rejected: list[list[str]] = []
    root = upload_root.resolve() if upload_root else None
    used: set[str] = set()
    for raw in paths or []:
        raw = str(raw)
        display = os.path.basename(raw) or raw
        try:
            real = Path(raw).resolve(strict=True)
            info = os.lstat(raw)
        except (OSError, RuntimeError):
            rejected.append([display, "rejected: the upload is no longer available; upload it again", ""])
            continue
        if root is not None and not real.is_relative_to(root):
            rejected.append([display, "rejected: not an uploaded file", ""])
            continue
        if not stat.S_ISREG(info.st_mode):
            rejected.append([display, "rejected: not a regular file", ""])
            continue
        suffix = Path(display).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            kind = f"'{suffix}'" if suffix else "without a suffix"
            rejected.append([display, f"rejected: unsupported file type {kind} (supported: {', '.join(UPLOAD_TYPES)})", ""])
            continue
        if info.st_size > max_bytes:
            rejected.append([display, f"rejected: the file is {info.st_size} bytes, over the limit of {max_bytes} "
                                      f"(NEWSQA_MAX_FILE_BYTES)", ""])
            continue
        name = sanitize_filename(display)
        stem, suffix_ = os.path.splitext(name)
        i = 2
        while name in used:
            name = f"{stem}-{i}{suffix_}"
            i += 1
        used.add(name)
        target = dest / name
        with open(real, "rb") as src, open(target, "xb") as out:
            shutil.copyfileobj(src, out)
        staged.append(Staged(display, target))
    return staged, rejected


def parse_urls(text: str | None) -> tuple[list[str], list[list[str]]]:
    """http(s) URLs, one per line (duplicates dropped); anything else is rejected, never treated as
    a path."""
    urls: list[str] = []
    rejected: list[list[str]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if not R.safe_url(line):
            rejected.append([line, "rejected: only http:// and https:// URLs can be added", ""])
        elif line not in urls:
            urls.append(line)
    return urls, rejected


def history_of(conv: Sequence[R.ChatTurn]) -> list[Turn]:
    """Earlier questions and their answers, as QA takes them for follow-ups."""
    out = []
    for t in conv:
        if t.answer is not None:
            out.append(Turn(t.question, "" if t.answer.refused else t.answer.text))
    return out


def _summary(rows: Sequence[Sequence[str]]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        key = r[1].split(":", 1)[0]
        counts[key] = counts.get(key, 0) + 1
    order = ["added", "updated", "unchanged", "skipped", "rejected"]
    return ", ".join(f"{k} {counts.get(k, 0)}" for k in order if counts.get(k) or k in ("added", "updated"))


# --- the app ---------------------------------------------------------------------------------------
class UI:
    """The page's event handlers, bound to one QA and its store."""

    def __init__(self, qa: QA, settings: Settings) -> None:
        self.qa = qa
        self.settings = settings
        self.guard = ReadWriteLock()

    # reading the store
    def infos(self) -> dict[str, ArticleInfo]:
        with self.guard.read():
            return self.qa.store.article_infos()

    def welcome(self) -> str:
        with self.guard.read():
            n = self.qa.store.count_articles()
        return R.render_welcome(n)

    def default_backend(self) -> str:
        names = self.qa.available_backends()
        return self.settings.backend if self.settings.backend in names else names[0]

    # answering
    def _stream(self, question: str, history: list[Turn], backend: str | None, k: int,
                flt: SearchFilter | None) -> Iterator[str | Answer]:
        it = self.qa.stream(question, history, backend or None, k, flt)
        while True:
            with self.guard.read():
                item = next(it, None)
            if item is None:
                return
            yield item

    def ask_api(self, question: str, backend: str = "", k: int = 5, since: str = "", until: str = "",
                source: str = "") -> dict:
        """The API's answer: the same JSON as `newsqa ask --json` ('' backend = the default)."""
        try:
            flt = make_filter(since, until, source)
            answer = None
            for item in self._stream(question, [], backend or self.default_backend(),
                                     _clamp_k(k, self.settings.top_k), flt):
                if isinstance(item, Answer):
                    answer = item
        except (ValueError, StoreError) as e:
            raise gr.Error(str(e)) from e
        assert answer is not None
        return answer.to_json()

    def on_ask(self, question: str, conv: list[R.ChatTurn], backend: str, k: float, since: str,
               until: str, source: str) -> Iterator[tuple]:
        question = (question or "").strip()
        conv = list(conv or [])
        if not question:
            yield gr.skip(), gr.skip(), conv, gr.skip(), gr.skip()
            return
        turn = R.ChatTurn(question)
        conv.append(turn)
        idx = len(conv) - 1
        try:
            flt = make_filter(since, until, source)
        except ValueError as e:
            turn.error = str(e)
            yield R.render_conversation(conv), gr.skip(), conv, "", gr.skip()
            return
        yield R.render_conversation(conv), gr.skip(), conv, "", gr.skip()
        try:
            for item in self._stream(question, history_of(conv[:-1]), backend, _clamp_k(k, self.settings.top_k), flt):
                if isinstance(item, Answer):
                    turn.answer = item
                else:
                    turn.partial += item
                    yield R.render_conversation(conv), gr.skip(), conv, "", gr.skip()
        except (ValueError, StoreError) as e:
            turn.error = str(e)
        if turn.answer is None and not turn.error:
            turn.error = "no answer was produced"
        sources = R.render_sources(turn.answer, idx) if turn.answer is not None else gr.skip()
        yield R.render_conversation(conv), sources, conv, "", idx

    def on_cite(self, conv: list[R.ChatTurn], evt: gr.EventData) -> str:
        data = getattr(evt, "_data", None) or {}
        try:
            turn, n = int(data.get("turn", -1)), int(data.get("n", -1))
        except (TypeError, ValueError):
            return gr.skip()
        if not (0 <= turn < len(conv or [])) or conv[turn].answer is None:
            return gr.skip()
        return R.render_sources(conv[turn].answer, turn, n)

    def on_new(self) -> tuple:
        return R.render_conversation([], self.welcome()), R.render_sources(None, 0), [], "", -1

    # the library
    def refresh(self, conv: list[R.ChatTurn] | None, search: str = "") -> tuple:
        """Everything that depends on the store's contents."""
        infos = self.infos()
        examples = example_questions(infos)
        chat = R.render_conversation(conv or [], R.render_welcome(len(infos))) if not conv else gr.skip()
        return (
            library_rows(infos, search),
            gr.Dropdown(choices=source_choices(infos)),
            gr.Dataset(samples=[[q] for q in examples], visible=bool(examples)),
            chat,
        )

    def on_search(self, search: str) -> list[list[Any]]:
        return library_rows(self.infos(), search)

    def on_select(self, current: str, evt: gr.SelectData) -> str:
        row = evt.row_value or []
        aid = str(row[-1]) if row else ""
        if not aid:
            return gr.skip()
        ids = [i for i in re.split(r"[\s,]+", current or "") if i]
        return "\n".join(ids if aid in ids else ids + [aid])

    def on_remove(self, ids_text: str, conv: list[R.ChatTurn], search: str) -> tuple:
        ids = list(dict.fromkeys(i for i in re.split(r"[\s,]+", ids_text or "") if i))
        if not ids:
            return (R.render_status("Select a row in the table (or type article ids) first.", "error"), gr.skip(),
                    *self.refresh(conv, search))
        try:
            with self.guard.write(), ingest_lock(self.settings):
                removed = self.qa.store.remove_articles(ids)
        except StoreError as e:
            return (R.render_status(str(e), "error"), gr.skip(), *self.refresh(conv, search))
        missing = [i for i in ids if i not in removed]
        msg = f"Removed {len(removed)} article{'s' if len(removed) != 1 else ''}."
        if missing:
            msg += f" No article with id {', '.join(missing)}."
        return (R.render_status(msg, "error" if missing else "ok"), "", *self.refresh(conv, search))

    def add(self, files: Sequence[str] | None, urls_text: str,
            report: Callable[[int, int, str], None] | None = None,
            upload_root: Path | None = None) -> tuple[list[list[str]], str]:
        """Ingest uploaded files and URLs; returns result rows and a status line (StoreError text
        when the store refused the write)."""
        rows: list[list[str]] = []
        error = ""
        with tempfile.TemporaryDirectory(prefix="newsqa-upload-") as tmp:
            staged, rejected = stage_uploads(list(files or []), Path(tmp), self.settings.max_file_bytes, upload_root)
            urls, bad_urls = parse_urls(urls_text)
            rows += rejected + bad_urls
            # (shown name, what ingest reads, the origin recorded in the store)
            inputs = [(s.display, str(s.path), UPLOAD_ORIGIN + s.display) for s in staged] + [(u, u, u) for u in urls]
            for i, (name, src, origin_label) in enumerate(inputs):
                if report:
                    report(i, len(inputs), name)

                def on_progress(p: Progress, name: str = name, i: int = i) -> None:
                    if report:
                        report(i, len(inputs), f"{name}: {p.articles} articles, {p.chunks} chunks")

                try:
                    with self.guard.write():
                        items = _relabel(iter_inputs([src], self.settings), src, origin_label)
                        rep = ingest(items, self.settings, self.qa.embedder, store=self.qa.store, progress=on_progress)
                except StoreError as e:
                    error = str(e)
                    rows.append([name, f"not added: {e}", ""])
                    break
                for origin, aid, outcome in rep.outcomes:
                    rows.append([origin.removeprefix(UPLOAD_ORIGIN) if origin else name, outcome, aid])
                if not rep.outcomes:
                    rows.append([name, "skipped: nothing found", ""])
            if report:
                report(len(inputs), len(inputs), "done")
        if files:
            _discard_uploads(files, upload_root)
        status = error or (_summary(rows) if rows else "Choose files or paste URLs first.")
        return rows, status

    def on_add(self, files: Sequence[str] | None, urls_text: str, conv: list[R.ChatTurn], search: str,
               progress: gr.Progress = gr.Progress()) -> tuple:
        def report(i: int, total: int, desc: str) -> None:
            progress((i, max(total, 1)), desc=desc, unit="inputs")

        rows, status = self.add(files, urls_text, report, Path(gr.utils.get_upload_folder()))
        kind = "error" if any(r[1].startswith("not added") for r in rows) or not rows else "ok"
        return (rows, R.render_status(status, kind), None, "", *self.refresh(conv, search))


def _relabel(items: Iterable[Article | Skip], src: str, label: str) -> Iterator[Article | Skip]:
    """The loader's items with the private temp path in their origin replaced by `label`, so the
    store and the result table name the upload, not where it was staged."""
    for item in items:
        yield dataclasses.replace(item, origin=item.origin.replace(src, label))


def _discard_uploads(files: Sequence[str], upload_root: Path | None) -> None:
    """Delete Gradio's cached copies of the uploads: the store is the only place they end up."""
    if upload_root is None:
        return
    root = upload_root.resolve()
    for f in files:
        try:
            p = Path(f).resolve(strict=True)
            if p.is_relative_to(root) and p.is_file():
                p.unlink()
        except OSError:
            pass


def _clamp_k(k: float | int | None, default: int) -> int:
    try:
        return max(1, min(MAX_K, int(k or default)))
    except (TypeError, ValueError):
        return default


DEMO_SET = "Bundled demo set (on the sample articles)"


def evaluation_tab(qa: QA, settings: Settings) -> None:
    """The "Evaluation" tab: run `newsqa eval` on a question set and show its report inline.

    The bundled set is about the sample articles, so it runs on a temporary store built from them
    (whatever the library holds); an uploaded question file runs against the current library.
    """
    with gr.Tab("Evaluation", id="evaluation"):
        gr.Markdown("Run a question set and read its grounding report: retrieval hits, answer "
                    "correctness, citation recall and precision, refusals and latency, by question type. "
                    "An uploaded set (JSONL: `id`, `question`, `answers`, `evidence_ids`, `answerable`) "
                    "runs against the current library.")
        with gr.Row():
            picker = gr.Radio(choices=[DEMO_SET, "Uploaded question file"], value=DEMO_SET,
                              label="Question set", scale=3)
            upload = gr.File(label="Question file (.jsonl)", file_types=[".jsonl"], scale=2)
            go = gr.Button("Run evaluation", variant="primary", scale=1, elem_id="nq-eval-run")
        out = gr.HTML(elem_id="nq-eval-report")

        def run(choice: str, uploaded: str | None, progress: gr.Progress = gr.Progress()) -> str:
            def on_progress(done: int, total: int, label: str) -> None:
                progress((done, total), desc=label)

            if choice == DEMO_SET:
                from newsqa.cli import demo_corpus
                from newsqa.evals.questions import sample_questions_path

                return run_evaluation(settings, sample_questions_path(), demo_corpus(), on_progress)
            if not uploaded:
                return R.render_status("Choose a question file first.", "error")
            return run_evaluation(settings, Path(uploaded), None, on_progress)

        go.click(run, inputs=[picker, upload], outputs=[out], api_visibility="private",
                 concurrency_limit=1, concurrency_id="evaluation")


def run_evaluation(settings: Settings, questions: Path, articles: list[str] | None,
                   progress: Callable[[int, int, str], None] | None = None) -> str:
    """Run the evaluation and return its report page sandboxed in an iframe, or an error status."""
    from newsqa.evals.run import run_eval

    try:
        result = run_eval(questions, settings, articles=articles, progress=progress)
    except (ValueError, OSError, StoreError) as e:  # bad question file, empty set, store trouble
        return R.render_status(f"evaluation failed: {e}", "error")
    return R.render_report_frame(result.html)


def _question_sets() -> dict[str, Path]:
    try:
        folder = resources.files("newsqa.evals") / "data"
        return {p.name: Path(str(p)) for p in sorted(folder.iterdir(), key=lambda p: p.name)
                if p.name.endswith(".jsonl") and not p.name.startswith("support_")}
    except (FileNotFoundError, ModuleNotFoundError):
        return {}


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
        gr.Markdown("## newsqa\nAnswers from your news articles. Every sentence cites its source; "
                    "unsupported sentences are flagged; when the articles don't say, the answer says so.")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chat = gr.HTML(R.render_conversation([], R.render_welcome(len(infos0))),
                                       elem_id="nq-chat", js_on_load=CITE_JS, autoscroll=True,
                                       max_height=640, padding=True)
                        with gr.Row():
                            question = gr.Textbox(label="Question", placeholder="Ask about the articles…", show_label=False,
                                                  lines=1, max_lines=4, scale=5, elem_id="nq-question",
                                                  submit_btn=False)
                            ask = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="nq-ask")
                        with gr.Row():
                            new = gr.Button("New conversation", size="sm", elem_id="nq-new")
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
                    with gr.Column(scale=2, min_width=300):
                        gr.Markdown("### Sources")
                        sources = gr.HTML(R.render_sources(None, 0), elem_id="nq-sources", js_on_load=CITE_JS,
                                          padding=True)

            with gr.Tab("Library", id="library"):
                with gr.Row():
                    with gr.Column(scale=3):
                        search = gr.Textbox(label="Search titles", placeholder="words in the title", elem_id="nq-search")
                        table = gr.Dataframe(value=library_rows(infos0), headers=LIBRARY_HEADERS,
                                             datatype=["str", "str", "str", "number", "str"], interactive=False,
                                             wrap=True, column_widths=["46%", "16%", "12%", "8%", "18%"],
                                             label="Articles (click a row to select it for removal)",
                                             elem_id="nq-library")
                        with gr.Row():
                            remove_ids = gr.Textbox(label="Article ids to remove", lines=2, scale=3,
                                                    elem_id="nq-remove-ids")
                            remove = gr.Button("Remove", variant="stop", scale=1, elem_id="nq-remove")
                    with gr.Column(scale=2):
                        files = gr.File(label=f"Upload articles ({' '.join(UPLOAD_TYPES)}; at most "
                                              f"{settings.max_file_bytes // 1_000_000 or 1} MB each)",
                                        file_count="multiple", file_types=UPLOAD_TYPES, elem_id="nq-upload")
                        urls = gr.Textbox(label="Or paste URLs (one per line, http/https)", lines=3,
                                          elem_id="nq-urls")
                        add = gr.Button("Add to library", variant="primary", elem_id="nq-add")
                        status = gr.HTML("", elem_id="nq-status")
                        results = gr.Dataframe(headers=RESULT_HEADERS, datatype=["str", "str", "str"],
                                               column_widths=["40%", "40%", "20%"],
                                               interactive=False, wrap=True, label="Results", elem_id="nq-results")

            evaluation_tab(qa, settings)

        ask_inputs = [question, conv, backend, k, since, until, source]
        ask_outputs = [chat, sources, conv, question, shown_turn]
        ask.click(ui.on_ask, ask_inputs, ask_outputs, **private)
        question.submit(ui.on_ask, ask_inputs, ask_outputs, **private)
        examples.click(lambda v: v[0] if v else "", [examples], [question], **private, queue=False).then(
            ui.on_ask, ask_inputs, ask_outputs, **private)
        chat.cite(ui.on_cite, [conv], [sources], **private, queue=False)
        sources.cite(ui.on_cite, [conv], [sources], **private, queue=False)
        new.click(ui.on_new, None, [chat, sources, conv, question, shown_turn], **private, queue=False)

        refresh_outputs = [table, source, examples, chat]
        search.change(ui.on_search, [search], [table], **private, queue=False)
        table.select(ui.on_select, [remove_ids], [remove_ids], **private, queue=False)
        remove.click(ui.on_remove, [remove_ids, conv, search], [status, remove_ids, *refresh_outputs], **private,
                     concurrency_limit=1, concurrency_id="library")
        add.click(ui.on_add, [files, urls, conv, search], [results, status, files, urls, *refresh_outputs],
                  **private, concurrency_limit=1, concurrency_id="library")
        app.load(ui.refresh, [conv, search], refresh_outputs, **private)

        default_backend, default_k = ui.default_backend(), settings.top_k

        def ask(question: str, backend: str = default_backend, k: int = default_k, since: str = "",
                until: str = "", source: str = "") -> dict:
            """Answer a question from the indexed articles; returns the JSON of `newsqa ask --json`.

            Args:
                question: the question to answer
                backend: answer backend (one of the server's available backends)
                k: number of passages to retrieve (1-20)
                since: only articles published on or after this day, YYYY-MM-DD ('' = no bound)
                until: only articles published on or before this day, YYYY-MM-DD ('' = no bound)
                source: only articles from this source ('' = all sources)
            """
            return ui.ask_api(question, backend, k, since, until, source)

        gr.api(ask, api_name="ask")
    app.queue(default_concurrency_limit=4, max_size=64)
    return app
