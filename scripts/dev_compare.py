"""Compare two folders of reports written by scripts/dev-eval.sh: per report, each headline metric
old -> new with how many questions got better and worse (paired by id).

    .venv/bin/python scripts/dev_compare.py OLD NEW [--questions REPORT]

--questions REPORT also lists that report's questions whose outcome changed (read it only for
training parts and written-probe: the other sets are judged by their counts, never read).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from newsqa.evals.report import paired_comparison, report_outcomes

METRICS = ("answer_correctness", "short_answer_correctness", "answered_rate", "refusal_recall", "answer@5")


def _load(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / name / "report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def compare(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    a = old["aggregates"]["product"]["overall"] if old else {}
    b = new["aggregates"]["product"]["overall"]
    paired = paired_comparison(old, new) if old else {}
    cells = []
    for m in METRICS:
        if b.get(m) is None:
            continue
        better, worse, _, _ = paired.get(m, (0, 0, 0, 1.0))
        moved = f" +{better}-{worse}" if better or worse else ""
        was = f"{a[m]:.3f}" if a.get(m) is not None else "-"
        cells.append(f"{m.split('_')[0]} {was}->{b[m]:.3f}{moved}")
    return " | ".join(cells)


def changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    oa, ob = report_outcomes(old), report_outcomes(new)
    by_id = {str(r["id"]): r for r in new["questions"]}
    out = []
    for q, o in ob.items():
        moved = [m for m in METRICS if m in o and oa.get(q, {}).get(m) != o[m]]
        if moved:
            r = by_id[q]
            short = (r.get("short_answer") or {}).get("text")
            why = (r.get("refusal") or {}).get("reason", "")
            out.append(f"{q} {r['question']!r}: {', '.join(moved)}; short {short!r}"
                       + (f"; refused: {why}" if r.get("refused") else ""))
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    old, new = Path(argv[0]), Path(argv[1])
    for path in sorted(new.glob("*/report.json")):
        name = path.parent.name
        print(f"{name:24s} {compare(_load(old, name), _load(new, name) or {})}")
    if "--questions" in argv:
        name = argv[argv.index("--questions") + 1]
        a, b = _load(old, name), _load(new, name)
        if a and b:
            print("\n".join(changed(a, b)) or "no question changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
