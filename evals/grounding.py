"""How much of a question set a store's articles can ground: for each answerable question, the
sentence dated up to its as-of day that holds an accepted answer and most of the question's words.

An extractive answer quotes what an article says. Where no article states the answer beside the
question's own words (the evidence tells another story, another year's event, or the answer in
other words), a grounded answer is out of reach of word matching, and a target on the whole set
says how many of those it must still get. For each answerable question this finds the best
sentence (title and body cut by `split_sentences`, of articles dated up to the question's as-of
day) that holds an accepted spelling of the answer, scored by the share of the asking sentence's
content lemmas (nouns, verbs, adjectives, names and numbers, not stop words, not the answer's own)
it also holds, and counts the questions by that share; with an eval report, also how many of each
band the report answered right.

    python -m newsqa.evals.grounding --questions Q --articles A [--split validation] [--report R]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from newsqa.evals.metrics import contains_spelling
from newsqa.evals.questions import Question, load_questions
from newsqa.evals.split import SPLITS, select_split
from newsqa.index.articles import Article
from newsqa.index.text import split_sentences

_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
BANDS = ((0.0, 0.25), (0.25, 0.5), (0.5, 1.01))  # share of the question's lemmas: [low, high)


@dataclass(frozen=True)
class Grounding:
    question_id: str
    coverage: float  # the best answer-holding sentence's share of the question's lemmas; -1: none holds it
    sentence: str  # that sentence ("" when none)


@lru_cache(maxsize=65536)
def lemmas(text: str) -> frozenset[str]:
    """The content lemmas of `text` (spaCy's English pipeline)."""
    from newsqa.rag.analyse import nlp

    return frozenset(t.lemma_.lower() for t in nlp()(text) if t.pos_ in _CONTENT_POS and not t.is_stop)


def asking_sentence(question: str) -> str:
    """The sentence that asks: quiz questions often open with a sentence of context."""
    return split_sentences(question)[-1] if question.strip() else question


def grounding(questions: Sequence[Question], articles: Iterable[Article]) -> list[Grounding]:
    """For each answerable question, its best answer-holding sentence by lemma coverage."""
    dated = [(a.published_at.date() if a.published_at else None, s)
             for a in articles for s in split_sentences(f"{a.title}\n\n{a.body}")]
    out = []
    for q in questions:
        if not q.answerable:
            continue
        spellings = [s for part in q.answers for s in part]
        asked = lemmas(asking_sentence(q.question)) - frozenset().union(*(lemmas(s) for s in spellings))
        best, best_sentence = -1.0, ""
        for day, sentence in dated:
            if q.as_of is not None and day is not None and day > q.as_of:
                continue
            if not any(contains_spelling(sentence, s) for s in spellings):
                continue
            cov = len(asked & lemmas(sentence)) / len(asked) if asked else 1.0
            if cov > best:
                best, best_sentence = cov, sentence
        out.append(Grounding(q.id, best, best_sentence))
    return out


def band_of(coverage: float) -> int:
    """The band (index into BANDS) a coverage falls in; a question no sentence grounds is band 0."""
    return next((i for i, (lo, hi) in enumerate(BANDS) if lo <= coverage < hi), 0)


def report_lines(rows: Sequence[Grounding], right: dict[str, bool] | None = None) -> list[str]:
    """One line per band: its questions (the lowest band also counts those no sentence grounds)
    and, with `right` (question id -> answered right), how many of them a report got right."""
    lines = []
    for i, (lo, hi) in enumerate(BANDS):
        ids = [r.question_id for r in rows if band_of(r.coverage) == i]
        line = f"coverage {lo:.2f}-{min(hi, 1.0):.2f}: {len(ids)} questions"
        if i == 0:
            none = sum(r.coverage < 0 for r in rows)
            line += f" ({none} without any sentence holding the answer)"
        if right is not None:
            line += f", answered right {sum(right.get(x, False) for x in ids)}"
        lines.append(line)
    return lines


def _right_by_id(report: Path) -> dict[str, bool]:
    data = json.loads(report.read_text())
    return {q["id"]: bool(q.get("eval", {}).get("correct")) for q in data.get("questions", [])}


def main(argv: Sequence[str] | None = None) -> int:
    from newsqa.index.load import iter_inputs
    from newsqa.settings import Settings

    p = argparse.ArgumentParser(prog="python -m newsqa.evals.grounding", description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", type=Path, required=True)
    p.add_argument("--articles", required=True, help="the articles (a file or folder, as `newsqa ingest` reads)")
    p.add_argument("--split", choices=SPLITS, default="all")
    p.add_argument("--report", type=Path, help="an eval report.json of the same questions: right answers per band")
    args = p.parse_args(argv)
    questions = select_split(load_questions(args.questions), args.split)
    articles = [a for a in iter_inputs([args.articles], Settings()) if isinstance(a, Article)]
    rows = grounding(questions, articles)
    right = _right_by_id(args.report) if args.report else None
    print(f"{len(rows)} answerable questions ({args.split}), {len(articles)} articles")
    for line in report_lines(rows, right):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
