"""Fitting the answer ranker: labels from the answers, weights a file the product reads, the
refusal pair chosen by cross-validation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tiny_eval_set import write_tiny_set

from newsqa.evals.train_ranker import Source, _fit_linear, choose_refusal, train_ranker
from newsqa.rag.ranker import load_model
from newsqa.settings import Settings


def test_choose_refusal_separates_answerable_from_the_rest() -> None:
    # (best probability, names share, best is right, answerable)
    rows = [(0.9, 1.0, True, True), (0.8, 1.0, True, True), (0.7, 1.0, False, True),
            (0.3, 1.0, False, False), (0.2, 0.0, False, False), (0.75, 0.0, False, False)]
    t, m, stats = choose_refusal(rows)
    assert 0.3 < t <= 0.8
    assert stats["refused"] == 1.0 and stats["answered_right"] == pytest.approx(2 / 3)
    assert m > 0.0  # only the names share tells the 0.75 unanswerable one apart


def test_a_signed_weight_stays_on_its_side() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=400)
    b = a + 0.3 * rng.normal(size=400)  # correlated with a
    y = (2 * a - b + 0.5 * rng.normal(size=400) > 0).astype(int)  # b counts against, given a
    X = np.column_stack([a, b])
    free = _fit_linear(X, y, ["a", "b"])
    assert free.coef[1] < 0
    signed = _fit_linear(X, y, ["a", "b"], signs={"b": 1})
    assert signed.coef[1] >= 0 and signed.coef[0] > 0
    # with no sign binding, the same fit as scikit-learn's
    same = _fit_linear(X, y, ["a", "b"], signs={"a": 1})
    assert np.allclose(same.coef, free.coef, atol=1e-3) and abs(same.intercept - free.intercept) < 1e-3


def test_train_ranker_writes_weights_the_product_reads(settings: Settings, tmp_path: Path) -> None:
    questions, articles = write_tiny_set(tmp_path / "set")
    out = tmp_path / "ranker.json"
    report = train_ranker([Source(questions, articles=(str(articles),))], settings, split="all", out=out)
    assert report["positives"] > 0 and report["instances"] > report["questions"]  # evidence-removed runs too
    # each stage can only lose answers: quoted <= pre-selected <= in the passages
    assert 0.0 <= report["cv_quoted_right"] <= report["cv_preselected"] <= report["answer_in_passages"] <= 1.0
    # short answers right, the rule's and the span model's: neither beyond the quoted sentences
    assert 0.0 <= report["cv_short_rule"] <= 1.0 and 0.0 <= report["cv_short_model"] <= 1.0
    per_set = report["cv_by_set"][str(questions)]  # one set: its figures are the pooled ones
    assert per_set["quoted_right"] == report["cv_quoted_right"]
    assert per_set["preselected"] == report["cv_preselected"]
    assert per_set["answered_right"] == report["cv"]["answered_right"] and per_set["refused"] == report["cv"]["refused"]
    model = load_model(out)
    assert model.meta["fit"]["sets"][0]["questions"] == str(questions)
    assert 0.0 <= model.threshold <= 1.0
    assert json.loads(out.read_text())["full"]["features"] == list(model.full.features)


def test_cli_train_ranker(settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsqa.cli import main

    questions, articles = write_tiny_set(tmp_path / "set")
    out = tmp_path / "w.json"
    code = main(["train-ranker", "--questions", str(questions), "--articles", str(articles),
                 "--split", "all", "--out", str(out), "--embedder", "hash", "--quiet",
                 "--cache", str(tmp_path / "cache")])
    assert code == 0 and load_model(out).full.features
    assert main(["train-ranker", "--questions", str(tmp_path / "missing.jsonl"), "--out", str(out)]) == 2
    assert "no such question file" in capsys.readouterr().err


def test_training_sees_the_question_as_answering_does(settings: Settings, tmp_path: Path) -> None:
    """Time words are read into the window and taken out of the question before ranking (qa.py),
    so the instances the ranker is fit on hold the question without them."""
    import dataclasses
    from datetime import date

    from newsqa.evals.questions import load_questions
    from newsqa.evals.train_ranker import collect
    from newsqa.index.embed import make_embedder
    from newsqa.index.ingest import ingest
    from newsqa.index.store import Store
    from newsqa.rag.timeframe import read_time

    questions, articles = write_tiny_set(tmp_path / "set")
    s = settings.with_overrides(store=tmp_path / "store", chroma_url="")
    embedder = make_embedder(s)
    store = Store(s, embedder.fingerprint)
    ingest([str(articles)], s, embedder, store=store)
    q = next(q for q in load_questions(questions) if q.answerable and not q.turns)
    asked = dataclasses.replace(q, question=q.question.rstrip("?") + " this week?", as_of=date(2030, 1, 8))
    reading = read_time(asked.question, date(2030, 1, 8))
    assert reading is not None and "this week" not in reading.rest
    got = collect([asked], s, store, embedder, drop_evidence=False)
    assert got and all(i.q.text == reading.rest for i in got)


def test_a_refit_reads_retrievals_and_analyses_from_the_cache(settings: Settings, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import newsqa.evals.train_ranker as tr
    import newsqa.rag.analyse as an

    questions, articles = write_tiny_set(tmp_path / "set")
    cache = tmp_path / "cache"
    src = [Source(questions, articles=(str(articles),))]
    first = train_ranker(src, settings, split="all", out=tmp_path / "a.json", cache_dir=cache)

    def no_more(*a: object, **k: object) -> None:
        raise AssertionError("recomputed although cached")

    with monkeypatch.context() as m:
        m.setattr(tr, "retrieve_questions", no_more)
        m.setattr(an, "analyse_sentences", no_more)
        second = train_ranker(src, settings, split="all", out=tmp_path / "b.json", cache_dir=cache)
    assert second["candidates"] == first["candidates"] and second["positives"] == first["positives"]
    assert load_model(tmp_path / "a.json").full == load_model(tmp_path / "b.json").full

    # another question file is another key: retrieval runs again
    questions.write_text(questions.read_text() + "\n")
    calls: list[int] = []
    real = tr.retrieve_questions

    def counted(*a: object, **k: object):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(tr, "retrieve_questions", counted)
    train_ranker(src, settings, split="all", out=tmp_path / "c.json", cache_dir=cache)
    assert calls == [1]


def test_follow_ups_are_asked_as_answering_asks_them(settings: Settings, tmp_path: Path) -> None:
    """A follow-up is trained on as QA.stream makes it standalone: the earlier turn's names carried."""
    from newsqa.evals.questions import load_questions
    from newsqa.evals.train_ranker import retrieve_questions
    from newsqa.index.embed import make_embedder
    from newsqa.index.ingest import ingest
    from newsqa.index.store import Store

    questions, articles = write_tiny_set(tmp_path / "set")
    s = settings.with_overrides(store=tmp_path / "store", chroma_url="")
    embedder = make_embedder(s)
    store = Store(s, embedder.fingerprint)
    ingest([str(articles)], s, embedder, store=store)
    follow_up = [q for q in load_questions(questions) if q.turns]
    asked = retrieve_questions(follow_up, s, store, embedder, drop_evidence=False)
    assert [a.qid for a in asked] == [q.id for q in follow_up]
    assert "Acme Robotics" in asked[0].text and asked[0].text.startswith(follow_up[0].question)


def test_a_compound_question_is_trained_on_part_by_part(settings: Settings, tmp_path: Path) -> None:
    """One instance per part, each labelled with its own answer part, as answering splits it."""
    from newsqa.evals.questions import Question
    from newsqa.evals.train_ranker import collect
    from newsqa.index.embed import make_embedder
    from newsqa.index.ingest import ingest
    from newsqa.index.store import Store

    _, articles = write_tiny_set(tmp_path / "set")
    s = settings.with_overrides(store=tmp_path / "store", chroma_url="")
    embedder = make_embedder(s)
    store = Store(s, embedder.fingerprint)
    ingest([str(articles)], s, embedder, store=store)
    q = Question("c1", "Who is the chief executive of Acme Robotics, and how many people does the Lyon plant employ?",
                 [["Marie Dubois"], ["400"]], ["acme"])
    got = collect([q], s, store, embedder, drop_evidence=False)
    assert [i.qid for i in got] == ["c1", "c1"]
    assert got[0].q.text.startswith("Who is the chief executive") and got[1].q.text.startswith("How many people")
    for inst, answer in zip(got, ("Marie Dubois", "400")):
        assert all(answer in c.text for c, lab in zip(inst.cands, inst.labels) if lab)
        assert any(inst.labels)


def test_each_store_is_read_with_the_embedder_settings_that_name_it(settings: Settings, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedder is made from settings naming the source's store, so the "auto" runtime follows
    that store (an int8 store is read with int8) without NEWSQA_EMBED_RUNTIME."""
    import newsqa.index.embed as emb
    from newsqa.index.ingest import ingest
    from newsqa.index.store import Store

    questions, articles = write_tiny_set(tmp_path / "set")
    s = settings.with_overrides(store=tmp_path / "store", chroma_url="")
    embedder = emb.make_embedder(s)
    ingest([str(articles)], s, embedder, store=Store(s, embedder.fingerprint))
    seen: list[Path] = []
    real = emb.make_embedder

    def recording(x: Settings):
        seen.append(Path(x.store))
        return real(x)

    monkeypatch.setattr(emb, "make_embedder", recording)
    report = train_ranker([Source(questions, store=tmp_path / "store")], settings, split="all")
    assert report["positives"] > 0
    assert seen == [tmp_path / "store"]


def test_held_out_sets_fit_on_the_others_and_judge_each(settings: Settings, tmp_path: Path) -> None:
    from newsqa.evals.train_ranker import REPEATS

    qa, aa = write_tiny_set(tmp_path / "a")
    qb, ab = write_tiny_set(tmp_path / "b")
    # the second set: the same news under other ids, so the two sets' questions stay apart
    qb.write_text("".join(json.dumps({**json.loads(line), "id": "b-" + json.loads(line)["id"]}) + "\n"
                          for line in qb.read_text().splitlines()), encoding="utf-8")
    sources = [Source(qa, articles=(str(aa),)), Source(qb, articles=(str(ab),))]
    report = train_ranker(sources, settings, split="all", held_out=True)
    held = report["held_out_sets"]
    assert set(held) == {str(qa), str(qb)}
    for name, figures in held.items():
        # every instance of the set is judged once (cross-validation judges each REPEATS times)
        assert figures["answerable"] * REPEATS == report["cv_by_set"][name]["answerable"]
        assert figures["not_answerable"] * REPEATS == report["cv_by_set"][name]["not_answerable"]
        for key in ("answered_right", "answered", "refused"):
            assert 0.0 <= figures[key] <= 1.0
        assert figures["answered_right"] <= figures["answered"]
    assert "held_out_sets" not in train_ranker(sources[:1], settings, split="all", held_out=True)


def test_collected_instances_refit_to_the_same_weights(settings: Settings, tmp_path: Path) -> None:
    """Collecting once and fitting on the result is what `train_ranker` does: an experiment that
    fits a variant on collected instances starts from the product's own fit."""
    from newsqa.evals.train_ranker import collect_instances, fit

    questions, articles = write_tiny_set(tmp_path)
    src = [Source(questions, articles=(str(articles),))]
    got = collect_instances(src, settings, split="all")
    assert got.instances and set(got.set_of.values()) == {str(questions)}
    assert {i.qid for i in got.instances} == set(got.set_of)
    assert got.sets == [{"questions": str(questions), "split": "all", "asked": len(got.instances)}]
    model, report = fit(got.instances, set_of=got.set_of)
    out = tmp_path / "w.json"
    full = train_ranker(src, settings, split="all", out=out)
    assert report["threshold"] == full["threshold"] and report["cv"] == full["cv"]
    assert json.loads(out.read_text())["full"]["coef"] == list(model.full.coef)
