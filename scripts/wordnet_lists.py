"""The one way the scripts/wordnet_*.py scripts write a list for rag/data: WordNet's licence line
naming the script, then one entry a line (run them from the repository root)."""

from __future__ import annotations

from pathlib import Path


def write_list(out_dir: str | Path, name: str, lines: list[str], script: str) -> None:
    """Write `lines` to `out_dir`/`name` under the header that credits WordNet and names `script`
    (its path from the repository root)."""
    header = (f"# derived from WordNet 3.0 by {script}; WordNet 3.0 Copyright 2006 by "
              "Princeton University (see WORDNET-LICENSE)\n")
    Path(out_dir, name).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
