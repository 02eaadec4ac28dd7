"""A tiny article file and question file for the evaluation runner and report tests."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLES = [
    {"id": "acme", "title": "Acme Robotics opens a factory in Lyon", "source": "Test Wire",
     "body": "Acme Robotics opened its first factory in Lyon in 2019. The factory builds warehouse "
             "robots for European retailers. Acme's chief executive is Marie Dubois, who founded the "
             "company in Grenoble. The Lyon plant employs 400 people and runs two shifts a day. A second "
             "factory, in Turin, is planned for 2026 and will make delivery drones. Acme sold 12,000 "
             "robots last year, most of them to supermarket chains in France and Germany."},
    {"id": "river", "title": "Danube floods Passau", "source": "Test Wire",
     "body": "The Danube flooded the town of Passau in June 2013. Water levels reached 12.8 metres, "
             "the highest since 1501. Hundreds of residents left their homes in the old town."},
    {"id": "chess", "title": "Oslo chess open ends", "source": "Other Wire",
     "body": "Magnus Carlsen won the Oslo chess open on Sunday after beating Anish Giri in the final "
             "round. The tournament drew 200 players from 30 countries."},
]

XSS_QUESTION = "<script>alert('x')</script> What does the Acme factory build?"

QUESTIONS = [
    {"id": "t1", "question": "Who is the chief executive of Acme Robotics?", "answers": [["Marie Dubois"]],
     "evidence_ids": ["acme"], "type": "who"},
    {"id": "t2", "question": "In which year did the Danube flood Passau?", "answers": [["2013"]],
     "evidence_ids": ["river"], "type": "when"},
    {"id": "t3", "question": "Who won the Oslo chess open?", "answers": [["Magnus Carlsen", "Carlsen"]],
     "evidence_ids": ["chess"], "type": "who"},
    {"id": "t4", "question": "When did it open?", "turns": ["Where did Acme Robotics open its first factory?"],
     "answers": [["2019"]], "evidence_ids": ["acme"], "type": "follow-up"},
    {"id": "t5", "question": "Who won the 1987 Harwell Shield rugby final in Brackmoor?", "answers": [],
     "evidence_ids": [], "answerable": False, "type": "unanswerable"},
    {"id": "t6", "question": XSS_QUESTION, "answers": [["warehouse robots"]], "evidence_ids": ["acme"],
     "type": "what"},
]


def write_tiny_set(folder: Path) -> tuple[Path, Path]:
    """(questions.jsonl, articles.jsonl) written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = folder / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    questions = folder / "questions.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), encoding="utf-8")
    return questions, articles
