"""The Chroma store (embedded or a `chroma run` server) and the BM25 index kept in step with it.

Three collections per store name:
  `<name>_chunks`   the chunk vectors, text and provenance, written through llama-index's
                    ChromaVectorStore;
  `<name>_articles` one record per article: its content hash (unchanged vs. updated), listing
                    fields, its MinHash signature and, for a near-duplicate, `dup_of`: the article of
                    its group whose text is indexed (a duplicate has no chunks of its own). An article
                    record is written only after all its chunks, so its presence means the article is
                    complete;
  `<name>_state`    the store's fingerprint (embedder and chunk settings), the change token the
                    lexical index syncs against, and the write journal.

Crash safety: before a batch of articles is changed, their ids go into the journal and the change
token is replaced; only after every chunk and record is written is the journal cleared. Opening the
store for writing repairs any batch left in the journal (its chunks and records are deleted, so the
next ingest re-adds those articles whole), and a lexical index saved under another token is rebuilt.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence, TypeVar
from urllib.parse import urlparse

import numpy as np

from newsqa.index.articles import Article, Chunk, stable_hash
from newsqa.index.dedup import DuplicateIndex, from_hex
from newsqa.settings import Settings, configure_offline_environment

if TYPE_CHECKING:  # BM25 (with scipy) loads when a command searches or writes, not to list or re-ingest
    from newsqa.index.lexical import LexicalFilter, LexicalIndex

# What the stored chunks mean. 2: chunks are embedded and BM25-indexed with their article's title,
# outlet and date in front (index/chunk.py), and near-duplicate articles are grouped. A store of
# another schema would answer, but from vectors made of other text: it is refused, not used.
SCHEMA = 2
_ONE = [[1.0]]  # records in the articles/state collections carry no meaningful vector
_STATE_ID = "state"


class StoreError(RuntimeError):
    """A store that cannot be used as asked: unreachable, built differently, or busy."""


@dataclass(frozen=True)
class ArticleInfo:
    id: str
    title: str
    source: str
    url: str
    published_at: str
    published_ts: int
    n_chunks: int
    content_hash: str
    origin: str
    dup_of: str = ""  # the article whose indexed text stands for this one ("" when it is its own)


@dataclass(frozen=True)
class SearchFilter:
    """Filters applied identically by the vector search and by BM25."""

    since_ts: int | None = None
    until_ts: int | None = None
    sources: tuple[str, ...] | None = None
    article_ids: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return self == SearchFilter()

    def loosened_to(self, span: tuple[int, int] | None) -> "SearchFilter":
        """The same filter without the date bounds that every chunk dated within `span` (earliest,
        latest) already meets. Chroma evaluates any `where` clause by listing the matching ids
        before its HNSW search, so a bound that excludes nothing (the as-of day on a store of
        older news, the usual case) still cost 67 ms at 30,000 chunks against 1.7 ms without it."""
        if span is None:
            return self
        lo, hi = span
        since = None if self.since_ts is not None and self.since_ts <= lo else self.since_ts
        until = None if self.until_ts is not None and self.until_ts >= hi else self.until_ts
        return replace(self, since_ts=since, until_ts=until)

    def admits(self, chunk: Chunk) -> bool:
        """Whether a chunk passes the date bounds (the other fields are checked by the search)."""
        ts = chunk.published_ts
        return ((self.since_ts is None or ts >= self.since_ts)
                and (self.until_ts is None or ts <= self.until_ts))

    @classmethod
    def from_user(cls, since: str | None = "", until: str | None = "", sources: Sequence[str] | None = None,
                  article_ids: Sequence[str] | None = None) -> "SearchFilter":
        """The filter a person typed (CLI flags, page controls); ValueError names what is wrong."""
        from newsqa.index.dates import day_bound

        flt = cls(since_ts=day_bound(since), until_ts=day_bound(until, end=True),
                  sources=tuple(s for s in sources if s) or None if sources else None,
                  article_ids=tuple(article_ids) or None if article_ids else None)
        if flt.since_ts is not None and flt.until_ts is not None and flt.since_ts > flt.until_ts:
            raise ValueError("the 'since' date is after the 'until' date")
        return flt

    def lexical(self) -> LexicalFilter:
        from newsqa.index.lexical import LexicalFilter

        return LexicalFilter(
            self.since_ts, self.until_ts,
            frozenset(self.sources) if self.sources is not None else None,
            frozenset(self.article_ids) if self.article_ids is not None else None,
        )

    def chroma_where(self) -> dict | None:
        clauses: list[dict] = []
        if self.since_ts is not None:
            clauses.append({"published_ts": {"$gte": int(self.since_ts)}})
        if self.until_ts is not None:
            clauses.append({"published_ts": {"$lte": int(self.until_ts)}})
        if self.sources is not None:
            clauses.append({"source": {"$in": list(self.sources)}})
        if self.article_ids is not None:
            clauses.append({"article_id": {"$in": list(self.article_ids)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _lost_connection(e: BaseException) -> bool:
    """Whether `e` (or what it wraps) is a failed or dropped connection rather than a bad request."""
    import httpx

    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, (httpx.TransportError, ConnectionError, TimeoutError)):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


_F = TypeVar("_F", bound=Callable[..., Any])


def _server_call(method: _F) -> _F:
    """A Chroma server that went away becomes a StoreError naming it. The HTTP client reconnects on
    the next call, so once the server is back the same Store works again without reopening."""

    @functools.wraps(method)
    def wrapper(self: "Store", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as e:
            if self.settings.chroma_url and _lost_connection(e):
                raise StoreError(f"cannot reach the Chroma server at {self.settings.chroma_url}: {e}. "
                                 f"Start it again (same port and data); no restart of newsqa is needed") from e
            raise

    return wrapper  # type: ignore[return-value]


def _import_writer() -> None:
    try:
        import llama_index.vector_stores.chroma  # noqa: F401
    except Exception:  # reported by the import in Store.vectors, in the writing thread
        pass


def _client(settings: Settings):
    configure_offline_environment()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        u = urlparse(settings.chroma_url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise StoreError(f"--chroma-url must look like http://HOST:PORT, got {settings.chroma_url!r}")
        try:
            client = chromadb.HttpClient(host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000),
                                         ssl=u.scheme == "https", settings=chroma_settings)
            client.heartbeat()
        except Exception as e:
            raise StoreError(f"cannot reach the Chroma server at {settings.chroma_url}: {e}") from e
        return client
    path = Path(settings.store)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path / "chroma"), settings=chroma_settings)


def built_embedder(settings: Settings) -> str | None:
    """The fingerprint of the embedder that built the store the settings name, without creating
    anything: None for a store that does not exist yet or holds no record."""
    if not settings.chroma_url and not (Path(settings.store) / "chroma").is_dir():
        return None
    try:
        col = _client(settings).get_collection(f"{settings.collection}_state")
        got = col.get(ids=[_STATE_ID], include=["metadatas"])
    except Exception:  # no such collection (a new store), or a server that is not up yet
        return None
    if not got["ids"]:
        return None
    return str(got["metadatas"][0].get("embedder") or "") or None


class Store:
    def __init__(self, settings: Settings, embedder_fingerprint: str | None = None) -> None:
        """Open (creating if needed) the store the settings name.

        `embedder_fingerprint` is the embedder about to write or query; a store built by another
        embedder raises StoreError instead of returning meaningless neighbours.
        """
        self.settings = settings
        self.client = _client(settings)
        name = settings.collection
        cosine = {"hnsw": {"space": "cosine"}}
        try:
            self.chunks = self.client.get_or_create_collection(f"{name}_chunks", embedding_function=None,
                                                               configuration=cosine)
            self.articles_col = self.client.get_or_create_collection(f"{name}_articles", embedding_function=None)
            self.state_col = self.client.get_or_create_collection(f"{name}_state", embedding_function=None)
        except Exception as e:
            raise StoreError(f"cannot open the store {self.location}: {e}") from e
        self._vectors = None
        self._writer_import: threading.Thread | None = None
        self.max_batch = max(1, min(int(self.client.get_max_batch_size()) - 1, 5000))
        self._state = self._read_state()
        if embedder_fingerprint:
            self._check_fingerprint(embedder_fingerprint)
        self._lexical: LexicalIndex | None = None
        self._lexical_token = ""

    def prepare_writes(self) -> None:
        """Start importing llama-index's Chroma writer (about 2 s) on a background thread, so that
        it overlaps with embedding; the first write waits for it if it has not finished."""
        if self._vectors is None and self._writer_import is None:
            self._writer_import = threading.Thread(target=_import_writer, name="newsqa-import", daemon=True)
            self._writer_import.start()

    def _await_writer_import(self) -> None:
        """Wait for `prepare_writes`'s import before this thread imports any of llama-index: two
        threads importing its circularly dependent modules at once can each be handed the other's
        partially initialised module (ImportError "partially initialized module
        'llama_index.core.schema'", seen in about 1 of 4 training runs)."""
        t = self._writer_import
        if t is not None and t is not threading.current_thread():
            t.join()

    @property
    def vectors(self):
        """llama-index's Chroma integration over the chunks collection, which writes the chunks.
        Built on first write: importing llama-index costs about 2 s that reading never needs."""
        self._await_writer_import()
        if self._vectors is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._vectors = ChromaVectorStore(chroma_collection=self.chunks)
        return self._vectors

    # --- identity ------------------------------------------------------------------------------
    @property
    def location(self) -> str:
        if self.settings.chroma_url:
            return f"{self.settings.chroma_url} (collection {self.settings.collection})"
        return str(self.settings.store)

    def _read_state(self) -> dict:
        got = self.state_col.get(ids=[_STATE_ID], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else {}

    def _write_state(self, **changes: object) -> None:
        self._state = {**self._state, **changes}
        self.state_col.upsert(ids=[_STATE_ID], embeddings=_ONE, metadatas=[self._state])

    @property
    def fingerprint(self) -> dict:
        return {k: v for k, v in self._state.items() if k in ("embedder", "chunk_tokens", "chunk_overlap", "schema")}

    def _check_fingerprint(self, embedder_fp: str) -> None:
        schema = int(self._state.get("schema", 1) or 1)
        if schema != SCHEMA and self.count_chunks() > 0:
            raise StoreError(
                f"the store {self.location} was built by a{'n older' if schema < SCHEMA else ' newer'} "
                f"newsqa (store schema {schema}; this one reads schema {SCHEMA}: chunks embedded with "
                f"their title, outlet and date, near-duplicate articles grouped). Its vectors would be "
                f"compared with differently made ones, so it is not used: ingest the articles again "
                f"into a new --store (or delete {self.location} first)."
            )
        built = self._state.get("embedder")
        if built and built != embedder_fp and self.count_chunks() > 0:
            raise StoreError(
                f"the store {self.location} was built with the embedder {built!r}, but the configured "
                f"embedder is {embedder_fp!r}; vectors from different models cannot be compared. Use "
                f"the same embedder (NEWSQA_EMBEDDER / NEWSQA_EMBED_MODEL / NEWSQA_EMBED_RUNTIME), or "
                f"another --store."
            )

    def claim_for_ingest(self, embedder_fp: str) -> None:
        """Record what builds the store; refuse chunk settings that differ from the store's."""
        self._check_fingerprint(embedder_fp)
        s = self.settings
        if self.count_chunks() > 0 and "chunk_tokens" in self._state:
            if (self._state["chunk_tokens"], self._state["chunk_overlap"]) != (s.chunk_tokens, s.chunk_overlap):
                raise StoreError(
                    f"the store {self.location} was chunked with {self._state['chunk_tokens']} tokens "
                    f"(overlap {self._state['chunk_overlap']}), but the settings say {s.chunk_tokens} "
                    f"(overlap {s.chunk_overlap}); mixing them would index articles inconsistently. "
                    f"Use the store's settings or another --store."
                )
        self._write_state(embedder=embedder_fp, chunk_tokens=s.chunk_tokens,
                          chunk_overlap=s.chunk_overlap, schema=SCHEMA)

    # --- reading -------------------------------------------------------------------------------
    @_server_call
    def count_chunks(self) -> int:
        return int(self.chunks.count())

    def newest_published(self, until_ts: int) -> int | None:
        """The publication time of the newest dated article up to `until_ts` (None without one):
        the store's "now" as of that day."""
        return self.lexical().newest_until(until_ts)

    @_server_call
    def count_articles(self) -> int:
        return int(self.articles_col.count())

    @_server_call
    def article_infos(self, ids: Sequence[str] | None = None) -> dict[str, ArticleInfo]:
        out: dict[str, ArticleInfo] = {}
        if ids is not None:
            ids = list(dict.fromkeys(ids))
            for i in range(0, len(ids), self.max_batch):
                got = self.articles_col.get(ids=ids[i:i + self.max_batch], include=["metadatas"])
                out.update({aid: _info(aid, m) for aid, m in zip(got["ids"], got["metadatas"])})
            return out
        offset = 0
        while True:
            got = self.articles_col.get(include=["metadatas"], limit=self.max_batch, offset=offset)
            out.update({aid: _info(aid, m) for aid, m in zip(got["ids"], got["metadatas"])})
            if len(got["ids"]) < self.max_batch:
                return out
            offset += self.max_batch

    @_server_call
    def duplicate_index(self) -> DuplicateIndex:
        """The MinHash signatures of every article whose text is indexed (not of duplicates)."""
        idx = DuplicateIndex()
        offset = 0
        while True:
            got = self.articles_col.get(include=["metadatas"], limit=self.max_batch, offset=offset)
            for aid, m in zip(got["ids"], got["metadatas"]):
                sig = from_hex(str(m.get("minhash", ""))) if not m.get("dup_of") else None
                if sig is not None:
                    idx.add(aid, sig)
            if len(got["ids"]) < self.max_batch:
                return idx
            offset += self.max_batch

    @_server_call
    def duplicates_of(self, ids: Sequence[str]) -> dict[str, list[ArticleInfo]]:
        """For each indexed article id, the other articles of its group (oldest first)."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, list[ArticleInfo]] = {}
        for i in range(0, len(ids), self.max_batch):
            got = self.articles_col.get(where={"dup_of": {"$in": ids[i:i + self.max_batch]}}, include=["metadatas"])
            for aid, m in zip(got["ids"], got["metadatas"]):
                info = _info(aid, m)
                out.setdefault(info.dup_of, []).append(info)
        for members in out.values():
            members.sort(key=lambda x: (x.published_at, x.id))
        return out

    def iter_chunks(self, where: dict | None = None) -> Iterator[Chunk]:
        offset = 0
        while True:
            got = self.chunks.get(where=where, include=["documents", "metadatas"], limit=self.max_batch,
                                  offset=offset)
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                yield Chunk.from_metadata(cid, doc or "", meta)
            if len(got["ids"]) < self.max_batch:
                return
            offset += self.max_batch

    @_server_call
    def lead_chunks(self, article_ids: Sequence[str]) -> dict[str, Chunk]:
        """Each article's first chunk (its headline and lead), by article id."""
        ids = list(dict.fromkeys(article_ids))
        return {c.article_id: c for i in range(0, len(ids), self.max_batch)
                for c in self.iter_chunks({"$and": [{"article_id": {"$in": ids[i:i + self.max_batch]}},
                                                    {"ordinal": 0}]})}

    @_server_call
    def get_chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        ids = list(ids)
        for i in range(0, len(ids), self.max_batch):
            got = self.chunks.get(ids=ids[i:i + self.max_batch], include=["documents", "metadatas"])
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                out[cid] = Chunk.from_metadata(cid, doc or "", meta)
        return out

    @_server_call
    def chunk_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of the given chunks (those that exist)."""
        out: dict[str, np.ndarray] = {}
        ids = list(ids)
        for i in range(0, len(ids), self.max_batch):
            got = self.chunks.get(ids=ids[i:i + self.max_batch], include=["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"]):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    @_server_call
    def vector_search(self, vector: np.ndarray, k: int, flt: SearchFilter | None = None) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity.

        Asks the chunks collection directly, as llama-index's ChromaVectorStore.query does (the
        same `query_embeddings`, `n_results` and `where`), without importing llama-index."""
        n = self.count_chunks()
        if n == 0:
            return []
        # The BM25 index is kept in step with the collection, so its dates say which bounds can be
        # left out of Chroma's query; hits are still checked against the full filter in case a
        # writer in another process added a chunk in between.
        loose = flt.loosened_to(self.lexical().date_span()) if flt and (
            flt.since_ts is not None or flt.until_ts is not None) else flt
        where = loose.chroma_where() if loose else None
        res = self.chunks.query(query_embeddings=[[float(x) for x in vector]], n_results=min(k, n),
                                include=["documents", "metadatas", "distances"],
                                **({"where": where} if where else {}))
        out = []
        for cid, doc, meta, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0],
                                        res["distances"][0]):
            # Chroma's cosine distance is 1 - cos
            chunk = Chunk.from_metadata(cid, doc or "", meta or {})
            if loose is flt or flt is None or flt.admits(chunk):
                out.append((chunk, 1.0 - float(dist)))
        return out

    # --- lexical index -------------------------------------------------------------------------
    @property
    def lexical_dir(self) -> Path:
        if self.settings.chroma_url:
            key = stable_hash(self.settings.chroma_url, self.settings.collection, length=12)
            return Path(self.settings.store) / "lexical" / key
        return Path(self.settings.store) / "lexical" / self.settings.collection

    @_server_call
    def lexical(self) -> LexicalIndex:
        """The BM25 index, in step with the store: loaded if its token matches, else rebuilt.

        The token is re-read on each call, so a server-mode reader notices other writers' changes.
        """
        from newsqa.index.lexical import LexicalIndex

        token = str(self._read_state().get("token", ""))
        if self._lexical is not None and self._lexical_token == token:
            return self._lexical
        loaded = LexicalIndex.load(self.lexical_dir)
        if loaded is not None and loaded[1] == token and len(loaded[0]) == self.count_chunks():
            self._lexical, self._lexical_token = loaded
            return loaded[0]
        idx = LexicalIndex()
        batch: list[Chunk] = []
        for c in self.iter_chunks():
            batch.append(c)
            if len(batch) >= 2000:
                idx.add(batch)
                batch = []
        idx.add(batch)
        self._lexical, self._lexical_token = idx, token
        self._save_lexical()
        return idx

    def _save_lexical(self) -> None:
        if self._lexical is not None:
            try:
                self._lexical.save(self.lexical_dir, self._lexical_token)
            except OSError:
                pass  # a read-only cache folder only costs a rebuild next time

    # --- writing -------------------------------------------------------------------------------
    @contextmanager
    def write_batch(self, article_ids: Sequence[str]) -> Iterator[None]:
        """Journal a batch of article changes so a crash inside it is repaired on the next open."""
        lex = self.lexical()
        pending = json.loads(str(self._state.get("journal") or "[]"))
        self._write_state(journal=json.dumps(sorted(set(pending) | set(article_ids))), token=uuid.uuid4().hex)
        yield
        new_token = uuid.uuid4().hex
        self._write_state(journal="[]", token=new_token)
        self._lexical, self._lexical_token = lex, new_token
        self._save_lexical()

    def repair(self) -> list[str]:
        """Undo any batch a crash left half-written; returns the article ids it cleared."""
        journal = json.loads(str(self._state.get("journal") or "[]"))
        if not journal:
            return []
        lex = self.lexical()
        self._delete_articles(journal, lex)
        self._write_state(journal="[]", token=uuid.uuid4().hex)
        self._lexical = None
        self.lexical()
        return journal

    def _delete_articles(self, ids: Sequence[str], lex: LexicalIndex) -> None:
        ids = list(ids)
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            # records first: an article without a record is re-ingested, never reported unchanged
            self.articles_col.delete(ids=part)
            self.chunks.delete(where={"article_id": {"$in": part}})
        for aid in ids:
            lex.remove_article(aid)

    def put_articles(self, items: Sequence[tuple[Article, list[Chunk], np.ndarray]],
                     signatures: dict[str, str] | None = None) -> None:
        """Replace each article's chunks and record. Call inside `write_batch` with the same ids.
        `signatures` holds the articles' MinHash signatures (hex), for duplicate detection."""
        self._await_writer_import()
        from llama_index.core.schema import TextNode

        lex = self._lexical if self._lexical is not None else self.lexical()
        self._delete_articles([a.id for a, _, _ in items], lex)
        nodes = [
            TextNode(id_=c.id, text=c.text, metadata=c.metadata(), embedding=vec.tolist(),
                     excluded_embed_metadata_keys=list(c.metadata()), excluded_llm_metadata_keys=list(c.metadata()))
            for _, chunks, vecs in items for c, vec in zip(chunks, vecs)
        ]
        for i in range(0, len(nodes), self.max_batch):
            self.vectors.add(nodes[i:i + self.max_batch])
        sigs = signatures or {}
        records = [(a.id, {**_record(a, len(chunks)), "minhash": sigs.get(a.id, ""), "dup_of": ""})
                   for a, chunks, _ in items]
        for i in range(0, len(records), self.max_batch):
            part = records[i:i + self.max_batch]
            self.articles_col.upsert(ids=[r[0] for r in part], embeddings=_ONE * len(part),
                                     metadatas=[r[1] for r in part])
        lex.add([c for _, chunks, _ in items for c in chunks])

    def put_duplicates(self, items: Sequence[tuple[Article, str, str]]) -> list[str]:
        """Record articles as near-duplicates: (article, the indexed article it duplicates, its
        MinHash signature in hex). Any chunks they had are deleted. An article that was itself the
        indexed one of a group takes its group's only copy of their text with it: those members are
        removed (returned) so that ingesting them again indexes one of them. Call inside
        `write_batch`."""
        if not items:
            return []
        lex = self._lexical if self._lexical is not None else self.lexical()
        ids = [a.id for a, _, _ in items]
        orphans = [m.id for group in self.duplicates_of(ids).values() for m in group if m.id not in ids]
        self._delete_articles([*ids, *orphans], lex)
        records = [(a.id, {**_record(a, 0), "minhash": sig, "dup_of": target}) for a, target, sig in items]
        for i in range(0, len(records), self.max_batch):
            part = records[i:i + self.max_batch]
            self.articles_col.upsert(ids=[r[0] for r in part], embeddings=_ONE * len(part),
                                     metadatas=[r[1] for r in part])
        return orphans

    def remove_articles(self, ids: Sequence[str]) -> list[str]:
        """Delete articles and their chunks from every index; returns the ids that existed.

        A removed article's near-duplicates go with it: they have no indexed text of their own, so
        they could only be listed, never found. They are among the returned ids (ingest them again
        to index one of them)."""
        existing = list(self.article_infos(ids))
        members = [m.id for group in self.duplicates_of(existing).values() for m in group if m.id not in ids]
        existing += members
        ids = [*ids, *members]
        # chunks of a half-written article have no record yet; delete by id regardless
        with self.write_batch(ids):
            self._delete_articles(ids, self.lexical() if self._lexical is None else self._lexical)
        return existing


def _record(a: Article, n_chunks: int) -> dict:
    return {
        "title": a.title, "source": a.source, "url": a.url, "published_at": a.published_iso,
        "published_ts": a.published_ts, "n_chunks": n_chunks, "content_hash": a.content_hash,
        "origin": a.origin,
    }


def _info(aid: str, m: dict) -> ArticleInfo:
    return ArticleInfo(
        id=aid, title=str(m.get("title", "")), source=str(m.get("source", "")), url=str(m.get("url", "")),
        published_at=str(m.get("published_at", "")), published_ts=int(m.get("published_ts", -1)),
        n_chunks=int(m.get("n_chunks", 0)), content_hash=str(m.get("content_hash", "")),
        origin=str(m.get("origin", "")), dup_of=str(m.get("dup_of", "") or ""),
    )


@contextmanager
def ingest_lock(settings: Settings) -> Iterator[None]:
    """One writer per store at a time: a second concurrent ingest is refused, not interleaved.

    A lock file serialises the processes of this machine; in Chroma-server mode a lease kept in
    the server (index/lease.py) also serialises writers on other hosts."""
    folder = Path(settings.store)
    folder.mkdir(parents=True, exist_ok=True)
    name = "write.lock" if not settings.chroma_url else f"write-{stable_hash(settings.chroma_url, settings.collection, length=8)}.lock"
    path = folder / name
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise StoreError(f"another ingest or removal is writing to {path.parent} (pid {holder}); "
                             f"wait for it to finish and run this again") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        if not settings.chroma_url:
            yield
            return
        # other hosts writing to the same server share no lock file: a lease kept in the server
        from newsqa.index.lease import LeaseHeld, take_lease

        where = f"{settings.chroma_url} (collection {settings.collection})"
        try:
            lease = take_lease(_client(settings), settings.collection, where, settings.write_lease_seconds)
        except LeaseHeld as e:
            raise StoreError(str(e)) from None
        try:
            yield
        finally:
            lease.release()
    finally:
        fh.close()
