"""The page's look: theme and CSS, with system fonts only.

`launch_options` is what `Blocks.launch` takes besides the server settings (ui/serve.py passes it).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

# System fonts only: the page must not fetch fonts (or anything else) from another host.
SANS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]

CSS = """
.nq-chat { display: flex; flex-direction: column; gap: 10px; padding: 6px 2px; }
.nq-msg { display: flex; }
.nq-user { justify-content: flex-end; }
.nq-bubble { background: var(--color-accent-soft); border: 1px solid var(--border-color-accent);
  border-radius: 12px 12px 2px 12px; padding: 8px 12px; max-width: 85%; white-space: pre-wrap; word-break: break-word; }
.nq-answer { background: var(--block-background-fill); border: 1px solid var(--border-color-primary);
  border-radius: 12px 12px 12px 2px; padding: 10px 12px; max-width: 95%; line-height: 1.55; word-break: break-word; }
.nq-standalone { margin-top: 6px; font-size: 0.8em; color: var(--body-text-color-subdued); font-style: italic; }
.nq-answer-meta { margin-top: 6px; font-size: 0.8em; color: var(--body-text-color-subdued); }
.nq-streaming { white-space: pre-wrap; }
.nq-pending { color: var(--body-text-color-subdued); font-style: italic; }
.nq-caret { animation: nq-blink 1s steps(2) infinite; }
@keyframes nq-blink { 50% { opacity: 0; } }
.nq-cite { display: inline; border: none; background: none; padding: 0 1px; margin: 0; cursor: pointer;
  color: var(--color-accent); font-weight: 600; font-size: 0.85em; vertical-align: super; }
.nq-cite:hover, .nq-cite:focus { text-decoration: underline; }
.nq-cite-missing { color: var(--body-text-color-subdued); font-size: 0.85em; vertical-align: super; }
.nq-unsupported { background: repeating-linear-gradient(135deg, transparent 0 6px, rgba(220,38,38,0.08) 6px 12px);
  text-decoration: underline wavy rgba(220,38,38,0.7); text-underline-offset: 3px; }
.nq-flag { display: inline-block; font-size: 0.72em; font-weight: 700; text-transform: uppercase; letter-spacing: .03em;
  color: #b91c1c; border: 1px solid #b91c1c; border-radius: 4px; padding: 0 4px; margin-left: 2px; text-decoration: none; }
.nq-refusal { border: 1px dashed #b45309; background: rgba(245,158,11,0.08); }
.nq-refusal-text { font-weight: 600; color: #92400e; }
.dark .nq-refusal-text { color: #fbbf24; }
.nq-refusal-icon { font-size: 1.1em; }
.nq-closest-quote { margin: 4px 0 2px 0; padding-left: 10px; border-left: 3px solid #d6d3d1; }
.nq-refusal-reason { font-size: 0.8em; color: var(--body-text-color-subdued); }
.nq-related-label { margin-top: 8px; font-size: 0.85em; font-weight: 600; color: var(--body-text-color-subdued); }
.nq-related { margin: 4px 0 0 0; padding-left: 18px; }
.nq-related li { margin: 4px 0; }
.nq-related-quote { font-size: 0.85em; color: var(--body-text-color-subdued); }
.nq-error { border-color: #b91c1c; color: #b91c1c; }
.nq-notice { margin-top: 6px; font-size: 0.85em; color: #b45309; }
.nq-welcome { color: var(--body-text-color-subdued); padding: 12px; }
.nq-empty-store { border: 1px dashed var(--border-color-primary); border-radius: 8px; color: var(--body-text-color); }
.nq-cite-demo { color: var(--color-accent); font-weight: 600; }
.nq-sources { display: flex; flex-direction: column; gap: 8px; }
.nq-sources-q { font-size: 0.85em; color: var(--body-text-color-subdued); }
.nq-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px; background: var(--block-background-fill); }
.nq-focused { border-color: var(--color-accent); box-shadow: 0 0 0 1px var(--color-accent); }
.nq-source-head { font-weight: 700; }
.nq-source-n { color: var(--color-accent); }
.nq-meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 2px 0 6px; }
.nq-passage { margin: 6px 0; padding: 6px 10px; border-left: 3px solid var(--border-color-primary);
  white-space: pre-wrap; word-break: break-word; font-size: 0.92em; }
mark.nq-hl { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
.nq-support { margin: 4px 0; padding-left: 18px; font-size: 0.85em; }
.nq-support-unsupported .nq-state { color: #b91c1c; font-weight: 700; }
.nq-support-supported .nq-state { color: #15803d; font-weight: 700; }
.nq-score { font-variant-numeric: tabular-nums; }
.nq-muted { color: var(--body-text-color-subdued); font-size: 0.85em; }
.nq-ids { margin-top: 4px; }
.nq-other-sources { font-size: 0.9em; }
.nq-status { padding: 6px 10px; border-radius: 6px; }
.nq-status-ok { background: rgba(22,163,74,0.1); }
.nq-status-error { background: rgba(220,38,38,0.1); color: #b91c1c; }
.nq-report { width: 100%; height: 70vh; border: 1px solid var(--border-color-primary); border-radius: 8px; }
#nq-chat { min-height: 420px; }
.nq-short { font-weight: 700; font-size: 1.05em; margin-bottom: 4px; }
.nq-unanswered { margin-top: 6px; font-style: italic; color: var(--body-text-color-subdued); }
.nq-short-sep { font-weight: 400; color: var(--body-text-color-subdued); margin: 0 4px; }
mark.nq-hl-short { background: #f59e0b; color: #111827; font-weight: 700; }
.nq-window { font-style: normal; }
.nq-feedback { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-top: 8px; font-size: 0.8em; }
.nq-feedback button.nq-fb { border: 1px solid var(--border-color-primary); background: transparent; border-radius: 4px;
  padding: 1px 8px; font-size: 1em; font-weight: 400; line-height: 1.6; cursor: pointer; color: var(--body-text-color); }
.nq-feedback button.nq-fb:hover, .nq-feedback button.nq-fb:focus { border-color: var(--color-accent); }
.nq-feedback button.nq-fb[aria-pressed="true"] { background: var(--color-accent-soft); border-color: var(--color-accent);
  font-weight: 700; }
.nq-feedback input.nq-fb-note { flex: 1 1 120px; max-width: 280px; font-size: 1em; padding: 1px 6px;
  border: 1px solid var(--border-color-primary); border-radius: 4px; background: transparent; color: var(--body-text-color); }
.nq-fb-done { color: var(--body-text-color-subdued); }
.nq-also-in { font-size: 0.85em; margin: 0 0 6px; }
.nq-details { margin-top: 6px; font-size: 0.85em; }
.nq-details summary { cursor: pointer; color: var(--body-text-color-subdued); }
"""


def theme() -> gr.themes.Base:
    return gr.themes.Default(font=SANS, font_mono=MONO)


def launch_options() -> dict[str, Any]:
    """What `Blocks.launch` needs besides the server settings (Gradio 6 takes theme and CSS there)."""
    return {"theme": theme(), "css": CSS}
