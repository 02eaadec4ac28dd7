import math
from typing import Any

import pytest

from newsqa.evals.metrics import (
    METRICS,
    PROPORTIONS,
    aggregate,
    answer_correct,
    citation_recall_precision,
    citation_validity,
    contains_spelling,
    hit_at_k,
    latency_summary,
    normalize_text,
    paired_flips,
    percentile,
    reciprocal_rank,
    refusal_precision_recall,
    sign_test,
    support_scorer_accuracy,
    unsupported_share,
    wilson_interval,
)
from newsqa.evals.questions import Question, SupportPair
from newsqa.rag.types import REFUSAL_TEXT


def token_support(sentence: str, passages: list[str]) -> bool:
    """Fake scorer: supported when every word of the sentence occurs in the passages together."""
    have = {w for p in passages for w in p.lower().split()}
    return set(sentence.lower().split()) <= have


class CountingSupport:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def __call__(self, sentence: str, passages: list[str]) -> bool:
        self.calls.append((sentence, tuple(passages)))
        return token_support(sentence, passages)


def record(
    sentences: list[tuple[str, list[int]] | tuple[str, list[int], bool]],
    passages: dict[int, str],
    *,
    refused: bool = False,
    retrieved: list[str] | None = None,
    timings: dict[str, float] | None = None,
) -> dict[str, Any]:
    """A hand-made record in the Answer.to_json() shape."""
    sents = []
    for s in sentences:
        text, cites = s[0], s[1]
        supported = s[2] if len(s) == 3 else True  # type: ignore[misc]
        sents.append({"text": text, "citations": cites, "support": 1.0 if supported else 0.0,
                      "supported": supported})
    answer = REFUSAL_TEXT if refused else " ".join(
        t + (" " + "".join(f"[{n}]" for n in c) if c else "") for t, c, *_ in sentences
    )
    return {
        "question": "q", "standalone_question": "q", "answer": answer, "refused": refused,
        "backend": "fake", "sentences": [] if refused else sents,
        "citations": [{"n": n, "article_id": f"a{n}", "text": t} for n, t in passages.items()],
        "retrieved": retrieved or [], "timings_ms": timings or {},
    }


# --- answers -------------------------------------------------------------------------------------

def test_normalize_text_plain_quotes_dashes_space_case() -> None:
    assert normalize_text("  Valdoria\u2019s \u201cStable\u201d\u00a0ties \u2013 now\n") == (
        "valdoria's \"stable\" ties - now"
    )


def test_answer_correct_every_part_needs_a_spelling() -> None:
    parts = [["Brennan", "Harold Brennan"], ["Castellane"]]
    assert answer_correct("Valdoria talks to Harold Brennan and Miriam Castellane. [1]", parts)
    assert not answer_correct("Valdoria talks to Harold Brennan. [1]", parts)
    assert answer_correct("HALVORSEN offered.", [["halvorsen"]])


def test_answer_correct_normalises_typography() -> None:
    assert answer_correct("Valdoria\u2019s readiness", [["Valdoria's readiness"]])
    assert answer_correct("the Norland\u2013Estmark war", [["Norland-Estmark"]])
    assert answer_correct("a   delicate\n issue", [["delicate issue"]])
    assert answer_correct("\u201cstable, trusting ties\u201d", [['"stable, trusting']])


def test_answer_correct_matches_whole_words_only() -> None:
    assert not answer_correct("The G77 met in 2025.", [["G7"]])
    assert not answer_correct("In 2025.", [["2"]])
    assert answer_correct("Marchetti's statement", [["Marchetti"]])
    assert answer_correct("It cost $7.3 billion.", [["$7.3 billion"]])
    assert contains_spelling("the U.F. withdrew", "U.F.")


def test_accents_are_folded_on_both_sides() -> None:
    assert answer_correct("Zoe Marlowe won the Harrow Prize.", [["Zo\u00e9 Marlowe"]])
    assert answer_correct("Zo\u00e9 Marlowe won the Harrow Prize.", [["Zoe Marlowe"]])
    assert not answer_correct("Zoe Marlow won.", [["Zo\u00e9 Marlowe"]])


@pytest.mark.parametrize("text", [
    "released on October 17 of 2004 in Canada", "on 17th October, 2004.", "Oct. 17 2004", "2004-10-17",
])
def test_a_date_spelling_matches_the_same_day_written_another_way(text: str) -> None:
    assert answer_correct(text, [["Oct 17, 2004", "17 October 2004"]])


@pytest.mark.parametrize("text", [
    "on October 18 of 2004", "October 17 was a Sunday in 2004", "Oct 17", "in 2004",
])
def test_a_different_or_partial_date_does_not_match(text: str) -> None:
    assert not answer_correct(text, [["Oct 17, 2004", "17 October 2004"]])


def test_answer_correct_ignores_citation_markers_and_empty_parts() -> None:
    assert answer_correct("He said mediate Valdoria[1] first", [["mediate Valdoria first"]])
    assert not answer_correct("anything", [])
    assert not answer_correct("", [["x"]])


# --- retrieval -----------------------------------------------------------------------------------

def test_hit_at_k_and_reciprocal_rank() -> None:
    retrieved = ["b", "c", "a", "d"]
    assert hit_at_k(retrieved, ["a"], 3) is True
    assert hit_at_k(retrieved, ["a"], 2) is False
    assert hit_at_k(retrieved, ["x", "c"], 2) is True
    assert hit_at_k([], ["a"], 5) is False
    assert reciprocal_rank(retrieved, ["a"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(retrieved, ["d", "c"]) == 0.5
    assert reciprocal_rank(retrieved, ["x"]) == 0.0
    with pytest.raises(ValueError):
        hit_at_k(retrieved, ["a"], 0)
    with pytest.raises(ValueError):
        reciprocal_rank(retrieved, [])


# --- citations -----------------------------------------------------------------------------------

def test_citation_validity() -> None:
    assert citation_validity(record([("a", [1]), ("b", [2])], {1: "a", 2: "b"}))
    assert not citation_validity(record([("a", [1]), ("b", [3])], {1: "a", 2: "b"}))
    # a marker in the answer text that no sentence lists still has to resolve
    r = record([("a", [1])], {1: "a"})
    r["answer"] += " [4]"
    assert not citation_validity(r)
    assert citation_validity(record([], {}, refused=True))
    # bracketed words inside a quote are not citation markers
    r = record([("conduct mediation [between Norland and Estmark]", [1])], {1: "x"})
    assert citation_validity(r)


def test_alce_single_supporting_citation_is_precise() -> None:
    assert citation_recall_precision(record([("a b", [1])], {1: "a b"}), token_support) == (1.0, 1.0)


def test_alce_citations_needed_together_are_all_precise() -> None:
    # neither alone supports "a b", and dropping either breaks support: both precise
    r = record([("a b", [1, 2])], {1: "a", 2: "b"})
    assert citation_recall_precision(r, token_support) == (1.0, 1.0)


def test_alce_redundant_extra_citation_is_imprecise() -> None:
    # [2] alone doesn't support and [1] without it still does -> irrelevant
    r = record([("a", [1, 2])], {1: "a", 2: "z"})
    assert citation_recall_precision(r, token_support) == (1.0, 0.5)


def test_alce_each_alone_supporting_are_all_precise() -> None:
    r = record([("a", [1, 2])], {1: "a", 2: "a c"})
    assert citation_recall_precision(r, token_support) == (1.0, 1.0)


def test_alce_three_citations_one_irrelevant() -> None:
    r = record([("a b", [1, 2, 3])], {1: "a", 2: "b", 3: "z"})
    recall, precision = citation_recall_precision(r, token_support)
    assert recall == 1.0
    assert precision == pytest.approx(2 / 3)


def test_alce_unsupported_sentence_makes_all_its_citations_imprecise() -> None:
    # "a b c" is not supported by [1]+[2] even though each passage is on topic
    r = record([("a b c", [1, 2])], {1: "a", 2: "b"})
    assert citation_recall_precision(r, token_support) == (0.0, 0.0)


def test_alce_mixed_answer_exact_values() -> None:
    r = record(
        [
            ("a", [1]),           # supported, 1 precise
            ("a b", [1, 2, 3]),   # supported, [3] irrelevant -> 2 precise of 3
            ("q", []),            # uncited: unsupported, no citations
            ("b", [2, 9]),        # cites a missing passage: unsupported, 0 precise of 2
        ],
        {1: "a", 2: "b", 3: "z"},
    )
    recall, precision = citation_recall_precision(r, token_support)
    assert recall == 0.5                     # 2 of 4 sentences
    assert precision == pytest.approx(3 / 6)  # 1 + 2 + 0 + 0 precise of 1 + 3 + 0 + 2


def test_alce_duplicate_citations_count_once() -> None:
    r = record([("a", [1, 1])], {1: "a"})
    assert citation_recall_precision(r, token_support) == (1.0, 1.0)


def test_alce_no_citations_at_all_and_refusals() -> None:
    assert citation_recall_precision(record([("a", [])], {1: "a"}), token_support) == (0.0, 0.0)
    assert citation_recall_precision(record([], {}, refused=True), token_support) == (None, None)
    assert citation_recall_precision(record([], {}), token_support) == (None, None)


def test_alce_does_not_call_scorer_for_single_citation_beyond_joint_check() -> None:
    support = CountingSupport()
    citation_recall_precision(record([("a", [1])], {1: "a"}), support)
    assert support.calls == [("a", ("a",))]


def test_unsupported_share() -> None:
    r = record([("a", [1], True), ("b", [1], False), ("c", [1], False), ("d", [1], True)], {1: "x"})
    assert unsupported_share(r) == 0.5
    assert unsupported_share(record([], {}, refused=True)) is None


# --- refusals ------------------------------------------------------------------------------------

def _q(qid: str, answerable: bool, type_: str = "", **kw: Any) -> Question:
    return Question(qid, f"question {qid}", kw.get("answers", [["x"]] if answerable else []),
                    kw.get("evidence", ["a1"] if answerable else []), answerable,
                    type_ or ("answerable" if answerable else "unanswerable"))


def test_refusal_precision_recall() -> None:
    refused, answered = record([], {}, refused=True), record([("a", [1])], {1: "a"})
    pairs = [
        (refused, _q("1", False)),   # true positive
        (refused, _q("2", True)),    # false positive
        (refused, _q("3", False)),   # true positive
        (answered, _q("4", False)),  # false negative
        (answered, _q("5", True)),
    ]
    precision, recall = refusal_precision_recall(pairs)
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 3)
    assert refusal_precision_recall([(answered, _q("6", True))]) == (None, None)
    assert refusal_precision_recall([(refused, _q("7", True))]) == (0.0, None)


# --- latency -------------------------------------------------------------------------------------

def test_percentile_linear_interpolation() -> None:
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert percentile([1, 2, 3, 4], 0) == 1
    assert percentile([1, 2, 3, 4], 100) == 4
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_latency_summary_per_stage() -> None:
    records = [
        record([], {}, timings={"retrieve": 10.0, "generate": 100.0}),
        record([], {}, timings={"retrieve": 20.0, "generate": 300.0}),
        record([], {}, timings={"retrieve": 30.0}),
    ]
    summary = latency_summary(records)
    assert list(summary) == ["generate", "retrieve"]
    assert summary["retrieve"] == {"p50": 20.0, "p95": pytest.approx(29.0)}
    assert summary["generate"] == {"p50": 200.0, "p95": pytest.approx(290.0)}
    assert latency_summary([]) == {}


# --- aggregate -----------------------------------------------------------------------------------

def _aggregate_fixture() -> tuple[list[Question], list[dict[str, Any]]]:
    questions = [
        _q("q1", True, "who", answers=[["Halvorsen"]], evidence=["A"]),
        _q("q2", True, "who", answers=[["Tobiasz"]], evidence=["B"]),
        _q("q3", False),
        _q("q4", False),
    ]
    records = [
        record([("halvorsen offered", [1], True)], {1: "halvorsen offered to mediate"}, retrieved=["B", "A"]),
        record([], {}, refused=True, retrieved=["B"]),
        record([], {}, refused=True),
        record([("ode said peace", [2], False)], {1: "ode"}, retrieved=["A"]),
    ]
    return questions, records


def test_aggregate_exact_values() -> None:
    questions, records = _aggregate_fixture()
    result = aggregate(questions, records, token_support)
    assert result["overall"] == {
        "hit@1": 0.5, "hit@5": 1.0, "mrr": 0.75, "answer@5": 0.5,
        "answer_correctness": 0.5, "short_answer_correctness": 0.0, "answered_rate": 0.5,
        "refusal_precision": 0.5, "refusal_recall": 0.5,
        "citation_validity": 0.5, "citation_recall": 0.5, "citation_precision": 0.5,
        "unsupported_share": 0.5, "n": 4,
    }
    assert set(result["overall"]) == set(METRICS)
    assert sorted(result["by_type"]) == ["unanswerable", "who"]
    who = result["by_type"]["who"]
    assert (who["hit@1"], who["mrr"], who["answer_correctness"], who["n"]) == (0.5, 0.75, 0.5, 2)
    assert (who["refusal_precision"], who["refusal_recall"]) == (0.0, None)
    assert (who["citation_recall"], who["citation_precision"]) == (1.0, 1.0)
    unans = result["by_type"]["unanswerable"]
    assert unans["hit@1"] is None and unans["answer_correctness"] is None
    assert unans["answered_rate"] is None
    assert (unans["refusal_precision"], unans["refusal_recall"]) == (1.0, 0.5)
    assert (unans["citation_validity"], unans["citation_recall"]) == (0.0, 0.0)
    assert unans["unsupported_share"] == 1.0


def test_counts_agree_with_every_share_metric() -> None:
    """Each share metric's count k/n is the question-level verdicts the aggregate averages."""
    questions, records = _aggregate_fixture()
    result = aggregate(questions, records, token_support)
    counts = result["counts"]
    assert set(counts) == set(PROPORTIONS)
    for metric, (k, n) in counts.items():
        value = result["overall"][metric]
        assert (value is None and n == 0) or k / n == pytest.approx(value), metric
    assert counts["refusal_recall"] == [1, 2] and counts["answered_rate"] == [1, 2]


def test_wilson_interval_known_values() -> None:
    lo, hi = wilson_interval(5, 10)
    assert (round(lo, 3), round(hi, 3)) == (0.237, 0.763)
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and round(hi, 3) == 0.278
    lo, hi = wilson_interval(10, 10)
    assert round(lo, 3) == 0.722 and hi == 1.0
    assert wilson_interval(0, 0) is None
    # more questions, a narrower interval around the same share
    assert wilson_interval(50, 100)[1] - wilson_interval(50, 100)[0] < hi - lo


def test_paired_flips_and_the_exact_sign_test() -> None:
    old = {"a": {"answer_correctness": True}, "b": {"answer_correctness": False},
           "c": {"answer_correctness": False}, "d": {"answer_correctness": None}, "e": {"answer_correctness": True}}
    new = {"a": {"answer_correctness": False}, "b": {"answer_correctness": True},
           "c": {"answer_correctness": True}, "d": {"answer_correctness": True}}
    # d is not counted in the old run, e is missing from the new one
    assert paired_flips(old, new, "answer_correctness") == (2, 1, 3)
    assert sign_test(0, 0) == 1.0
    assert sign_test(2, 1) == 1.0
    assert sign_test(6, 0) == pytest.approx(2 / 64)  # six questions better, none worse
    assert sign_test(0, 6) == sign_test(6, 0)
    assert sign_test(10, 2) == pytest.approx(2 * sum(math.comb(12, i) for i in range(3)) / 2 ** 12)


def test_aggregate_wrong_answer_and_ids() -> None:
    questions, records = _aggregate_fixture()
    records[0]["answer"] = "Someone else offered. [1]"
    assert aggregate(questions, records, token_support)["overall"]["answer_correctness"] == 0.0
    with pytest.raises(ValueError, match="4 questions but 3 records"):
        aggregate(questions, records[:3], token_support)
    records[0]["id"] = "q9"
    with pytest.raises(ValueError, match="does not match"):
        aggregate(questions, records, token_support)


def test_aggregate_scores_citations_once_per_record() -> None:
    questions, records = _aggregate_fixture()
    support = CountingSupport()
    aggregate(questions, records, support)
    # q1: one joint check; q4 cites a missing passage so the scorer is never asked
    assert len(support.calls) == 1


def test_aggregate_empty() -> None:
    result = aggregate([], [], token_support)
    assert result["overall"]["n"] == 0
    assert result["overall"]["hit@1"] is None
    assert result["by_type"] == {}


# --- support scorer ------------------------------------------------------------------------------

def test_support_scorer_accuracy() -> None:
    pairs = [
        SupportPair("1", "a", "a", True, "verbatim"),
        SupportPair("2", "a b", "a", False, "partial"),
        {"id": "3", "sentence": "b", "passage": "a", "supported": False, "kind": "unrelated"},
        {"id": "4", "sentence": "c", "passage": "c d", "supported": True, "kind": "paraphrase"},
        SupportPair("5", "x", "y", True, "paraphrase"),
    ]
    result = support_scorer_accuracy(pairs, lambda s, p: token_support(s, [p]))
    assert result["accuracy"] == 0.8 and result["n"] == 5
    assert result["false_support_rate"] == 0.0
    assert result["missed_support_rate"] == pytest.approx(1 / 3)
    assert result["by_kind"] == {
        "paraphrase": {"accuracy": 0.5, "n": 2},
        "partial": {"accuracy": 1.0, "n": 1},
        "unrelated": {"accuracy": 1.0, "n": 1},
        "verbatim": {"accuracy": 1.0, "n": 1},
    }
    always = support_scorer_accuracy(pairs, lambda s, p: True)
    assert always["accuracy"] == 0.6 and always["false_support_rate"] == 1.0
    assert support_scorer_accuracy([], lambda s, p: True)["accuracy"] is None


def test_short_answer_correct() -> None:
    from newsqa.evals.metrics import short_answer_correct

    assert short_answer_correct("Tomas Reyes", [["Tomas Reyes"]])
    assert short_answer_correct("union leader Tomas Reyes", [["Tomas Reyes"]])
    assert short_answer_correct("Lindqvist", [["Anna Lindqvist"]])  # a whole-word part keeping half
    assert not short_answer_correct("Tomas", [["Tomas Reyes Garcia"]])
    assert not short_answer_correct("", [["Tomas Reyes"]])
    assert not short_answer_correct("Reyes", [["Tomas Reyes"], ["1.85"]])  # every part
    assert short_answer_correct("14 June 2025", [["June 14, 2025"]])  # the same day spelled otherwise
    # a compound question's spans, one per part: every part must be answered by one of them
    assert short_answer_correct(["Westhaven", "40 cargo ships"], [["40"], ["Westhaven"]])
    assert not short_answer_correct(["Westhaven", "12 ships"], [["Westhaven"], ["40"]])
    assert not short_answer_correct(["", " "], [["Westhaven"]])


def test_short_answer_correctness_reads_every_parts_span_of_a_record() -> None:
    from newsqa.evals.metrics import short_answer_texts

    assert short_answer_texts({"short_answer": {"text": "Westhaven"},
                               "short_answers": [{"text": "Westhaven"}, {"text": "40 cargo ships"}]}) == \
        ["Westhaven", "40 cargo ships"]
    assert short_answer_texts({"short_answer": {"text": "Westhaven"}}) == ["Westhaven"]  # an older report
    assert short_answer_texts({"short_answer": None}) == []


def test_answer_in_the_top_passages_reads_only_the_first_k() -> None:
    from newsqa.evals.metrics import answer_in_passages

    record = {"citations": [{"n": 2, "text": "The ferry carried 310 passengers."},
                            {"n": 1, "text": "A storm closed the harbour on Friday."},
                            {"n": 3, "text": "The captain was Lena Varga."}]}
    assert answer_in_passages(record, [["310"]], k=2)
    assert answer_in_passages(record, [["Friday"], ["310 passengers"]], k=2)
    assert not answer_in_passages(record, [["Lena Varga"]], k=2)
    assert answer_in_passages(record, [["Lena Varga"]], k=3)
    assert not answer_in_passages(record, [], k=3)


def test_a_duplicate_evidence_article_counts_where_its_group_ranks() -> None:
    from newsqa.evals.metrics import group_hit_at_k, group_reciprocal_rank

    record = {"retrieved": ["x", "wire"], "citations": [
        {"n": 1, "article_id": "x", "also_in": []},
        {"n": 2, "article_id": "wire", "also_in": [{"article_id": "paper"}, {"article_id": "site"}]}]}
    assert group_hit_at_k(record, ["site"], 2) and not group_hit_at_k(record, ["site"], 1)
    assert group_reciprocal_rank(record, ["paper"]) == 0.5
    assert group_reciprocal_rank(record, ["elsewhere"]) == 0.0
