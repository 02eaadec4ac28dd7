"""The shipped evaluation data: the sample question set is grounded in the bundled demo articles,
and the support pairs cover every kind with both labels."""

from collections import Counter
from importlib.resources import files

import pytest

from newsqa.evals.metrics import contains_spelling, normalize_text
from newsqa.evals.questions import (
    SUPPORT_KINDS,
    Question,
    load_questions,
    load_support_pairs,
    sample_questions_path,
    support_pairs_path,
)

DEMO_A = "000_d17cc11a6fb020e6"
DEMO_B = "003_f412a60b1a2d2441"
TYPES = {"who", "when", "where", "number", "quote", "comparison", "multi-article", "follow-up",
         "unanswerable", "what"}


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    demo = files("newsqa").joinpath("demo")
    return {stem: demo.joinpath(f"{stem}.txt").read_text(encoding="utf-8")
            for stem in (DEMO_A, DEMO_B)}


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(sample_questions_path())


def _grounded(text: str, part: list[str]) -> bool:
    return any(contains_spelling(text, s) for s in part)


def test_sample_set_size_and_mix(questions: list[Question]) -> None:
    assert len(questions) >= 45
    assert sum(not q.answerable for q in questions) >= 12
    follow_ups = [q for q in questions if q.type == "follow-up"]
    assert len(follow_ups) >= 5 and all(q.turns for q in follow_ups)
    assert all(not q.turns for q in questions if q.type != "follow-up")
    assert sum(q.type == "multi-article" for q in questions) >= 4
    assert sum(q.type in ("number", "quote") for q in questions) >= 6
    assert {q.type for q in questions} <= TYPES
    assert "Who offered to mediate between Israel and Iran?" in {q.question for q in questions}


def test_labels_are_consistent(questions: list[Question]) -> None:
    for q in questions:
        assert set(q.evidence_ids) <= {DEMO_A, DEMO_B}, q.id
        if q.answerable:
            assert q.answers and q.evidence_ids, q.id
        else:
            assert not q.answers and not q.evidence_ids, q.id
            assert q.type in ("unanswerable", "follow-up"), q.id


def test_every_answer_part_is_grounded_in_its_evidence(
    questions: list[Question], articles: dict[str, str]
) -> None:
    for q in questions:
        if not q.answerable:
            continue
        evidence = "\n".join(articles[e] for e in q.evidence_ids)
        for part in q.answers:
            assert _grounded(evidence, part), f"{q.id}: none of {part} is in {q.evidence_ids}"


def test_multi_article_questions_need_both_articles(
    questions: list[Question], articles: dict[str, str]
) -> None:
    for q in (q for q in questions if q.type == "multi-article"):
        assert sorted(q.evidence_ids) == [DEMO_A, DEMO_B], q.id
        only_a = [p for p in q.answers
                  if _grounded(articles[DEMO_A], p) and not _grounded(articles[DEMO_B], p)]
        only_b = [p for p in q.answers
                  if _grounded(articles[DEMO_B], p) and not _grounded(articles[DEMO_A], p)]
        assert only_a and only_b, f"{q.id} can be answered from one article"


def test_support_pairs_cover_every_kind() -> None:
    pairs = load_support_pairs(support_pairs_path())
    assert len(pairs) >= 60
    assert len({p.id for p in pairs}) == len(pairs)
    labels = Counter(p.supported for p in pairs)
    assert labels[True] > 0 and labels[False] >= len(pairs) / 2
    assert {p.kind for p in pairs} == set(SUPPORT_KINDS)
    # the kind fixes the label: only verbatim and paraphrase pairs are supported
    for p in pairs:
        assert p.supported == (p.kind in ("verbatim", "paraphrase")), p.id


def test_verbatim_pairs_are_copied_from_their_passage() -> None:
    for p in load_support_pairs(support_pairs_path()):
        if p.kind == "verbatim":
            assert normalize_text(p.sentence) in normalize_text(p.passage), p.id
