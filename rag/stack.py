"""The rule path's reading of the passages, as evidence for the learned one (stacking).

The hand-set rules (candidates.py scoring, backends/extractive.py selection, refuse.py's checks) are
strong on some kinds of questions and weak on others; the learned ranker is the reverse. Rather than
choosing between them per question by hand, the ranker gets the rules' verdicts as features and
learns, from the training parts, where to trust them: each candidate sentence's rule score relative
to the best, whether the rules would quote it, the constraints it breaks, and (for the answerability
model) whether the rules' refusal checks would refuse.

`read_rules` runs the rules once per question, or per part of a compound question (their question
parse, candidate scoring and selection), and returns a `RuleView`, which the ranked backend passes
to every stage that reads it (ranker.py, refusal.py): nothing of the rule path is computed twice.
The view also carries the passages' sentences as cut for it (sentences.py), from which the ranker
takes its own candidates rather than cutting the passages again. Its refusal verdict skips the
rules' support check (an embedding per quoted sentence): the ranked path checks support on what it
quotes itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsqa.rag.sentences import Candidate, quotable_candidates

if TYPE_CHECKING:
    from newsqa.rag.question import Question
    from newsqa.rag.support import SupportScorer
    from newsqa.rag.types import Passage

Key = tuple[int, int]  # (passage n, sentence index in the passage)


@dataclass(frozen=True)
class RuleView:
    """Per candidate sentence (by passage and index) the rules' score, the sentences they would
    quote, the constraints each breaks, and the rules' refusal verdict; and the sentences read."""

    scores: dict[Key, float] = field(default_factory=dict)
    violations: dict[Key, int] = field(default_factory=dict)
    chosen: tuple[Key, ...] = ()  # the sentences the rule backend quotes, best first
    spans: tuple[tuple[int, int], ...] = ()  # their character spans in their passages' chunk text
    best: float = 0.0  # the best rule score
    refuse: bool = True  # the rules' refusal checks refuse
    reason: str = ""
    # the passages' quotable sentences this reading was made on, unscored (None: not cut). Both
    # paths score copies: these stay as cut.
    cut: tuple[Candidate, ...] | None = field(default=None, compare=False, repr=False)

    def relative(self, key: Key) -> float:
        """The sentence's rule score over the best one's (0 when the rules see nothing)."""
        return self.scores.get(key, 0.0) / self.best if self.best > 0 else 0.0

    def top(self) -> Key | None:
        return self.chosen[0] if self.chosen else None

    def candidates(self, passages: list["Passage"]) -> list[Candidate]:
        """Unscored candidates for the passages this view was read on: copies of its cut, or, for a
        view made without one, the passages cut now."""
        if self.cut is None:
            return quotable_candidates(passages)
        return [c.fresh() for c in self.cut]


def read_rules(question: str, passages: list["Passage"], scorer: "SupportScorer",
               cut: list[Candidate] | None = None) -> RuleView:
    """The rules' scores, choice and refusal verdict for `question` over `passages` (one pass).
    `cut`: the passages' quotable sentences (sentences.quotable_candidates), cut here when not
    given; the view keeps it for the ranker."""
    from newsqa.rag.backends.extractive import ExtractiveBackend
    from newsqa.rag.candidates import rule_candidates, score_candidates
    from newsqa.rag.refuse import RefusalPolicy

    cut = quotable_candidates(passages) if cut is None else cut
    cands = [c.fresh() for c in rule_candidates(cut)]  # the ranker reads the cut too
    if not question.strip() or not cands:
        return RuleView(cut=tuple(cut))
    q: "Question" = score_candidates(question, passages, cands, scorer)
    chosen = ExtractiveBackend(scorer).select(cands)
    verdict = RefusalPolicy().decide_candidates(q, chosen, passages)
    return RuleView(scores={(c.n, c.index): c.score for c in cands},
                    violations={(c.n, c.index): len(c.violations) for c in cands},
                    chosen=tuple((c.n, c.index) for c in chosen), spans=tuple(c.span for c in chosen),
                    best=max(c.score for c in cands), refuse=verdict.refuse, reason=verdict.reason,
                    cut=tuple(cut))


def rules_first_choice(chosen: list[Candidate], ranked: list[Candidate], rules: RuleView | None,
                       passages: list["Passage"]) -> Candidate | None:
    """The rules' first sentence, to be quoted after the ranker's choice, when the rules would answer
    and the ranker chose neither it nor a sentence stating the same fact; else None.

    The two paths err on different questions: cross-validated on the training parts, the ranker's
    quoted sentences held the answer for 0.70 of rtqa-dev's answerable questions and the rules' for
    0.52, on the bundled set's 0.87 and 0.95; with the rules' first sentence added where they differ
    0.70 and 0.95. The answer gains a sentence only where the two disagree."""
    from newsqa.rag.select import same_fact

    if rules is None or rules.refuse or not rules.chosen:
        return None
    key = rules.chosen[0]
    if any((c.n, c.index) == key for c in chosen):
        return None
    c = next((x for x in ranked if (x.n, x.index) == key), None)
    if c is None:
        p = next((x for x in passages if x.n == key[0]), None)
        if p is None:
            return None
        a, b = rules.spans[0]
        c = Candidate(n=p.n, rank=passages.index(p), span=(a, b), text=p.chunk.text[a:b], index=key[1])
    if any(same_fact(x, c) for x in chosen):
        return None
    c.citations = [c.n]
    c.cited_spans = {}
    return c
