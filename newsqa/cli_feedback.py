"""`newsqa feedback list` and `newsqa feedback export`: readers' verdicts on answers, and the
evaluation set made from them (evals/feedback_export.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable


def cmd_feedback_list(args: argparse.Namespace) -> int:
    from newsqa.cli import settings_from
    from newsqa.rag.feedback import RATING_LABELS, FeedbackStore
    from newsqa.rag.sqlite_db import UserDataError

    store = FeedbackStore.for_settings(settings_from(args))
    try:
        listing = store.all(args.rating)
    except UserDataError as e:
        print(f"newsqa feedback list: {e}", file=sys.stderr)
        return 1
    for p in listing.problems:
        print(f"newsqa feedback list: {p}", file=sys.stderr)
    if args.json:
        for fb in listing.rows:
            print(json.dumps(fb.to_json(), ensure_ascii=False))
        return 0
    if not listing.rows:
        print(f"no feedback yet in {store.path}")
        return 0
    for fb in listing.rows:
        answer = " ".join(str(fb.answer.get("answer", "")).split())
        if len(answer) > 100:
            answer = answer[:100] + "…"
        print(f"{fb.id}\t{fb.created_at[:16]}\t{fb.user or '-'}\t{RATING_LABELS[fb.rating]}\t"
              f"{fb.as_of or '-'}\t{fb.question}\t{answer}" + (f"\tnote: {fb.note}" if fb.note else ""))
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    from newsqa.cli import settings_from
    from newsqa.evals.feedback_export import export_feedback, write_jsonl
    from newsqa.rag.feedback import FeedbackStore
    from newsqa.rag.sqlite_db import UserDataError

    store = FeedbackStore.for_settings(settings_from(args))
    try:
        listing = store.all()
    except UserDataError as e:
        print(f"newsqa feedback export: {e}", file=sys.stderr)
        return 1
    for p in listing.problems:
        print(f"newsqa feedback export: {p}", file=sys.stderr)
    result = export_feedback(listing.rows)
    try:
        n = write_jsonl(result.questions, Path(args.out))
        if args.review:
            write_jsonl(result.review, Path(args.review))
    except OSError as e:
        print(f"newsqa feedback export: cannot write {e.filename or args.out}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"wrote {n} question(s) to {args.out} (from {len(listing.rows)} verdict(s)); "
          f"check them with: newsqa eval --questions {args.out}")
    if result.review:
        print(f"{len(result.review)} answer(s) to review" + (f" (also in {args.review})" if args.review else "") + ":")
        for r in result.review:
            notes = f" — notes: {' | '.join(r['notes'])}" if r["notes"] else ""
            print(f"  [{', '.join(map(str, r['feedback_ids']))}] {r['reason']}: {r['question']}{notes}")
    return 0


def add_feedback_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `feedback` subcommand and its two actions, on the CLI's subparsers."""
    fp = sub.add_parser("feedback", help="readers' ratings of answers: list them, export them as a question set",
                        description="Ratings given on the page or through the API's `feedback` endpoint "
                                    "(thumbs up, thumbs down, wrong citation, a note), stored in the store's "
                                    "folder.")
    fsub = fp.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    s = fsub.add_parser("list", help="every rating, oldest first", description="Every stored rating, oldest first.")
    s.add_argument("--rating", choices=["up", "down", "wrong_citation"], help="only this rating")
    s.add_argument("--json", action="store_true", help="one JSON object a line, with the rated answer")
    common(s)
    s.set_defaults(func=cmd_feedback_list)
    s = fsub.add_parser("export", help="approved answers as questions for `newsqa eval`",
                        description="Write the answers readers approved as an evaluation question set (the "
                                    "short answer, or the cited sentence, as the accepted answer; the cited "
                                    "articles as evidence; approved refusals as unanswerable), and list the "
                                    "answers rated down or 'wrong citation' for review.")
    s.add_argument("--out", required=True, metavar="FILE.jsonl", help="where the questions go")
    s.add_argument("--review", metavar="FILE.jsonl", help="also write the answers to review here")
    common(s)
    s.set_defaults(func=cmd_feedback_export)
