"""A readers-writer lock that keeps the page's store writes apart from the answers that read it.

Several answers may run at once, but an ingest or removal changes the lexical index that retrieval
reads, so page-side writes take `ReadWriteLock.write()` and each step of an answer takes `.read()`
(never across a `yield`, so an abandoned stream cannot hold it). Other processes are kept out by the
store's own file lock, which `ingest` and `remove` take.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator


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
