"""The "Library" tab: the article table with search and removal, and adding files and URLs.

Uploads are copied under sanitised names into a private folder before `ingest` reads them, and only
files from Gradio's upload folder are accepted; URLs must be http(s). Writes to the store take the
page's write lock (ui/rwlock.py) and the store's own file lock.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import gradio as gr

from newsqa.index.articles import Article, Skip
from newsqa.index.ingest import Progress, ingest
from newsqa.index.load import SUPPORTED_SUFFIXES, iter_inputs
from newsqa.index.store import ArticleInfo, StoreError, ingest_lock
from newsqa.rag.qa import QA
from newsqa.settings import Settings
from newsqa.ui import render as R
from newsqa.ui.ask_tab import example_questions, source_choices
from newsqa.ui.rwlock import ReadWriteLock

UPLOAD_TYPES = sorted(SUPPORTED_SUFFIXES)
LIBRARY_HEADERS = ["title", "source", "date", "chunks", "id"]
RESULT_HEADERS = ["file or URL", "result", "article id"]
UPLOAD_ORIGIN = "upload:"  # the origin recorded in the store for an uploaded file


def library_rows(infos: dict[str, ArticleInfo], search: str = "") -> list[list[Any]]:
    needle = (search or "").strip().lower()
    rows = sorted(infos.values(), key=lambda i: (i.published_at, i.title), reverse=True)
    return [[i.title, i.source, R.day(i.published_at), i.n_chunks, i.id]
            for i in rows if not needle or needle in i.title.lower()]


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


def _summary(rows: Sequence[Sequence[str]]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        key = r[1].split(":", 1)[0]
        counts[key] = counts.get(key, 0) + 1
    order = ["added", "updated", "unchanged", "skipped", "rejected"]
    return ", ".join(f"{k} {counts.get(k, 0)}" for k in order if counts.get(k) or k in ("added", "updated"))


class LibraryHandlers:
    """The Library tab's event handlers and the store reads the whole page shares, part of
    `newsqa.ui.app.UI`."""

    qa: QA
    settings: Settings
    guard: ReadWriteLock

    # reading the store
    def infos(self) -> dict[str, ArticleInfo]:
        with self.guard.read():
            return self.qa.store.article_infos()

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


@dataclass
class LibraryTab:
    """The Library tab's components that events read or write."""

    search: gr.Textbox
    table: gr.Dataframe
    remove_ids: gr.Textbox
    remove: gr.Button
    files: gr.File
    urls: gr.Textbox
    add: gr.Button
    status: gr.HTML
    results: gr.Dataframe


def library_tab(settings: Settings, infos0: dict[str, ArticleInfo]) -> LibraryTab:
    """Lay out the tab (inside the page's `gr.Tabs`) from the store's contents at start-up."""
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
    return LibraryTab(search, table, remove_ids, remove, files, urls, add, status, results)
