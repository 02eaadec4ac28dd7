from __future__ import annotations

from pathlib import Path

from newsqa.rag.sqlite_db import reading, transaction
from rag_helpers import errors_in_threads

SCHEMA = "CREATE TABLE IF NOT EXISTS rows (writer INTEGER, n INTEGER)"


def test_writers_opening_a_new_file_together_all_commit(tmp_path: Path):
    # Several connections switching a brand-new file to WAL at the same moment is where SQLite
    # answers "locked" without waiting; many fresh files make that race likely to be hit.
    for round_ in range(40):
        path = tmp_path / f"r{round_}.sqlite3"

        def work(w: int) -> None:
            for n in range(2):
                with transaction(path, SCHEMA) as conn:
                    conn.execute("INSERT INTO rows VALUES (?, ?)", (w, n))

        assert errors_in_threads(work, 6, together=True) == []
        with reading(path, SCHEMA) as conn:
            assert conn.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 12
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
