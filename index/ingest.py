"""The idempotent, resumable ingest pipeline: inputs -> articles -> chunks -> vectors -> store.

Articles are handled in batches: each batch looks up the stored content hashes once, chunks only
what is new or changed, embeds all of those chunks in one call (the model is the bottleneck, so it
gets full batches), and writes them inside one journaled store batch. A batch embeds while the
next one is read and chunked and the previous one is written.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from newsqa.index.articles import Article, Chunk, Skip
from newsqa.index.chunk import Window, chunk_article, embedded_texts
from newsqa.index.dedup import DuplicateIndex, signature, to_hex
from newsqa.index.embed import Embedder
from newsqa.index.store import Store, ingest_lock
from newsqa.settings import Settings


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    # (article id, the indexed article it duplicates): recorded in its group, not chunked or embedded
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    # near-duplicates removed because the article that held their group's text became a duplicate
    # of another story: ingest them again to index them
    regrouped: list[str] = field(default_factory=list)
    chunks_written: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: {"load": 0.0, "chunk": 0.0, "model_load": 0.0, "embed": 0.0, "write": 0.0})
    wall: float = 0.0
    # per input: origin -> "added"/"updated"/"unchanged"/"skipped: reason"
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)  # (origin, article id or "", outcome)
    notes: list[str] = field(default_factory=list)  # "origin: what loading left out" (Article.notes)

    @property
    def articles_seen(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        lines = [
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"skipped {len(self.skipped)}; {self.chunks_written} chunks written"
        ]
        if self.duplicates:
            lines.append(f"{len(self.duplicates)} near-duplicate(s) of indexed articles grouped with them "
                         f"(not embedded again; `newsqa list --groups` shows the groups)")
        if self.regrouped:
            lines.append(f"removed {len(self.regrouped)} near-duplicate(s) whose group's indexed article now "
                         f"tells another story; ingest them again: {', '.join(self.regrouped)}")
        if self.repaired:
            lines.append(f"repaired {len(self.repaired)} article(s) left half-written by an interrupted run")
        if self.wall > 0:
            model, embed = self.seconds["model_load"], self.seconds["embed"]
            other = self.wall - embed - model
            lines.append(
                f"{self.wall:.2f} s: {self.articles_seen / self.wall:.1f} articles/s, "
                f"{self.chunks_written / self.wall:.1f} chunks/s; "
                + (f"loading the model {model:.2f} s, " if model else "")
                + f"embedding {embed:.2f} s, everything else {other:.2f} s ({100 * other / self.wall:.0f}%)"
            )
        for s in self.skipped:
            lines.append(f"  skipped {s}")
        for n in self.notes:
            lines.append(f"  note {n}")
        return "\n".join(lines)


def _noted(outcome: str, a: Article) -> str:
    """An input's outcome with what loading left out of it (the page's upload table shows it)."""
    return "; ".join((outcome, *a.notes))


@dataclass
class Progress:
    articles: int
    chunks: int
    skipped: int
    elapsed: float


ProgressFn = Callable[[Progress], None]


def _load_inputs(sources: Sequence[str], settings: Settings) -> Iterable[Article | Skip]:
    from newsqa.index.load import iter_inputs

    return iter_inputs(sources, settings)


def ingest(
    sources: Sequence[str] | Iterable[Article | Skip],
    settings: Settings,
    embedder: Embedder,
    store: Store | None = None,
    progress: ProgressFn | None = None,
    batch_chunks: int = 256,
) -> IngestReport:
    """Ingest files/folders/globs/URLs (or ready Articles) into the store; safe to re-run.

    Raises StoreError when another writer holds the store or the store was built differently;
    bad inputs never raise, they are reported as skips.
    """
    with ingest_lock(settings):
        store = store or Store(settings, embedder.fingerprint)
        store.claim_for_ingest(embedder.fingerprint)
        report = IngestReport(repaired=store.repair())
        dups = store.duplicate_index()
        t0 = time.perf_counter()
        items = (
            _load_inputs(list(sources), settings)
            if isinstance(sources, (list, tuple)) and all(isinstance(s, str) for s in sources)
            else sources
        )
        pending: dict[str, Article] = {}
        pending_chunks = 0
        # One batch embeds on a thread of its own while this thread reads, chunks and writes the
        # batches on either side: chunking and writing run on one core, and embedding alone left
        # the other one idle for about a fifth of a 300-article ingest. Writes stay in order, each
        # inside its journaled store batch, on this thread.
        in_flight: list[tuple[_Batch, Future]] = []

        def write_in_flight() -> None:
            while in_flight:
                batch, vectors = in_flight.pop(0)
                _store_batch(batch, vectors.result(), store, report)
                if progress:
                    progress(Progress(report.articles_seen, report.chunks_written, len(report.skipped),
                                      time.perf_counter() - t0))

        def flush(pool: ThreadPoolExecutor) -> None:
            nonlocal pending_chunks
            if any(a in batch.ids for batch, _ in in_flight for a in pending):
                write_in_flight()  # an article again: its earlier copy is stored before it is compared
            if pending:
                batch = _plan_batch(list(pending.values()), settings, embedder, store, report, dups)
                loaded = threading.Event()
                vectors = pool.submit(_embed_batch, batch, embedder, report, loaded)
                # Loading the model (importing torch) holds the interpreter lock most of the time,
                # and nothing embeds before it is done: this thread waits instead of taking turns
                # with it (a 300-article ingest loaded the model in 1.0 s alone, 2.1 s alongside
                # chunking); then the writer's imports overlap with embedding.
                loaded.wait()
                if batch.texts:
                    store.prepare_writes()
                write_in_flight()  # the previous batch, while this one embeds
                in_flight.append((batch, vectors))
            pending.clear()
            pending_chunks = 0
            if progress and not in_flight:
                progress(Progress(report.articles_seen, report.chunks_written, len(report.skipped),
                                  time.perf_counter() - t0))

        with ThreadPoolExecutor(1, thread_name_prefix="newsqa-embed-batch") as pool:
            it = iter(items)
            while True:
                tl = time.perf_counter()
                item = next(it, None)
                report.seconds["load"] += time.perf_counter() - tl
                if item is None:
                    break
                if isinstance(item, Skip):
                    report.skipped.append(item)
                    report.outcomes.append((item.origin, "", f"skipped: {item.reason}"))
                    continue
                report.notes += [f"{item.origin or item.id}: {n}" for n in item.notes]
                if item.id in pending:  # the same article twice in one run: the later copy wins
                    flush(pool)
                pending[item.id] = item
                pending_chunks += max(1, len(item.body) // (settings.chunk_tokens * 4))
                if pending_chunks >= batch_chunks:
                    flush(pool)
            flush(pool)
            write_in_flight()
        report.wall = time.perf_counter() - t0
        return report


def embed_window(embedder: Embedder) -> Window | None:
    """The embedder's input window (`Embedder.window()`), when it has one: chunks are then cut so
    that everything embedded is read by the model."""
    get = getattr(embedder, "window", None)
    return get() if callable(get) else None


@dataclass
class _Batch:
    """A batch of articles, chunked: what is embedded, then written in one journaled store batch."""
    ids: set[str]
    changed: list[tuple[Article, list[Chunk]]]
    duplicates: list[tuple[Article, str, str]]  # (article, the indexed article it duplicates, signature)
    signatures: dict[str, str]
    texts: list[str]  # what is embedded: every changed article's chunks' `embedded_texts`, in order


def _plan_batch(articles: list[Article], settings: Settings, embedder: Embedder, store: Store,
                report: IngestReport, dups: DuplicateIndex | None = None) -> _Batch:
    """Sort a batch's articles into unchanged, near-duplicates and changed ones, and chunk those."""
    known = store.article_infos([a.id for a in articles])
    changed: list[tuple[Article, list[Chunk]]] = []
    duplicates: list[tuple[Article, str, str]] = []
    signatures: dict[str, str] = {}
    dups = dups if dups is not None else DuplicateIndex()
    t = time.perf_counter()
    window = embed_window(embedder) if settings.chunk_fit_window else None
    for a in articles:
        info = known.get(a.id)
        if info is not None and info.content_hash == a.content_hash:
            report.unchanged.append(a.id)
            report.outcomes.append((a.origin, a.id, _noted("unchanged", a)))
            continue
        sig = signature(a.body)
        target = dups.find(sig, exclude=a.id)
        if target is not None:
            dups.discard(a.id)
            duplicates.append((a, target, to_hex(sig)))
            report.duplicates.append((a.id, target))
            (report.updated if info is not None else report.added).append(a.id)
            report.outcomes.append((a.origin, a.id, _noted(f"{'updated' if info is not None else 'added'}"
                                                           f" (near-duplicate of {target})", a)))
            continue
        signatures[a.id] = to_hex(sig)
        chunks = chunk_article(a, settings.chunk_tokens, settings.chunk_overlap, window)
        if not chunks:
            skip = Skip(a.origin or a.id, "no text left after cleaning")
            report.skipped.append(skip)
            report.outcomes.append((skip.origin, a.id, f"skipped: {skip.reason}"))
            continue
        changed.append((a, chunks))
        dups.add(a.id, sig)
        (report.updated if info is not None else report.added).append(a.id)
        report.outcomes.append((a.origin, a.id, _noted("updated" if info is not None else "added", a)))
    texts = [t for _, chunks in changed for t in embedded_texts(chunks)]
    report.seconds["chunk"] += time.perf_counter() - t
    return _Batch({a.id for a in articles}, changed, duplicates, signatures, texts)


def _embed_batch(batch: _Batch, embedder: Embedder, report: IngestReport, loaded: threading.Event) -> np.ndarray:
    """The batch's vectors; `loaded` is set once the model that embeds them is ready."""
    try:
        if not batch.texts:
            return np.zeros((0, embedder.dim), np.float32)
        prepare = getattr(embedder, "prepare", None)  # a model loaded on first use is timed apart
        if prepare is not None:
            t = time.perf_counter()
            prepare(batch.texts)
            report.seconds["model_load"] += time.perf_counter() - t
    finally:
        loaded.set()
    t = time.perf_counter()
    vectors = embedder.embed(batch.texts)
    report.seconds["embed"] += time.perf_counter() - t
    return vectors


def _store_batch(batch: _Batch, vectors: np.ndarray, store: Store, report: IngestReport) -> None:
    if not batch.changed and not batch.duplicates:
        return
    t = time.perf_counter()
    items, i = [], 0
    for a, chunks in batch.changed:
        items.append((a, chunks, np.asarray(vectors[i:i + len(chunks)])))
        i += len(chunks)
    with store.write_batch([a.id for a, _ in batch.changed] + [a.id for a, _, _ in batch.duplicates]):
        if items:
            store.put_articles(items, batch.signatures)
        report.regrouped += store.put_duplicates(batch.duplicates)
    report.chunks_written += i
    report.seconds["write"] += time.perf_counter() - t
