"""The text-analysis layer's repair of the small tagger: a word the parser makes head a clause is a
verb, whatever the tagger said."""

from __future__ import annotations

from newsqa.rag.analyse import PipedDocs, nlp, verb_lemma, verbal_clause_heads


def test_a_verb_form_is_lemmatised_by_the_pipeline_s_own_tables() -> None:
    assert verb_lemma("boasting") == "boast"
    assert verb_lemma("stating") == "state"
    assert verb_lemma("supplying") == "supply"
    assert verb_lemma("abetted") == "abet"  # an exception of the tables
    assert verb_lemma("ceiling") is None  # no verb ends so


def test_a_participle_heading_a_clause_is_made_a_verb() -> None:
    """As the small tagger reads a participle in some news sentences ("went further, boasting of
    ..." gave "boasting" NN with lemma "boasting"): the parser's clause label overrules it."""
    doc = next(iter(nlp().pipe(["Ada Brenner went further, boasting of Kelham's ties with both ports."],
                               disable=["ner"])))
    boasting = next(t for t in doc if t.text == "boasting")
    assert boasting.dep_ == "advcl"  # the premise: the parser makes it head a clause
    boasting.pos_, boasting.lemma_ = "NOUN", "boasting"  # the tagger's error
    ties = next(t for t in doc if t.text == "ties")
    verbal_clause_heads(doc)
    assert (boasting.pos_, boasting.lemma_) == ("VERB", "boast")
    assert (ties.pos_, ties.lemma_) == ("NOUN", "tie")  # a noun that heads no clause stays one


def test_piped_docs_repair_each_new_doc_once() -> None:
    seen: list[str] = []
    docs = PipedDocs(("ner",), 8, lambda d: seen.append(d.text))
    docs(["Ada Brenner resigned.", "Kelham won."])
    docs(["Ada Brenner resigned."])  # kept: not analysed, nor repaired, again
    assert seen == ["Ada Brenner resigned.", "Kelham won."]
