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


def test_the_terminal_answer_leads_with_the_short_answer_and_its_citation():
    from newsqa.cli import format_answer
    from newsqa.index.articles import Chunk
    from newsqa.rag.types import Answer, Passage, Sentence, ShortAnswer

    text = "The Harbour Board named Tomas Reyes as its new director on Monday."
    chunk = Chunk(id="c1", article_id="a1", ordinal=0, text=text, char_start=0, char_end=len(text),
                  title="Harbour Board names director")
    sentence = Sentence(text, citations=[1], supported=True)
    ans = Answer("Who is the Harbour Board's new director?", [sentence], [Passage(1, chunk, 1.0)], "ranked",
                 short_answer=ShortAnswer("Tomas Reyes", 1, 24, 35))
    lines = format_answer(ans).splitlines()
    assert lines[0] == "Tomas Reyes [1]" and lines[2] == text + " [1]"
    assert "Sources:" in lines and any(line.startswith("[1] Harbour Board names director") for line in lines)
    # a compound question: each part's span in the question's order
    ans.short_answers = (ans.short_answer, ShortAnswer("Monday", 1, 59, 65))
    assert format_answer(ans).splitlines()[0] == "Tomas Reyes [1] · Monday [1]"
    ans.unanswered_parts = ("who won the regatta?",)  # a refused part is said after the sentences
    out = format_answer(ans).splitlines()
    assert out[out.index(text + " [1]") + 1] == "(Not answered from the articles: “who won the regatta?”)"
    ans.unanswered_parts = ()
    ans.short_answer = None  # no span (a "why" question): the sentences lead
    assert format_answer(ans).splitlines()[0] == text + " [1]"
    ans.refused = True  # a refusal shows no short answer, whatever a backend left in it
    ans.short_answer = ShortAnswer("Tomas Reyes", 1, 24, 35)
    assert "Tomas Reyes [1]" not in format_answer(ans)
    ans.notice = "No article in the store is dated in this week."  # said under the refusal
    ans.refusal_reason = "no article is dated in the question's time"
    out = format_answer(ans).splitlines()
    assert out[out.index(ans.notice) - 1] == ans.text and "Related reading:" in out
    assert not any("refused because" in line for line in out)  # the notice has said why
    # a refusal by the answer's score says why, and quotes the sentence that came closest
    ans.notice = ""
    ans.refusal_reason = "no sentence answers the question (score 0.35, below 0.41)"
    ans.closest = Sentence(text, citations=[1], supported=True)
    out = format_answer(ans).splitlines()
    assert "The closest the articles come (not taken as an answer):" in out
    assert f"  {text} [1]" in out and f"(refused because {ans.refusal_reason})" in out
