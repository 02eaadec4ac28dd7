"""The headline is the article's first paragraph: chunked, shown and citable like its body."""

from __future__ import annotations

from newsqa.index.articles import Article
from newsqa.index.chunk import article_text, chunk_article, contextual_text, headline
from newsqa.index.text import sentence_spans

_BODY = ("The lighthouse keeper's dog, a collie called Pip, was honoured by the sailing club on "
         "Saturday. Members gave him a medal for barking at a drifting dinghy in the night.")


def _article(title: str, body: str = _BODY, source: str = "www.harbour-times.example") -> Article:
    return Article(id="h1", title=title, body=body, source=source)


def test_headline_drops_a_cut_off_ellipsis_and_the_outlets_own_name():
    assert headline("Collie saves three sailors ...", "www.harbour-times.example") == "Collie saves three sailors"
    assert headline("Collie saves three sailors | Harbour Times", "www.harbour-times.example") == \
        "Collie saves three sailors"
    assert headline("Collie saves three sailors - Harbour Times", "https://harbour-times.example/") == \
        "Collie saves three sailors"
    # a separator that is part of the story's own words stays
    assert headline("Storm on the coast - three boats lost", "www.harbour-times.example") == \
        "Storm on the coast - three boats lost"
    assert headline("Collie saves three sailors | Other Paper", "www.harbour-times.example") == \
        "Collie saves three sailors | Other Paper"


def test_the_lead_chunk_opens_with_the_headline_and_offsets_index_the_text():
    a = _article("Sailing club gives medal to dog aged 14 | Harbour Times")
    text = article_text(a)
    assert text.startswith("Sailing club gives medal to dog aged 14\n\n") and text.endswith(_BODY)
    chunks = chunk_article(a, 64, 8)
    assert chunks[0].text.startswith("Sailing club gives medal to dog aged 14")
    assert all(text[c.char_start:c.char_end] == c.text for c in chunks)
    # the headline is a sentence of its own, so an answer can cite it ("aged 14")
    assert text[slice(*sentence_spans(text)[0])] == "Sailing club gives medal to dog aged 14"
    # the lead chunk does not carry the title twice in what is embedded; the others carry it once
    assert contextual_text(chunks[0]).count("medal to dog") == 1
    assert all("Sailing club gives medal" in contextual_text(c) for c in chunks)


def test_a_body_that_opens_with_its_title_is_not_repeated():
    first = _BODY.split(". ")[0] + "."
    a = _article(first[:60] + "…")  # a title taken from the first sentence, cut short
    assert article_text(a) == _BODY
    assert article_text(_article("")) == _BODY
    assert chunk_article(_article(""), 64, 8)[0].text.startswith("The lighthouse keeper's dog")
