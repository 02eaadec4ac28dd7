"""When to say "the indexed articles don't answer this" instead of showing an answer.

Rule: an answer stands only if every check passes; the first that fails is the reason.

1. answered   - the backend returned at least one sentence;
2. supported  - at least one sentence is supported (the support scorer's threshold);
3. specific   - every year, number, date and code of the question ("2021", "Q1", "No 1") appears in
                a supported sentence or in a passage it cites: an answer about 2019 does not answer a
                question about 2021;
4. on topic   - at least `min_name_share` of the question's name tokens ("Wimbledon", "Tesla")
                appear in the supported sentences, the passages they cite and the other retrieved
                chunks of the same articles; when the cited text leaves its subject unnamed ("the
                company", "its"), the other retrieved passages count too (a snippet often says "the
                company", not "Tesla"), but not otherwise (a list of nominees does not become an
                answer about Avatar because another article names Avatar);
5. typed      - for who/when/where/how-many questions, a supported sentence clearly holds that kind
                of answer (`answer_type.answer_type_score` >= `min_type`): a person-like name or a place
                the question does not contain, a date with its year, a number (money for money
                questions);
6. constrained - not every supported sentence breaks one of the question's constraints
                (`newsqa.rag.constraints`: another competition, gender or level, "former
                president", another speaker for "what did X say", another topic for "... about Y");
7. answering  - the best answer score (`newsqa.rag.question`: similarity, IDF-weighted overlap with
                the question's words, its names, the answer type, its years) of a supported sentence
                reaches `min_answer_score`. This is what turns away a sentence on the right topic that
                answers another question ("The 2021 Masters runs April 8-11").

Only supported sentences count: an unsupported sentence cannot make an answer acceptable. A compound
question ("Which UAE leader ..., and what did Trump ...") stands when any of its parts does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsqa.rag.answer_type import answer_type_score, required_factor
from newsqa.rag.candidates import asks, rule_candidates, score_candidates
from newsqa.rag.constraints import has_word
from newsqa.rag.evidence import evidence_spans
from newsqa.rag.question import Question
from newsqa.rag.sentences import Candidate, passage_candidates
from newsqa.rag.support import SupportScorer
from newsqa.rag.terms import key_terms
from newsqa.rag.types import Passage, Refusal, Sentence


# "the company", "the film", "its": a passage that talks about a subject it does not name
_UNNAMED_SUBJECT = re.compile(
    r"\b(?:the|its|this|that)\s+(?:company|firm|carmaker|automaker|maker|group|bank|network|"
    r"film|movie|show|series|game|sequel|team|club|side|band|album|book|season|episode|event|"
    r"tournament|race|election|league|country|city|state)\b|\b(?:he|she|his|her|its)\b", re.I)


@dataclass(frozen=True)
class RefusalPolicy:
    """Thresholds of the rule above (tuned with all-MiniLM-L6-v2 on news snippets)."""

    min_answer_score: float = 0.5
    min_name_share: float = 0.5
    min_type: float = 0.7
    min_date_type: float = 0.5

    def decide(self, question: str, sentences: list[Sentence], passages: list[Passage],
               scorer: SupportScorer) -> Refusal:
        q = Question.parse(question)
        if q.parts:
            # a compound question stands if any of its parts is answered
            decisions = [self._decide(part, sentences, passages, scorer) for part in q.parts]
            answered = [d for d in decisions if not d.refuse]
            return max(answered, key=lambda d: d.answer_score) if answered else decisions[0]
        return self._decide(question, sentences, passages, scorer)

    def _decide(self, question: str, sentences: list[Sentence], passages: list[Passage],
                scorer: SupportScorer) -> Refusal:
        if not sentences:
            return Refusal(True, "no sentence answers the question")
        # a sentence that itself asks ("... and who is winning the") answers nothing
        good = [s for s in sentences if s.supported and s.citations and not asks(s.text)]
        if not good:
            return Refusal(True, "no sentence is supported by the passages")
        q = Question.parse(question)
        by_n = {p.n: p for p in passages}
        cited = list({n: by_n[n] for s in good for n in s.citations if n in by_n}.values())
        failed = self._content_checks(q, [s.text for s in good], cited, passages)
        if failed is not None:
            return failed
        return self._answering(scored_answers(question, good, passages, scorer))

    def decide_candidates(self, q: Question, chosen: list[Candidate], passages: list[Passage]) -> Refusal:
        """The same checks on candidates the rules have already scored and chosen (stack.py), without
        the support check: nothing is scored twice."""
        good = [c for c in chosen if not asks(c.text)]
        if not good:
            return Refusal(True, "no sentence answers the question")
        by_n = {p.n: p for p in passages}
        cited = list({n: by_n[n] for c in good for n in (c.citations or [c.n]) if n in by_n}.values())
        texts = [c.text for c in good]
        parts = [Question.parse(part) for part in q.parts] or [q]
        decisions = [self._content_checks(part, texts, cited, passages) for part in parts]
        if all(d is not None for d in decisions):
            return decisions[0]  # type: ignore[return-value]
        return self._answering(good)

    def _content_checks(self, q: Question, texts: list[str], cited: list[Passage],
                        passages: list[Passage]) -> Refusal | None:
        """Checks 3-5 (specific, on topic, typed) on the answer's sentences and the passages they
        cite; the first that fails, or None."""
        evidence = key_terms("\n".join(texts + [f"{p.chunk.title}\n{p.chunk.text}" for p in cited]))

        if required_factor(q, evidence) < 1.0:
            return Refusal(True, "the passages lack the question's " + ", ".join(sorted(q.terms.required)))

        if q.name_tokens:
            # snippets and later chunks often leave the subject unnamed ("the company said"): then
            # the other retrieved passages may vouch for the topic the cited ones imply. Without such
            # a reference only the cited articles count: a list of animated-film nominees does not
            # answer who directed Avatar because another retrieved article names Avatar.
            articles = {p.chunk.article_id for p in cited}
            anaphoric = any(_UNNAMED_SUBJECT.search(t) for t in texts + [p.chunk.text for p in cited])
            topic = key_terms("\n".join(f"{p.chunk.title}\n{p.chunk.text}" for p in passages
                                        if anaphoric or p.chunk.article_id in articles))
            share = sum(has_word(t, evidence.words) or has_word(t, topic.words)
                        for t in q.name_tokens) / len(q.name_tokens)
            if share < self.min_name_share:
                return Refusal(True, "the passages are about something else")

        if q.kind in ("date", "number", "person", "place"):
            # a year or "yesterday" does answer "when"; the other kinds need a clear instance
            need = self.min_date_type if q.kind == "date" else self.min_type
            if not any(answer_type_score(q, key_terms(t), t) >= need for t in texts):
                return Refusal(True, f"no sentence gives a {q.kind}")
        return None

    def _answering(self, cands: list[Candidate]) -> Refusal:
        """Checks 6-7 (constrained, answering) on the scored answer candidates."""
        if cands and all(c.violations for c in cands):
            # every sentence is a near miss: another competition, the former holder, another speaker
            best = max(cands, key=lambda c: c.score)
            return Refusal(True, "the passages answer a near miss (" + "; ".join(best.violations) + ")",
                           best.score)
        best_score = max((c.score for c in cands), default=0.0)
        if best_score < self.min_answer_score:
            return Refusal.below(best_score, self.min_answer_score)
        return Refusal(False, "", best_score)


def answer_score(question: str, sentences: list[Sentence], passages: list[Passage],
                 scorer: SupportScorer) -> float:
    """The best answer score among `sentences`, each scored in the context of its first cited
    passage, with word rarity measured over all the passages' sentences."""
    return max((c.score for c in scored_answers(question, sentences, passages, scorer)), default=0.0)


def scored_answers(question: str, sentences: list[Sentence], passages: list[Passage],
                   scorer: SupportScorer) -> list[Candidate]:
    """The sentences as scored answer candidates (score, factors, broken constraints)."""
    pool = [c.text for c in rule_candidates(passage_candidates(passages))]
    rank = {p.n: i for i, p in enumerate(passages)}
    by_n = {p.n: p for p in passages}
    cands: list[Candidate] = []
    for s in sentences:
        n = next((m for m in s.citations if m in by_n), None)
        if n is None:
            continue
        index = _index_in_passage(s, by_n[n])
        cands.append(Candidate(n=n, rank=rank[n], span=s.spans.get(n, (0, 0)), text=s.text, index=index))
    if cands:
        score_candidates(question, passages, cands, scorer, pool=pool or None)
    return cands


def _index_in_passage(s: Sentence, p: Passage) -> int:
    """Which evidence sentence of the passage this is (quoted answers), else -1 (generated ones)."""
    span = s.spans.get(p.n)
    for i, (a, b) in enumerate(evidence_spans(p.chunk.text)):
        if span == (a, b) or p.chunk.text[a:b] == s.text:
            return i
    return -1


def should_refuse(question: str, sentences: list[Sentence], passages: list[Passage],
                  scorer: SupportScorer, policy: RefusalPolicy | None = None) -> bool:
    """True when the passages do not answer `question` (see the module docstring for the rule)."""
    return (policy or RefusalPolicy()).decide(question, sentences, passages, scorer).refuse


def refused_parts(question: str, sentences: list[Sentence], passages: list[Passage],
                  scorer: SupportScorer, policy: RefusalPolicy | None = None) -> tuple[str, ...]:
    """The parts of a compound question that the answer's sentences leave unanswered, each judged
    by the rule alone, so that an answer to one part does not pass off the other as answered (the
    ranked backend names them the same way); () for a simple question, and when no part is answered
    (that is a refusal, not a partial answer). The parts are query.analysed_parts', as the ranked
    backend splits and writes them."""
    from newsqa.rag.query import analyse, analysed_parts

    parts = analysed_parts(analyse(question))
    if len(parts) < 2:
        return ()
    policy = policy or RefusalPolicy()
    refused = tuple(p.text for p in parts if policy.decide(p.text, sentences, passages, scorer).refuse)
    return refused if len(refused) < len(parts) else ()
