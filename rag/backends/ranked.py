"""The ranked backend (`ranked`): answers by quoting the passages' own sentences, no language model,
with the learned ranker in place of the hand-set rules of backends/extractive.py.

The rule path reads the passages first (stack.py: its scores, choice and refusal verdict, once per
question or part), and its reading is evidence for every later stage. The candidates are ranked by
the learned ranker (rag/ranker.py) and chosen by rag/select.py; when the rules would answer and the
ranker chose another fact, the rules' first sentence follows. This module turns the chosen ones
into cited, checked sentences. A chosen sentence that opens with a
pronoun or is very short is preceded by the sentence before it in its article ("She said: ..."
needs the sentence that names her). The answer leads with the short answer span for
who/what/which/when/where/how-many questions: the quoted sentences' span the learned span model
scores highest (span.py), or with weights that lack one, select.py's rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from newsqa.rag.pronouns import PERSONAL, opening
from newsqa.rag.sentences import Candidate, quotable_candidates
from newsqa.rag.backends.quote import quote_sentences
from newsqa.rag.answer_type import another_edition, qualified_years
from newsqa.rag.cite import answer_text
from newsqa.index.lexical import tokenize
from newsqa.rag.features import words_of
from newsqa.rag.query import (NUMERIC_KINDS, AnalysedQuestion, AnswerKind, analyse, analysed_parts, asks_overview,
                               topic_nouns, topic_words)
from newsqa.rag.reported import SpeakerReading, speaker_continued, speaker_first
from newsqa.rag.roles import RoleAnswer, holder_named, role_answer
from newsqa.rag.ranker import RankerModel, load_model, rank
from newsqa.rag.select import select
from newsqa.rag.identity import asks_identity
from newsqa.rag.short import part_short_answer
from newsqa.rag.span import amount_sentence, distinct_answers
from newsqa.rag.stack import RuleView, rules_first_choice
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import REFUSAL_TEXT, Passage, Refusal, Sentence, ShortAnswer


# a sentence the ranker did not analyse (no `pronoun_start` feature) that opens with a personal
# pronoun refers back
_PRONOUN = opening(sorted(PERSONAL))


def _holds(sentence: Sentence, short: ShortAnswer) -> bool:
    """The quoted sentence is where the short answer's span lies (not merely in the same passage:
    a filter such as the newest report's may have dropped the sentence it came from)."""
    span = sentence.spans.get(short.n)
    if span is None:
        return short.n in sentence.citations
    return span[0] <= short.start and short.end <= span[1]


@dataclass
class RankedReply:
    """The ranked path's whole reply: the cited sentences (or none), the short answer, and whether
    and why it refuses."""

    sentences: list[Sentence]
    refused: bool
    reason: str = ""
    # every answered part's short answer in the question's order
    shorts: tuple[ShortAnswer, ...] = ()
    unanswered: tuple[str, ...] = ()  # the parts refused while others are answered, as asked
    # on a refusal, the supported sentence that would have led the answer (QA shows it as what the
    # articles come closest to saying, not as an answer)
    closest: Sentence | None = None

    @property
    def short(self) -> ShortAnswer | None:
        """The short answer that leads: the first part's."""
        return self.shorts[0] if self.shorts else None


def _another_edition(q: AnalysedQuestion, c: Candidate, passages: list[Passage]) -> bool:
    """The sentence is about another year's edition of a thing the question dates
    (answer_type.another_edition), its relative years read against its article's date."""
    p = next((x for x in passages if x.n == c.n), None)
    day = p.published_day() if p is not None else None
    return another_edition(q.text, c.text, day.year if day is not None else None)


def _with_antecedent(part: AnalysedQuestion, first: AnalysedQuestion, told: str) -> AnalysedQuestion:
    """A later part of a compound question whose subject is "he"/"she" ("Who runs the mill, and
    what did she tell the council?") asked as a follow-up to the first part: the names of the
    first part's answer (`told`) and question carried after it (chat.standalone_question), so
    that the part is about that person; other parts as they are."""
    from newsqa.rag.chat import Turn, standalone_question

    subject = next((t for t in part.doc if t.dep_ in ("nsubj", "nsubjpass")), None)
    if not told or subject is None or subject.lower_ not in ("he", "she"):
        return part
    text = standalone_question(part.text, [Turn(first.text, told)])
    return analyse(text) if text != part.text else part


class RankedBackend:
    """Quotes the one to `max_sentences` passage sentences that best answer the question."""

    name = "ranked"

    def __init__(self, scorer: SupportScorer, max_sentences: int = 3, model: RankerModel | None = None) -> None:
        self.scorer = scorer
        self.max_sentences = max(1, max_sentences)
        self.model = model

    # -- AnswerBackend -------------------------------------------------------------------------
    def answer(self, question: str, passages: list[Passage]) -> list[Sentence]:
        """The cited sentences, before any refusal decision (QA.stream decides through `respond`)."""
        if not question.strip() or not passages:
            return []
        return self.respond(question, passages, refusals=False).sentences

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | list[Sentence]]:
        """The whole answer text at once, then its sentences."""
        sentences = self.answer(question, passages)
        yield answer_text(sentences) if sentences else REFUSAL_TEXT
        yield sentences

    def compose(self, q: AnalysedQuestion, ranked: list[Candidate], passages: list[Passage],
                max_sentences: int | None = None, rules: RuleView | None = None,
                reading: SpeakerReading | None = None,
                role: RoleAnswer | None = None) -> tuple[list[Sentence], ShortAnswer | None]:
        """The cited sentences for already ranked candidates (ranked once for answer and refusal),
        and the short answer taken from the best of them that holds a span of the asked kind (for a
        statement question, what the best reporting sentence reports: reported.py). With
        the rules' reading (`rules`), their first sentence follows when the ranker chose another
        fact (stack.rules_first_choice). `reading`: a statement question's reading of who says what
        in `passages` (reported.SpeakerReading), made here when not given. `role`: for a role
        question, the sentence that names the role's holder (roles.py), which leads, with the
        holder's name as the short answer. For "how many X" (and an age, an untyped "what X", "by
        how much") a ranked sentence stating the asked amount leads where no chosen one does
        (span.amount_sentence)."""
        most = max_sentences or self.max_sentences
        chosen = select(ranked, most)
        if not chosen:
            return [], None
        if q.kind is AnswerKind.STATEMENT:
            reading = reading or SpeakerReading(q, passages)
            chosen = speaker_continued(reading, speaker_first(reading, chosen, ranked, most), most)
        if role is not None:
            lead = role.cand
            lead.citations = lead.citations or [lead.n]
            chosen = [lead, *(c for c in chosen if (c.n, c.index) != (lead.n, lead.index))][:most]
            short = role.short
        else:
            # "how many X", "what was the turnout": a sentence stating the amount leads where none
            # chosen does (span.py)
            lead = amount_sentence(q, chosen, ranked)
            if lead is not None:
                lead.citations = lead.citations or [lead.n]
                chosen = [lead, *chosen][:most]
            short = part_short_answer(q, chosen, ranked, self.model or load_model(), self.scorer.embed,
                                      passages=passages, reading=reading)
        extra = rules_first_choice(chosen, ranked, rules, passages)
        if extra is not None and _another_edition(q, extra, passages):
            extra = None
        quoted = chosen + [extra] if extra is not None else chosen
        return quote_sentences(quoted, passages, self.scorer, most + (extra is not None),
                               lambda c: (c.features.pronoun_start > 0 if c.features is not None
                                          else _PRONOUN.match(c.text) is not None)), short

    def _overview(self, passages: list[Passage]) -> RankedReply:
        """A request for an overview ("What happened?", "Summarise the articles"): the lead of each
        retrieved article, the first sentence of its earliest retrieved passage (news puts what
        happened first), in the order the articles were retrieved, at most `max_sentences`."""
        cands = quotable_candidates(passages)
        articles = list(dict.fromkeys(p.chunk.article_id for p in passages))[:self.max_sentences]
        leads = []
        for article in articles:
            first = min((p for p in passages if p.chunk.article_id == article), key=lambda p: p.chunk.ordinal)
            title = (first.chunk.title or "").strip()
            lead = next((c for c in cands if c.n == first.n and c.text.strip() != title), None)
            if lead is not None:
                lead.citations = [lead.n]
                leads.append(lead)
        sentences = quote_sentences(leads, passages, self.scorer, len(leads), lambda c: False)
        if not sentences:
            return RankedReply([], True, "no article to sum up")
        return RankedReply(sentences, False)

    def _short_from(self, q: AnalysedQuestion, sentences: list[Sentence], ranked: list[Candidate],
                    passages: list[Passage], reading: SpeakerReading | None) -> ShortAnswer | None:
        """The short answer read from quoted `sentences` alone (their ranked candidates)."""
        by_key = {(c.n, tuple(c.span)): c for c in ranked}
        keys = dict.fromkeys((n, tuple(span)) for x in sentences for n, span in x.spans.items())
        kept = [by_key[k] for k in keys if k in by_key]
        if not kept:
            return None
        return part_short_answer(q, kept, ranked, self.model or load_model(), self.scorer.embed,
                                 passages=passages, reading=reading)

    def respond(self, question: str, passages: list[Passage],
                keep: Callable[[list[Sentence]], list[Sentence]] = lambda s: s,
                refusals: bool = True) -> RankedReply:
        """Analyse, rank, compose and decide, once per part of a compound question ("Which firm
        bought the mill, and when did it close?"): each part gets its own sentences and its own
        refusal decision; the reply quotes the parts that are answered, each with its own short
        answer (the first one leads), names the parts it refuses, and refuses only when every part
        is refused. `keep` filters a part's sentences before its decision (the newest report for a
        recency question, recency.py); `refusals=False` skips the decisions."""
        from newsqa.rag.refusal import closest_sentence, decide
        from newsqa.rag.stack import read_rules

        model = self.model or load_model()
        q = analyse(question)
        if asks_overview(q):
            return self._overview(passages)
        parts = analysed_parts(q)
        per_part = self.max_sentences if len(parts) == 1 else max(1, self.max_sentences - 1)
        sentences: list[Sentence] = []
        shorts: list[ShortAnswer] = []
        reasons: list[str] = []
        unanswered: list[str] = []
        cut = quotable_candidates(passages)  # the sentences every part and both paths read
        told = ""  # the first answered part's short answer (or sentence), for a later part's "she"
        closest: Sentence | None = None
        for asked in parts:
            part = _with_antecedent(asked, parts[0], told) if asked is not parts[0] else asked
            # the rules' reading of this part, made once for its ranking and its decision
            rules = read_rules(part.text, passages, self.scorer, cut)
            ranked = rank(part, passages, self.scorer, model, rules)
            # a sentence about another year's edition of the thing the question dates ("the 2022
            # Open" for "the 2023 Open") never answers it, however well it scores: without a
            # sentence about the year asked, the question is refused, not answered with another
            # year's winner
            if qualified_years(part.text):
                ranked = [c for c in ranked if not _another_edition(part, c, passages)]
            names = topic_words(part)
            nouns = frozenset() if names else topic_nouns(part)
            if names:  # what the passages say of a named thing: the sentences that name it
                ranked = [c for c in ranked if names <= words_of(c.text)]
            elif nouns:  # ... or of a thing named by a noun phrase, in any inflection
                ranked = [c for c in ranked if nouns <= set(tokenize(c.text))]
            about = bool(names or nouns)
            # (the rules' own first choice does not follow a topic's sentences: it need not name it)
            # who says what in the passages, read once for the answer's order, its short answer
            # and its refusal
            reading = SpeakerReading(part, passages) if part.kind is AnswerKind.STATEMENT else None
            role = None if about else role_answer(part, ranked)
            chosen, sh = self.compose(part, ranked, passages, per_part, None if about else rules, reading, role)
            composed = len(chosen)
            chosen = keep(chosen)
            if sh is not None and len(chosen) < composed and not any(_holds(x, sh) for x in chosen) \
                    and role is None:
                # the filter dropped the sentence the span came from (the newest report's
                # sentences only, for a "latest" question): the short answer is read again from
                # the sentences that stay
                sh = self._short_from(part, chosen, ranked, passages, reading)
            if about:
                # a description, not a span; but "Who is X?" leads with the role the sentences give
                # X (identity.py)
                sh = sh if asks_identity(part) else None
                d = Refusal(not any(s.supported for s in chosen), "no passage names it") if refusals else None
            elif refusals and role is None and not holder_named(part, ranked):
                d = Refusal(True, "no passage names who holds the role")
            else:
                d = decide(part, ranked, chosen, passages, rules, model, reading) if refusals else None
                if d is not None and not d.refuse and sh is None and part.kind in NUMERIC_KINDS:
                    # "How old is X?", "How many ...?", "When ...?": quoted sentences without a number
                    # or date of the kind asked do not answer it, whatever else they say of X
                    d = Refusal(True, "no quoted sentence states the number or date asked for", d.answer_score)
            if d is not None and d.refuse:
                reasons.append(d.reason)
                unanswered.append(asked.text)
                closest = closest or closest_sentence(d, model.threshold, chosen)
                continue
            if sh is not None and any(_holds(x, sh) for x in chosen):
                shorts.append(sh)
            if chosen and not told:
                told = sh.text if sh is not None else chosen[0].text
            seen = {x.text for x in sentences}
            sentences += [x for x in chosen if x.text not in seen]
        if not sentences:
            return RankedReply([], True, "; ".join(dict.fromkeys(reasons)), closest=closest)
        return RankedReply(sentences, False, shorts=distinct_answers(shorts), unanswered=tuple(unanswered))
