"""The write lease of a Chroma-server store: one writer at a time across hosts.

The local lock file of `ingest_lock` serialises the processes of one machine; writers on two hosts
sharing one `chroma run` would not see each other's files. So the writer also holds a lease kept in
the server itself, in a small collection of its own (`<name>_lease`).

Chroma has no compare-and-swap, so a lease is taken in two steps, each contender with its own
record (its token as the id):
  1. add a `pending` record, then list the others that have not expired;
  2. none: mark the record `held`: the lease is taken. Another one `held`: refuse, naming it.
     Only `pending` ones (contenders in the same instant): withdraw, wait a random moment, retry.
Two contenders cannot both reach `held`: each adds its record before listing, so whichever lists
second sees the first's record (pending or held) and does not take the lease.

A holder renews its lease every `ttl / 4` seconds from a background thread; a holder that died
(killed, host lost) stops renewing, and its lease is ignored and cleared once `ttl` has passed.
Expiry compares wall clocks of different hosts: `ttl` (60 s by default) must exceed their skew.
"""

from __future__ import annotations

import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

_ONE = [[1.0]]  # lease records carry no meaningful vector
ATTEMPTS = 8  # tries while other contenders are pending, before giving up


class LeaseHeld(RuntimeError):
    """Another writer holds the lease (the message names it)."""


@dataclass(frozen=True)
class LeaseRecord:
    token: str
    holder: str
    state: str  # "pending" or "held"
    since: float
    expires: float


def _read(col: Any) -> list[LeaseRecord]:
    got = col.get(include=["metadatas"])
    return [LeaseRecord(token, str(m.get("holder", "?")), str(m.get("state", "pending")),
                        float(m.get("since", 0.0)), float(m.get("expires", 0.0)))
            for token, m in zip(got["ids"], got["metadatas"])]


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe(r: LeaseRecord) -> str:
    return f"{r.holder}, writing since {_when(r.since)}, lease until {_when(r.expires)} unless renewed"


def default_holder() -> str:
    return f"{socket.gethostname()} pid {os.getpid()}"


class Lease:
    """A lease taken in `col`; `release()` gives it up."""

    def __init__(self, col: Any, ttl: float, holder: str) -> None:
        self.col = col
        self.ttl = ttl
        self.holder = holder
        self.token = uuid.uuid4().hex
        self.since = time.time()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _put(self, state: str) -> None:
        self.col.upsert(ids=[self.token], embeddings=_ONE, metadatas=[{
            "holder": self.holder, "state": state, "since": self.since, "expires": time.time() + self.ttl}])

    def acquire(self, where: str) -> None:
        for attempt in range(ATTEMPTS):
            self._put("pending")
            now = time.time()
            others = [r for r in _read(self.col) if r.token != self.token]
            live = [r for r in others if r.expires > now]
            stale = [r.token for r in others if r.expires <= now]
            if stale:  # writers that died without releasing
                self.col.delete(ids=stale)
            held = [r for r in live if r.state == "held"]
            if held:
                self._withdraw()
                raise LeaseHeld(f"another ingest or removal is writing to {where} ({describe(held[0])}); "
                                f"wait for it to finish and run this again")
            if not live:
                self._put("held")
                self._renewer = threading.Thread(target=self._renew, name="newsqa-lease", daemon=True)
                self._renewer.start()
                return
            self._withdraw()
            time.sleep(random.uniform(0.05, 0.5) * (attempt + 1))
        raise LeaseHeld(f"another ingest or removal is writing to {where} ({describe(live[0])}, starting); "
                        f"wait for it to finish and run this again")

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl / 4):
            try:
                self._put("held")
            except Exception:  # the server is away: the writer's own calls report it
                pass

    def _withdraw(self) -> None:
        try:
            self.col.delete(ids=[self.token])
        except Exception:  # it expires on its own
            pass

    def release(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(5)
        self._withdraw()


def take_lease(client: Any, collection: str, where: str, ttl: float = 60.0, holder: str | None = None) -> Lease:
    """Take the write lease of `collection` on the Chroma server behind `client` (release it with
    `Lease.release`); raises LeaseHeld naming the holder when another writer has it. `where`
    names the store in that message."""
    col = client.get_or_create_collection(f"{collection}_lease", embedding_function=None)
    lease = Lease(col, ttl, holder or default_holder())
    lease.acquire(where)
    return lease
