import json
from pathlib import Path

import pytest

from newsqa.evals.questions import (
    SUPPORT_KINDS,
    Question,
    load_questions,
    load_support_pairs,
    sample_questions_path,
    support_pairs_path,
)

RGB_DEV = Path("/work/shared/data/rgb-dev/questions.jsonl")


def _write(tmp_path: Path, rows: list[object], name: str = "q.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def _row(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "q1", "question": "Who?", "answers": [["Verhoven", "Ilsa Verhoven"]],
        "evidence_ids": ["a1"],
    }
    row.update(over)
    return row


def test_loads_full_and_minimal_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        _row(answerable=True, type="who"),
        "",
        _row(id="q2", answers=[], evidence_ids=[], answerable=False),
        _row(id="q3", type="follow-up", turns=["Who offered to chair the talks?"]),
        _row(id="q4"),
    ])
    qs = load_questions(path)
    assert [q.id for q in qs] == ["q1", "q2", "q3", "q4"]
    assert qs[0] == Question("q1", "Who?", [["Verhoven", "Ilsa Verhoven"]], ["a1"], True, "who", [])
    assert qs[1].answerable is False and qs[1].type == "unanswerable"
    assert qs[2].turns == ["Who offered to chair the talks?"]
    assert qs[3].answerable is True and qs[3].type == "answerable"
    assert all(q.as_of is None for q in qs)


def test_as_of_is_the_day_the_question_is_asked_on(tmp_path: Path) -> None:
    from datetime import date

    qs = load_questions(_write(tmp_path, [_row(as_of="2024-06-12"), _row(id="q2", as_of="")]))
    assert qs[0].as_of == date(2024, 6, 12) and qs[1].as_of is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ({"question": "Who?", "answers": [], "evidence_ids": []}, "missing field 'id'"),
        (_row(question=""), "'question' must be a non-empty string"),
        (_row(question="?!"), "'question' has no words to look for"),
        ({"id": "q9", "question": "Who?", "evidence_ids": []}, "missing field 'answers'"),
        (_row(answers=["Verhoven"]), "'answers' must be a list of parts"),
        (_row(answers=[[]]), "'answers' must be a list of parts"),
        ({"id": "q9", "question": "Who?", "answers": []}, "missing field 'evidence_ids'"),
        (_row(evidence_ids="a1"), "'evidence_ids' must be a list"),
        (_row(answerable="yes"), "'answerable' must be true or false"),
        (_row(turns=[1]), "'turns' must be a list"),
        (_row(type=3), "'type' must be a string"),
        (_row(as_of="12 June 2024"), "'as_of' must be a date YYYY-MM-DD"),
        (_row(as_of="2024-02-30"), "'as_of' must be a date YYYY-MM-DD"),
        (_row(as_of=20240612), "'as_of' must be a date YYYY-MM-DD"),
    ],
)
def test_bad_line_names_file_and_line(tmp_path: Path, row: object, message: str) -> None:
    path = _write(tmp_path, [_row(id="ok"), row])
    with pytest.raises(ValueError) as e:
        load_questions(path)
    assert f"{path}:2:" in str(e.value)
    assert message in str(e.value)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, [_row(), _row()])
    with pytest.raises(ValueError, match=r"q\.jsonl:2: duplicate id 'q1' \(first on line 1\)"):
        load_questions(path)


def test_missing_file_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        load_questions(tmp_path / "absent.jsonl")


@pytest.mark.skipif(not RGB_DEV.exists(), reason="rgb-dev data not present")
def test_rgb_dev_loads_unchanged() -> None:
    qs = load_questions(RGB_DEV)
    assert len(qs) == 34
    assert all(q.type == ("answerable" if q.answerable else "unanswerable") for q in qs)
    first = json.loads(RGB_DEV.read_text(encoding="utf-8").splitlines()[0])
    assert qs[0].id == first["id"] == "rgb-0" and qs[0].answers == first["answers"]
    assert qs[0].answers and all(part and all(isinstance(v, str) and v for v in part) for part in qs[0].answers)


def test_bundled_paths_exist() -> None:
    assert sample_questions_path().name == "sample.jsonl"
    assert sample_questions_path().is_file()
    assert support_pairs_path().name == "support_pairs.jsonl"
    assert support_pairs_path().is_file()


def test_support_pairs_load_and_validate(tmp_path: Path) -> None:
    good = {"id": "p1", "sentence": "S.", "passage": "P.", "supported": True, "kind": "verbatim"}
    pairs = load_support_pairs(_write(tmp_path, [good], "ok.jsonl"))
    assert pairs[0].supported is True and pairs[0].kind == "verbatim"
    assert "negation" in SUPPORT_KINDS

    bad_kind = _write(tmp_path, [good, dict(good, kind="guess")], "kind.jsonl")
    with pytest.raises(ValueError, match=r"kind\.jsonl:2: unknown kind 'guess'"):
        load_support_pairs(bad_kind)
    bad_label = _write(tmp_path, [dict(good, supported="no")], "label.jsonl")
    with pytest.raises(ValueError, match=r"label\.jsonl:1: 'supported' must be true or false"):
        load_support_pairs(bad_label)


def test_questions_to_ask_need_only_their_text(tmp_path: Path) -> None:
    from newsqa.evals.questions import load_asked

    path = _write(tmp_path, [{"question": "Who opened the ferry line?"}, "",
                             {"question": "When?", "turns": ["Who opened the ferry line?"], "as_of": "2024-06-12"},
                             _row(id="q9")])  # an evaluation set's line loads too
    qs = load_asked(path)
    assert [q.id for q in qs] == ["line 1", "line 3", "q9"]
    assert qs[1].turns == ["Who opened the ferry line?"] and str(qs[1].as_of) == "2024-06-12"
    for bad, field in (({"id": "x"}, "question"), ({"question": "Who?", "as_of": "June"}, "as_of"),
                       ({"question": " "}, "question"), ({"question": "..."}, "question")):
        with pytest.raises(ValueError, match=f"q.jsonl:1: .*'{field}'"):
            load_asked(_write(tmp_path, [bad]))


def test_a_text_file_of_questions_is_one_question_a_line(tmp_path: Path) -> None:
    from newsqa.evals.questions import load_asked

    path = tmp_path / "asked.txt"
    path.write_text("Who opened the ferry line?\n\n  When did it close?  \n", encoding="utf-8")
    assert [(q.id, q.question) for q in load_asked(path)] == [
        ("line 1", "Who opened the ferry line?"), ("line 3", "When did it close?")]
    path.write_text("Who opened the ferry line?\n???\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"asked\.txt:2: 'question' has no words"):
        load_asked(path)
