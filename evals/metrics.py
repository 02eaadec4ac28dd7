"""Evaluation metrics over `Answer.to_json()` records: pure functions, no models.

The support scorer is passed in as a callable so the same metrics run with the real scorer, a fake
in tests, or a stricter judge later. Every metric over an empty population is None, not 0, so a
report can tell "nothing to measure" from "always wrong".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from newsqa.evals.questions import Question, SupportPair

SupportFn = Callable[[str, list[str]], bool]
PairPredictFn = Callable[[str, str], bool]

_CITE_MARK = re.compile(r"\[(\d+)\]")
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
})
_SPACES = re.compile(r"\s+")


# --- answers -------------------------------------------------------------------------------------

def normalize_text(text: str) -> str:
    """Casefolded text with typographic quotes, dashes, accents and whitespace made plain.

    Articles use curly apostrophes and en dashes while hand-written spellings use ASCII, and news
    copy drops accents that answer lists keep ("Renee Fleming" / "Renée Fleming"), so both sides go
    through this before matching.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip().casefold()


# The metric parses dates itself rather than through rag/terms.py: the answer checker must not share
# a parser (and its blind spots) with the system it judges.
_MONTHS = {m: i for i, names in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
    "august aug", "september sep sept", "october oct", "november nov", "december dec"), start=1)
    for m in names.split()}
_MONTH = r"(?P<{}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_DATE_FORMS = re.compile(
    r"\b(?:" + _MONTH.format("m1") + r"\s+" + _DAY.format("d1") + r",?\s+(?:of\s+)?(?P<y1>\d{4})"
    + r"|" + _DAY.format("d2") + r"\s+(?:of\s+)?" + _MONTH.format("m2") + r",?\s+(?:of\s+)?(?P<y2>\d{4})"
    + r"|(?P<y3>\d{4})-(?P<m3>\d\d)-(?P<d3>\d\d))\b")


def _dates(normalized: str) -> set[tuple[int, int, int]]:
    """The full dates (year, month, day) written in a normalised text, in the usual news spellings."""
    out: set[tuple[int, int, int]] = set()
    for m in _DATE_FORMS.finditer(normalized):
        g = m.groupdict()
        if g["y3"]:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        else:
            k = "1" if g["y1"] else "2"
            y, mo, d = int(g["y" + k]), _MONTHS[g["m" + k]], int(g["d" + k])
        if 1 <= mo <= 12 and 1 <= d <= 31:
            out.add((y, mo, d))
    return out


def contains_spelling(text: str, spelling: str) -> bool:
    """Whether `spelling` occurs in `text` (both normalised) as whole words.

    Word edges matter for short answers: "G7" must not match "G77", nor "2" match "2025". A
    spelling that is a full date also matches the same day written another way ("March 3 of
    2004" for "Mar. 3, 2004"): answer lists enumerate a few spellings, news copy has more.
    """
    needle = normalize_text(spelling)
    if not needle:
        return False
    haystack = normalize_text(text)
    left = r"(?<![\w])" if needle[0].isalnum() else ""
    right = r"(?![\w])" if needle[-1].isalnum() else ""
    if re.search(left + re.escape(needle) + right, haystack) is not None:
        return True
    wanted = _dates(needle)
    return bool(wanted) and _DATE_FORMS.fullmatch(needle) is not None and bool(wanted & _dates(haystack))


def answer_correct(answer_text: str, parts: list[list[str]]) -> bool:
    """True when every part has at least one accepted spelling in the answer.

    `[n]` citation markers are dropped first so they never split or pad a phrase. No parts means
    there is nothing to check, which is not a right answer.
    """
    if not parts:
        return False
    text = _CITE_MARK.sub(" ", answer_text)
    return all(any(contains_spelling(text, s) for s in part) for part in parts)


def short_answer_correct(short: str | Sequence[str], parts: list[list[str]]) -> bool:
    """True when every part is answered by the short answer span (or by one of the spans, one per
    part of a compound question): a span answers a part when it contains an accepted spelling, or
    it is a whole-word piece of one that keeps at least half of it ("the Harbour Lions" for
    "Harbour Lions", "Lindqvist" for "Anna Lindqvist" counts; "Tomas" for "Tomas Reyes Garcia" does
    not). A missing short answer is wrong."""
    shorts = [x for x in ([short] if isinstance(short, str) else short) if x.strip()]
    if not parts or not shorts:
        return False

    def ok(span: str, spelling: str) -> bool:
        if contains_spelling(span, spelling):
            return True
        return (contains_spelling(spelling, span)
                and len(normalize_text(span)) * 2 >= len(normalize_text(spelling)))

    return all(any(ok(x, s) for x in shorts for s in part) for part in parts)


def short_answer_texts(record: dict[str, Any]) -> list[str]:
    """The short answers of an answer record (`Answer.to_json`): every part's, or the one of a
    record written before compound questions had one per part."""
    many = [str(sa.get("text") or "") for sa in record.get("short_answers") or () if isinstance(sa, dict)]
    if many:
        return many
    one = record.get("short_answer")
    return [str(one.get("text") or "")] if isinstance(one, dict) and one.get("text") else []


# --- retrieval -----------------------------------------------------------------------------------

def hit_at_k(retrieved: list[str], evidence: list[str], k: int) -> bool:
    """Whether any of the first k retrieved article ids is an evidence article."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not evidence:
        raise ValueError("hit@k needs at least one evidence id")
    wanted = set(evidence)
    return any(r in wanted for r in retrieved[:k])


def reciprocal_rank(retrieved: list[str], evidence: list[str]) -> float:
    """1/rank of the first evidence article among the retrieved ids, 0.0 when none is retrieved."""
    if not evidence:
        raise ValueError("reciprocal rank needs at least one evidence id")
    wanted = set(evidence)
    for rank, r in enumerate(retrieved, start=1):
        if r in wanted:
            return 1.0 / rank
    return 0.0


def retrieved_groups(record: Mapping[str, Any]) -> tuple[list[str], dict[str, list[str]]]:
    """The record's retrieved article ids, and the near-duplicates its passages list
    (`also_in`), by indexed article: a store indexes one article of a group and finds the others
    through it, so an evidence article that is a duplicate counts where its group's article ranks."""
    members: dict[str, list[str]] = {}
    for c in record.get("citations", []):
        for m in c.get("also_in") or []:
            members.setdefault(c.get("article_id", ""), []).append(str(m.get("article_id", "")))
    return list(record.get("retrieved", [])), members


def group_hit_at_k(record: Mapping[str, Any], evidence: list[str], k: int) -> bool:
    """hit@k where each retrieved article stands for its near-duplicate group."""
    retrieved, members = retrieved_groups(record)
    wanted = set(evidence)
    return any(({r} | set(members.get(r, ()))) & wanted for r in retrieved[:k])


def group_reciprocal_rank(record: Mapping[str, Any], evidence: list[str]) -> float:
    retrieved, members = retrieved_groups(record)
    wanted = set(evidence)
    for rank, r in enumerate(retrieved, start=1):
        if ({r} | set(members.get(r, ()))) & wanted:
            return 1.0 / rank
    return 0.0


def answer_in_passages(record: Mapping[str, Any], parts: list[list[str]], k: int = 5) -> bool:
    """Whether the first k retrieved passages, together, hold every part of the expected answer:
    what a reader (or a model) could answer from, whatever the answer step then made of it."""
    texts = [c.get("text", "") for c in sorted(record.get("citations", []), key=lambda c: c.get("n", 0))[:k]]
    return bool(parts) and answer_correct("\n".join(texts), parts)


# --- citations -----------------------------------------------------------------------------------

def citation_validity(record: Mapping[str, Any]) -> bool:
    """Every `[n]` in the answer text and in the sentences' citation lists names a passage n."""
    known = {c["n"] for c in record.get("citations", [])}
    used = {int(m) for m in _CITE_MARK.findall(record.get("answer", ""))}
    for s in record.get("sentences", []):
        used.update(s.get("citations", []))
    return used <= known


def citation_recall_precision(
    record: Mapping[str, Any], support: SupportFn
) -> tuple[float | None, float | None]:
    """ALCE-style citation recall and precision of one answer.

    Recall: share of sentences whose cited passages, taken together, support them; a sentence
    without citations, or citing a passage that isn't there, is unsupported.
    Precision: share of citations that are not irrelevant. As in ALCE, when a sentence's citations
    together don't support it, none of them counts as precise; when they do and there are several,
    a citation is irrelevant only if it alone doesn't support the sentence and the others without
    it still do. A sentence supported by a single citation makes that citation precise.

    Returns (None, None) for a refusal or an answer with no sentences. An answer with sentences but
    no citations gets precision 0.0 (ALCE's convention: nothing it says is backed by a citation).
    """
    sentences = record.get("sentences", [])
    if record.get("refused") or not sentences:
        return None, None
    texts = {c["n"]: c.get("text", "") for c in record.get("citations", [])}

    supported_sentences = 0
    precise = 0
    total_citations = 0
    for s in sentences:
        refs = list(dict.fromkeys(s.get("citations", [])))
        total_citations += len(refs)
        if not refs or any(n not in texts for n in refs):
            continue  # unsupported; its citations, if any, count as imprecise
        sentence = s["text"]
        if not support(sentence, [texts[n] for n in refs]):
            continue
        supported_sentences += 1
        if len(refs) == 1:
            precise += 1
            continue
        for n in refs:
            if support(sentence, [texts[n]]):
                precise += 1
                continue
            rest = [texts[m] for m in refs if m != n]
            if not support(sentence, rest):
                precise += 1  # needed together with the others, so not irrelevant

    recall = supported_sentences / len(sentences)
    precision = precise / total_citations if total_citations else 0.0
    return recall, precision


def unsupported_share(record: Mapping[str, Any]) -> float | None:
    """Share of answer sentences the pipeline's own support check marked unsupported."""
    sentences = record.get("sentences", [])
    if record.get("refused") or not sentences:
        return None
    return sum(1 for s in sentences if not s.get("supported", False)) / len(sentences)


# --- refusals ------------------------------------------------------------------------------------

def refusal_precision_recall(
    records_and_questions: Iterable[tuple[Mapping[str, Any], Question]],
) -> tuple[float | None, float | None]:
    """Refusal as the positive class, unanswerable questions as the relevant ones.

    Precision: of the refusals, how many were of unanswerable questions (None without refusals).
    Recall: of the unanswerable questions, how many were refused (None without any). Counted by
    the questions' verdicts, as `aggregate` counts them (`question_outcomes`).
    """
    counts = outcome_counts(question_outcomes(q.answerable, [], [], r) for r, q in records_and_questions)

    def share(metric: str) -> float | None:
        k, n = counts[metric]
        return k / n if n else None

    return share("refusal_precision"), share("refusal_recall")


# --- latency -------------------------------------------------------------------------------------

def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0..100) with linear interpolation between order statistics."""
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    lo = math.floor(pos)
    hi = math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency_summary(records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """p50 and p95 milliseconds per pipeline stage named in the records' `timings_ms`."""
    by_stage: dict[str, list[float]] = defaultdict(list)
    for record in records:
        for stage, ms in record.get("timings_ms", {}).items():
            by_stage[stage].append(float(ms))
    return {
        stage: {"p50": percentile(values, 50), "p95": percentile(values, 95)}  # type: ignore[dict-item]
        for stage, values in sorted(by_stage.items())
    }


# --- aggregate -----------------------------------------------------------------------------------

METRICS = (
    "hit@1", "hit@5", "mrr", "answer@5", "answer_correctness", "short_answer_correctness", "answered_rate",
    "refusal_precision",
    "refusal_recall", "citation_validity", "citation_recall", "citation_precision",
    "unsupported_share", "n",
)


def aggregate(
    questions: list[Question], records: list[dict[str, Any]], support: SupportFn
) -> dict[str, Any]:
    """Every metric overall and per question type.

    `records[i]` is the answer to `questions[i]` (a record carrying an "id" must match it).
    Retrieval metrics count answerable questions with evidence; correctness counts answerable
    questions with answer parts, a refusal being wrong; citation metrics are means over the answers
    that were not refusals.
    """
    if len(questions) != len(records):
        raise ValueError(f"{len(questions)} questions but {len(records)} records")
    for q, r in zip(questions, records):
        if "id" in r and r["id"] != q.id:
            raise ValueError(f"record id {r['id']!r} does not match question id {q.id!r}")

    # Citation scoring calls the support scorer, possibly a model: do it once per record; each
    # question's verdicts on the share metrics likewise, for its groups and the counts
    cite_scores = [citation_recall_precision(r, support) for r in records]
    outcomes = [question_outcomes(q.answerable, q.answers, q.evidence_ids, r) for q, r in zip(questions, records)]
    rows = list(zip(questions, records, cite_scores, outcomes))

    by_type: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_type[row[0].type].append(row)
    return {
        "overall": _group_metrics(rows),
        "by_type": {t: _group_metrics(g) for t, g in sorted(by_type.items())},
        "counts": outcome_counts(outcomes),
    }


# a question, its answer record, the record's citation recall and precision, its share verdicts
_Row = tuple[Question, dict[str, Any], tuple[float | None, float | None], dict[str, bool | None]]


# the metrics that are a share of questions (each question counts 0 or 1): they get a count and
# an interval in reports, and a paired comparison between two reports (`question_outcomes`)
PROPORTIONS = ("hit@1", "hit@5", "answer@5", "answer_correctness", "short_answer_correctness",
               "answered_rate", "refusal_precision", "refusal_recall")


def question_outcomes(answerable: bool, answers: list[list[str]], evidence_ids: list[str],
                      record: Mapping[str, Any]) -> dict[str, bool | None]:
    """Each share metric's verdict on one question (None: the metric does not count it), as
    `aggregate` counts them: retrieval for answerable questions with evidence, correctness for
    answerable ones with answer parts (a refusal is wrong), refusal precision over the refused,
    refusal recall over the unanswerable."""
    refused = bool(record.get("refused"))
    graded = answerable and bool(answers)
    retrieval = answerable and bool(evidence_ids)
    return {
        "hit@1": group_hit_at_k(record, evidence_ids, 1) if retrieval else None,
        "hit@5": group_hit_at_k(record, evidence_ids, 5) if retrieval else None,
        "answer@5": answer_in_passages(record, answers, 5) if graded else None,
        "answer_correctness": (not refused and answer_correct(record.get("answer", ""), answers))
        if graded else None,
        "short_answer_correctness": (not refused
                                     and short_answer_correct(short_answer_texts(dict(record)), answers))
        if graded else None,
        "answered_rate": not refused if answerable else None,
        "refusal_precision": (not answerable) if refused else None,
        "refusal_recall": refused if not answerable else None,
    }


def outcome_counts(outcomes: Iterable[Mapping[str, bool | None]]) -> dict[str, list[int]]:
    """[questions counted 1, questions counted] per share metric."""
    counts = {m: [0, 0] for m in PROPORTIONS}
    for o in outcomes:
        for m in PROPORTIONS:
            if o.get(m) is not None:
                counts[m][0] += bool(o[m])
                counts[m][1] += 1
    return counts


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval of a share k/n (95 % for z = 1.96); None for n = 0. It stays
    inside [0, 1] and is sound for the small sets evaluations use (70 questions: a share of 0.54
    is 0.43-0.65), where the normal approximation is not."""
    if n <= 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def paired_flips(old: Mapping[str, Mapping[str, bool | None]], new: Mapping[str, Mapping[str, bool | None]],
                 metric: str) -> tuple[int, int, int]:
    """(better, worse, paired) for one share metric over the question ids both runs counted:
    questions it holds for only in the new run, only in the old one, and how many were paired."""
    better = worse = paired = 0
    for qid, o in old.items():
        n = new.get(qid)
        if n is None or o.get(metric) is None or n.get(metric) is None:
            continue
        paired += 1
        better += bool(n[metric]) and not o[metric]
        worse += bool(o[metric]) and not n[metric]
    return better, worse, paired


def sign_test(better: int, worse: int) -> float:
    """Two-sided exact p-value of McNemar's test (a binomial sign test on the questions that
    changed): how likely a split at least this uneven is when a change helps and hurts alike."""
    n = better + worse
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(better, worse) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def _group_metrics(rows: list[_Row]) -> dict[str, float | int | None]:
    """The metrics of a group of questions: each share metric the mean of the questions' verdicts
    (`question_outcomes`: None for a question it does not count), MRR over the answerable questions
    with evidence, the citation metrics over the answers that were not refusals."""
    retrieval = [(q, r) for q, r, _, _ in rows if q.answerable and q.evidence_ids]
    answered = [(r, c) for _, r, c, _ in rows if not r.get("refused")]

    def share(metric: str) -> float | None:
        return _mean(o[metric] for _, _, _, o in rows)

    return {
        "hit@1": share("hit@1"),
        "hit@5": share("hit@5"),
        "mrr": _mean(group_reciprocal_rank(r, q.evidence_ids) for q, r in retrieval),
        # the expected answer inside the top-5 passages (answerable questions with answer parts)
        "answer@5": share("answer@5"),
        "answer_correctness": share("answer_correctness"),
        "short_answer_correctness": share("short_answer_correctness"),
        "answered_rate": share("answered_rate"),
        "refusal_precision": share("refusal_precision"),
        "refusal_recall": share("refusal_recall"),
        "citation_validity": _mean(citation_validity(r) for r, _ in answered),
        "citation_recall": _mean(c[0] for _, c in answered),
        "citation_precision": _mean(c[1] for _, c in answered),
        "unsupported_share": _mean(unsupported_share(r) for r, _ in answered),
        "n": len(rows),
    }


def _mean(values: Iterable[float | bool | None]) -> float | None:
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


# --- support scorer ------------------------------------------------------------------------------

def support_scorer_accuracy(
    pairs: Iterable[SupportPair | Mapping[str, Any]], predict: PairPredictFn
) -> dict[str, Any]:
    """How often `predict(sentence, passage)` agrees with the labels, overall and per kind.

    Also reports the false-support rate (unsupported pairs judged supported), the error that lets
    a wrong sentence through with a citation, and the missed-support rate.
    """
    total = correct = 0
    false_support = unsupported = missed = supported = 0
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair in pairs:
        p = _as_pair(pair)
        guess = bool(predict(p.sentence, p.passage))
        ok = guess == p.supported
        total += 1
        correct += ok
        kinds[p.kind][0] += ok
        kinds[p.kind][1] += 1
        if p.supported:
            supported += 1
            missed += not guess
        else:
            unsupported += 1
            false_support += guess
    return {
        "accuracy": correct / total if total else None,
        "n": total,
        "false_support_rate": false_support / unsupported if unsupported else None,
        "missed_support_rate": missed / supported if supported else None,
        "by_kind": {k: {"accuracy": c / n, "n": n} for k, (c, n) in sorted(kinds.items())},
    }


def _as_pair(pair: SupportPair | Mapping[str, Any]) -> SupportPair:
    if isinstance(pair, SupportPair):
        return pair
    return SupportPair(
        id=str(pair.get("id", "")), sentence=pair["sentence"], passage=pair["passage"],
        supported=bool(pair["supported"]), kind=str(pair.get("kind", "")),
    )
