"""What several rag test modules need built one way: passages, and work run in threads."""

from __future__ import annotations

import threading
from typing import Callable

from newsqa.index.articles import Chunk
from newsqa.rag.types import Passage


def passages(*texts: str, titles: tuple[str, ...] = (), article: str | None = None,
             start: int = 0) -> list[Passage]:
    """Passage n (from 1) is chunk "c{n}" of article "a{n}", ranked by 1/n. With `article`, all are
    consecutive chunks of that one article; `start` offsets every chunk within its article."""
    return [Passage(n=i, chunk=Chunk(id=f"c{i}", article_id=article or f"a{i}", ordinal=i - 1 if article else 0,
                                     text=t, char_start=start, char_end=start + len(t),
                                     title=titles[i - 1] if i <= len(titles) else ""), score=1.0 / i)
            for i, t in enumerate(texts, 1)]


def errors_in_threads(work: Callable[[int], None], n: int, together: bool = False) -> list[BaseException]:
    """Run work(0) .. work(n - 1) each in its own thread and return what they raised. `together`:
    every thread waits at a barrier first, so that they start their work at the same moment."""
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def run(w: int) -> None:
        try:
            if together:
                start.wait()
            work(w)
        except BaseException as e:  # collected for the caller to assert on
            errors.append(e)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
