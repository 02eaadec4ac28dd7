"""The rerank fit's evaluation: top-5 shares and passage length as the product selects passages."""

from __future__ import annotations

import json

import numpy as np

from newsqa.evals.fit_rerank import Example, evaluate, main
from newsqa.evals.questions import Question
from newsqa.index.articles import Chunk
from newsqa.rag.rerank import FEATURES, Candidate


def _example() -> Example:
    # one article in three touching chunks: the first matches the question, the second answers it;
    # six other articles outrank the answering chunk, so it reaches the top 5 only by joining
    body = ("The harbour board met on Friday to choose a new ferry operator. "
            "After a long debate the contract went to Tidewater Lines for ten years. "
            "The old operator had run the route since the spring of 1998.")
    cuts = [(0, body.index("After")), (body.index("After"), body.index("The old")), (body.index("The old"), len(body))]
    chunks = [Chunk(id=f"a{i}", article_id="a", ordinal=i, text=body[s:e], char_start=s, char_end=e)
              for i, (s, e) in enumerate(cuts)]
    others = [Chunk(id=f"o{i}", article_id=f"o{i}", ordinal=0, text=f"Ferry timetable change number {i}.",
                    char_start=0, char_end=33) for i in range(6)]
    ordered = [chunks[0], *others, chunks[1], chunks[2]]
    cands = [Candidate(c) for c in ordered]
    feats = np.zeros((len(cands), len(FEATURES)))
    feats[:, FEATURES.index("vector")] = np.linspace(1.0, 0.1, len(cands))  # the order above
    q = Question(id="t1", question="Which company won the ferry contract?", answers=[["Tidewater Lines"]],
                 evidence_ids=["a"])
    return Example(q, cands, feats, {c.article_id: {c.article_id} for c in ordered})


def test_the_answer_counts_in_the_top_5_only_when_its_chunk_joins_a_chosen_passage() -> None:
    ex = _example()
    w = np.zeros(len(FEATURES))
    w[FEATURES.index("vector")] = 1.0
    apart = evaluate([ex], w, 0.0, merge_max_chars=0)
    joined = evaluate([ex], w, 0.0, merge_max_chars=3000)
    assert apart["gold_article_in_top5"] == joined["gold_article_in_top5"] == 1.0
    assert apart["answer_in_top5_passages"] == 0.0 and joined["answer_in_top5_passages"] == 1.0
    # the join reads the article's next chunks too: more text for the answer stage
    assert joined["passage_chars_mean"] > apart["passage_chars_mean"]
    # a cap below two chunks' length keeps them apart
    assert evaluate([ex], w, 0.0, merge_max_chars=len(ex.candidates[0].chunk.text) + 5)["answer_in_top5_passages"] == 0.0


def test_caps_report_without_fitting(monkeypatch, capsys, tmp_path) -> None:
    import newsqa.evals.fit_rerank as fr

    qfile = tmp_path / "q.jsonl"
    qfile.write_text("")
    monkeypatch.setattr(fr, "collect", lambda questions, retriever: [_example()])
    monkeypatch.setattr(fr, "load_questions", lambda path: [])
    monkeypatch.setattr("newsqa.index.embed.make_embedder", lambda settings: type("E", (), {"fingerprint": "x"})())
    monkeypatch.setattr("newsqa.index.store.Store", lambda settings, fingerprint: None)
    assert main(["--questions", str(qfile), "--store", str(tmp_path / "s"), "--no-fit", "--caps", "0,3000"]) == 0
    out = json.loads(capsys.readouterr().out)
    caps = out["sets"][str(qfile)]["by_join_cap"]
    assert caps["0"]["answer_in_top5_passages"] == 0.0 and caps["3000"]["answer_in_top5_passages"] == 1.0
    assert "weights" not in out  # nothing was fit
