"""The command line: its help states the defaults that actually run; a question file is answered as
`newsqa eval` answers it."""

from __future__ import annotations

import pytest

from newsqa.cli import build_parser
from newsqa.settings import Settings


@pytest.mark.parametrize("command", ["ask", "serve", "eval"])
def test_backend_help_names_the_settings_default(command, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    default = Settings.model_fields["backend"].default  # not the environment's: the help is static
    assert f"NEWSQA_BACKEND; default {default})" in text
    others = {"extractive", "ranked", "llamacpp", "openai"} - {default}
    assert not any(f"NEWSQA_BACKEND; default {o})" in text for o in others)


class _Embedder:
    def __init__(self) -> None:
        self.preloaded = 0

    def preload(self) -> None:
        self.preloaded += 1


class _QA:
    """Records what the CLI asks; answers nothing (the answer's shape is not what is tested)."""

    def __init__(self) -> None:
        self.embedder = _Embedder()
        self.asked: list[tuple[str, int]] = []

    def ask(self, question, history=(), flt=None, as_of=None):
        self.asked.append((question, self.embedder.preloaded))

        class _Answer:
            def to_json(self) -> dict:
                return {"answer": ""}

        return _Answer()


def test_a_question_file_is_answered_with_the_model_eval_uses(tmp_path, capsys):
    """`ask --questions` loads torch's model before the first question, as `newsqa eval` does, so
    that the file gets eval's answers; a single question keeps the cold start."""
    import json

    from newsqa.cli import _ask_all

    questions = tmp_path / "q.jsonl"
    questions.write_text("".join(json.dumps({"id": f"q{i}", "question": f"Question {i}?", "answers": [],
                                             "evidence_ids": [], "answerable": False}) + "\n"
                                 for i in range(2)), encoding="utf-8")
    parser = build_parser()
    qa = _QA()
    assert _ask_all(parser.parse_args(["ask", "--json", "--questions", str(questions)]), qa) == 0
    assert qa.asked == [("Question 0?", 1), ("Question 1?", 1)]
    one = _QA()
    assert _ask_all(parser.parse_args(["ask", "--json", "Who?"]), one) == 0
    assert one.asked == [("Who?", 0)]
