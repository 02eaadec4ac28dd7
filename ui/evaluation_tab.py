"""The "Evaluation" tab: run `newsqa eval` on a question set and show its report inline."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import gradio as gr

from newsqa.index.store import StoreError
from newsqa.rag.qa import QA
from newsqa.settings import Settings
from newsqa.ui import render as R

DEMO_SET = "Bundled demo set (on the sample articles)"
FEEDBACK_SET = "Readers' approved answers (feedback)"


def evaluation_tab(qa: QA, settings: Settings) -> None:
    """The "Evaluation" tab: run `newsqa eval` on a question set and show its report inline.

    The bundled set is about the sample articles, so it runs on a temporary store built from them
    (whatever the library holds); an uploaded question file runs against the current library.
    """
    with gr.Tab("Evaluation", id="evaluation"):
        gr.Markdown("Run a question set and read its grounding report: retrieval hits, answer "
                    "correctness, citation recall and precision, refusals and latency, by question type. "
                    "An uploaded set (JSONL: `id`, `question`, `answers`, `evidence_ids`, `answerable`) "
                    "runs against the current library, as do the answers readers rated up (do they still "
                    "come back?).")
        with gr.Row():
            picker = gr.Radio(choices=[DEMO_SET, FEEDBACK_SET, "Uploaded question file"], value=DEMO_SET,
                              label="Question set", scale=3)
            upload = gr.File(label="Question file (.jsonl)", file_types=[".jsonl"], scale=2)
            go = gr.Button("Run evaluation", variant="primary", scale=1, elem_id="nq-eval-run")
        out = gr.HTML(elem_id="nq-eval-report")

        def run(choice: str, uploaded: str | None, progress: gr.Progress = gr.Progress()) -> str:
            def on_progress(done: int, total: int, label: str) -> None:
                progress((done, total), desc=label)

            if choice == DEMO_SET:
                from newsqa.cli import demo_corpus
                from newsqa.evals.questions import sample_questions_path

                return run_evaluation(settings, sample_questions_path(), demo_corpus(), on_progress)
            if choice == FEEDBACK_SET:
                return run_feedback_evaluation(settings, on_progress)
            if not uploaded:
                return R.render_status("Choose a question file first.", "error")
            return run_evaluation(settings, Path(uploaded), None, on_progress)

        go.click(run, inputs=[picker, upload], outputs=[out], api_visibility="private",
                 concurrency_limit=1, concurrency_id="evaluation")


def run_evaluation(settings: Settings, questions: Path, articles: list[str] | None,
                   progress: Callable[[int, int, str], None] | None = None) -> str:
    """Run the evaluation and return its report page sandboxed in an iframe, or an error status."""
    from newsqa.evals.run import run_eval

    try:
        result = run_eval(questions, settings, articles=articles, progress=progress)
    except (ValueError, OSError, StoreError) as e:  # bad question file, empty set, store trouble
        return R.render_status(f"evaluation failed: {e}", "error")
    return R.render_report_frame(result.html)


def run_feedback_evaluation(settings: Settings, progress: Callable[[int, int, str], None] | None = None) -> str:
    """The answers readers approved (`newsqa feedback export`), asked again of the current library."""
    import tempfile

    from newsqa.evals.feedback_export import export_feedback, write_jsonl
    from newsqa.rag.feedback import FeedbackStore
    from newsqa.rag.sqlite_db import UserDataError

    try:
        exported = export_feedback(FeedbackStore.for_settings(settings).all().rows)
    except UserDataError as e:
        return R.render_status(f"evaluation failed: {e}", "error")
    if not exported.questions:
        return R.render_status("No approved answers yet: rate answers in the Ask tab first.", "info")
    with tempfile.TemporaryDirectory(prefix="newsqa-feedback-eval-") as tmp:
        path = Path(tmp) / "feedback.jsonl"
        write_jsonl(exported.questions, path)
        return run_evaluation(settings, path, None, progress)
