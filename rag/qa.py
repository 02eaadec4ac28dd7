"""Question in, answer with verified citations out: the one entry point `ui`, `evals` and the CLI use.

The stages are explicit and timed: standalone question -> hybrid retrieval -> backend answer ->
citation check (inside generated backends) -> refusal decision. Collaborators are passed in; the
`build_qa` factory wires the defaults from Settings.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Iterator, Mapping, Sequence

from newsqa.index.embed import Embedder, make_embedder
from newsqa.index.store import SearchFilter, Store
from newsqa.rag.backends.base import AnswerBackend
from newsqa.rag.chat import Turn, needs_context, standalone_question
from newsqa.rag.recency import (RECENT_DAYS, answer_date, end_of_day_ts, newest_only, no_article_in,
                                retrieve_in_time, stale_for_recent)
from newsqa.rag.retrieve import Retriever
from newsqa.rag.short import short_answers_for
from newsqa.rag.calendar_day import with_day
from newsqa.rag.support import SupportScorer
from newsqa.rag.recase import recase
from newsqa.rag.timeframe import read_time
from newsqa.rag.types import REFUSAL_TEXT, Answer, Sentence, ShortAnswer, has_words
from newsqa.settings import Settings


class QA:
    def __init__(self, settings: Settings, store: Store, embedder: Embedder,
                 backends: Mapping[str, AnswerBackend], scorer: SupportScorer) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.backends = dict(backends)
        self.scorer = scorer
        self.retriever = Retriever(store, embedder)

    def available_backends(self) -> list[str]:
        return list(self.backends)

    def _backend(self, name: str | None) -> AnswerBackend:
        name = name or self.settings.backend
        if name not in self.backends:
            how = {"openai": " (set NEWSQA_LLM_URL or --llm-url to an OpenAI-compatible endpoint)",
                   "llamacpp": " (install it with `make llm`, or set NEWSQA_LLM_PATH to a GGUF file)"}
            raise ValueError(f"answer backend {name!r} is not available here{how.get(name, '')}; "
                             f"available: {', '.join(self.backends)}")
        return self.backends[name]

    def ask(self, question: str, history: Sequence[Turn] = (), backend: str | None = None,
            k: int | None = None, flt: SearchFilter | None = None, as_of: date | None = None) -> Answer:
        events = list(self.stream(question, history, backend, k, flt, as_of))
        return events[-1]  # type: ignore[return-value]

    def stream(self, question: str, history: Sequence[Turn] = (), backend: str | None = None,
               k: int | None = None, flt: SearchFilter | None = None,
               as_of: date | None = None) -> Iterator[str | Answer]:
        """Text deltas while a generated backend writes, then the checked Answer as the last item.

        `as_of` is the day the question is asked on (default today): relative time in the question
        ("this week", "latest") is read against it."""
        from newsqa.rag.cite import answer_text
        from newsqa.rag.query import analyse, asks_overview, without_parts
        from newsqa.rag.retrieve import with_leads
        from newsqa.rag.refusal import closest_sentence
        from newsqa.rag.refuse import RefusalPolicy, refused_parts

        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        if not has_words(question):
            raise ValueError("the question has no words to look for")
        be = self._backend(backend)
        as_of = as_of or date.today()
        t_all = time.perf_counter()
        timings: dict[str, float] = {}
        t = time.perf_counter()
        if history and not history[-1].answer and needs_context(question):
            history = self._answered(history, flt, as_of)
        rewrite = getattr(be, "rewrite", None)  # generated backends let the LLM rewrite follow-ups
        standalone = rewrite(question, list(history)) if (history and rewrite) else question
        if standalone == question and history:
            standalone = standalone_question(question, list(history))
        timings["rewrite"] = (time.perf_counter() - t) * 1000

        # the question's time ("this week", "latest") read once, against the day it is asked on
        reading = read_time(standalone, as_of)
        window = reading.window if reading and reading.relative else None  # the window applied
        asked = reading.rest if reading else standalone  # its time words are in the window now
        ret = retrieve_in_time(self.retriever, asked, k or self.settings.top_k, flt, reading, as_of,
                               self.settings.max_chunks_per_article)
        timings.update(ret.timings_ms)
        passages = ret.passages
        if not passages:
            empty_window = ret.mode == "empty" and window is not None
            ans = Answer(question, [Sentence(REFUSAL_TEXT)], ret.related, be.name, refused=True,
                         standalone_question=standalone, timings_ms=timings, as_of=as_of,
                         time_window=window,
                         error="" if self.store.count_chunks() else "the store is empty: add articles first",
                         notice=no_article_in(window, bool(ret.related)) if empty_window else "",
                         refusal_reason="no article is dated in the question's time" if empty_window
                         else "no passage was found")
            timings["total"] = (time.perf_counter() - t_all) * 1000
            yield ans
            return

        t = time.perf_counter()
        # "who is ada quist": the analysis finds names by their case; retrieval needed none
        asked = recase(asked, [p.chunk.text for p in passages])
        sentences = None
        short = None
        shorts: tuple[ShortAnswer, ...] = ()
        unanswered: tuple[str, ...] = ()  # the refused parts of a compound question
        reason = ""
        closest: Sentence | None = None  # on a refusal, the quoted sentence that came closest
        short_question = asked  # what the quoted sentences answer
        respond = getattr(be, "respond", None)
        if respond is not None and asks_overview(analyse(asked)):
            passages = with_leads(self.store, passages)  # what each article leads with
        if respond is not None:
            # the ranked backend: each part of the question is analysed and its candidate sentences
            # ranked once, for the answer and the refusal decision
            reply = respond(asked, passages, lambda s: newest_only(s, passages, reading))
            timings["answer"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            refused, sentences, short, shorts = reply.refused, reply.sentences, reply.short, reply.shorts
            unanswered, reason, closest = reply.unanswered, reply.reason, reply.closest
            yield answer_text(sentences) if not refused else REFUSAL_TEXT
        else:
            # A backend's stream yields text deltas and ends with its checked sentences.
            for item in be.stream(asked, passages):
                if isinstance(item, str):
                    yield item
                else:
                    sentences = item
            timings["answer"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            sentences = newest_only(sentences or [], passages, reading)
            policy = RefusalPolicy()
            decision = policy.decide(asked, sentences, passages, self.scorer)
            refused, reason = decision.refuse, decision.reason
            if getattr(be, "quotes_only", False):
                # a quoted sentence is the articles' own words; a generated one is not shown as them
                closest = closest_sentence(decision, policy.min_answer_score, sentences)
            if not refused:
                unanswered = refused_parts(asked, sentences, passages, self.scorer)
            if unanswered and getattr(be, "quotes_only", False):
                # quote what answers the parts that stand, not the best sentence for a part that
                # does not (the ranked backend drops a refused part's sentences the same way)
                standing = without_parts(asked, unanswered)
                again = newest_only(be.answer(standing, passages), passages, reading)
                if again:
                    sentences, short_question = again, standing
        if not refused and reading is not None and reading.window.recency:
            stale = stale_for_recent(reading, sentences or [], passages,
                                     self.store.newest_published(end_of_day_ts(as_of)))
            if stale is not None:
                refused = True
                reason = (f"the articles that answer are from {stale.isoformat()}, more than {RECENT_DAYS} days "
                          "before the newest news in the store, and the question asks what happened recently")
                closest = next((s for s in sentences or [] if s.supported and s.citations), None)
        timings["refusal"] = (time.perf_counter() - t) * 1000
        if refused:
            sentences = [Sentence(REFUSAL_TEXT)]
            short, shorts = None, ()
        elif respond is None:
            t = time.perf_counter()
            # the span model of the weights in use (NEWSQA_RANKER), as the ranked backend's
            ranked = self.backends.get("ranked")
            shorts = short_answers_for(short_question, sentences, passages, getattr(ranked, "model", None),
                                       self.scorer.embed, skip=unanswered)
            short = shorts[0] if shorts else None
            timings["short_answer"] = (time.perf_counter() - t) * 1000
        # a date answer carries the day it names ("Thursday" in a report of 21 June is 19 June);
        # the lead short answer is usually the first of the list, read once
        dated = tuple(with_day(sa, passages) for sa in shorts)
        if short is not None:
            short = dated[0] if dated and short == shorts[0] else with_day(short, passages)
        shorts = dated
        timings["total"] = (time.perf_counter() - t_all) * 1000
        yield Answer(question, sentences, passages, be.name, refused=refused,
                     standalone_question=standalone, timings_ms=timings, as_of=as_of, time_window=window,
                     answer_date=answer_date(sentences, passages, reading), short_answer=short,
                     short_answers=shorts, unanswered_parts=() if refused else unanswered,
                     refusal_reason=reason if refused else "", closest=closest if refused else None)


    def _answered(self, history: Sequence[Turn], flt: SearchFilter | None, as_of: date) -> list[Turn]:
        """The history with its last answer filled in, for clients that send the earlier questions
        only: a follow-up's "he" or "there" usually means what that answer named. The extractive
        backend answers it (fast, no model), under the same filter."""
        last = history[-1]
        name = "extractive" if "extractive" in self.backends else None
        prev = self.ask(last.question, history[:-1], backend=name, flt=flt, as_of=as_of)
        answer = "" if prev.refused else " ".join(s.text for s in prev.sentences)
        return [*history[:-1], Turn(last.question, answer)]


def build_backends(settings: Settings, scorer: SupportScorer) -> dict[str, AnswerBackend]:
    """The extractive backends (rules, and the learned ranker's) always; generated ones when
    installed and configured."""
    from newsqa.rag.backends.extractive import ExtractiveBackend
    from newsqa.rag.backends.ranked import RankedBackend
    from newsqa.rag.ranker import load_model

    out: dict[str, AnswerBackend] = {"extractive": ExtractiveBackend(scorer),
                                     "ranked": RankedBackend(scorer, model=load_model(settings.ranker or None))}
    try:
        from newsqa.rag.backends.llamacpp import LlamaCppBackend, llamacpp_available

        if llamacpp_available(settings):
            out["llamacpp"] = LlamaCppBackend(settings, scorer)
    except ImportError:
        pass
    if settings.llm_url:
        from newsqa.rag.backends.openai import OpenAIBackend

        out["openai"] = OpenAIBackend(settings, scorer)
    return out


def build_qa(settings: Settings, store: Store | None = None, embedder: Embedder | None = None) -> QA:
    embedder = embedder or make_embedder(settings)
    store = store or Store(settings, embedder.fingerprint)
    scorer = SupportScorer(embedder)
    return QA(settings, store, embedder, build_backends(settings, scorer), scorer)
