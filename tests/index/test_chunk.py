from newsqa.index.articles import Article
from newsqa.index.chunk import chunk_article
from newsqa.index.text import count_tokens, sentence_spans


def _article(body: str) -> Article:
    return Article(id="a1", title="", body=body, source="S")


def test_chunks_respect_token_budget_and_offsets(demo_files):
    body = open(demo_files[1], encoding="utf-8").read()
    chunks = chunk_article(_article(body), max_tokens=64, overlap=16)
    assert len(chunks) > 5
    for c in chunks:
        assert body[c.char_start:c.char_end] == c.text
        assert count_tokens(c.text) <= 64 + 8  # joining whitespace may add a token or two
    # ordinals are dense and the whole body is covered, in order
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert chunks[0].char_start == 0 and chunks[-1].char_end == len(body.rstrip())
    for a, b in zip(chunks, chunks[1:]):
        # overlap or adjacency: nothing but whitespace is ever left between two chunks
        assert b.char_start <= a.char_end or not body[a.char_end:b.char_start].strip()
        assert b.char_start > a.char_start


def test_chunks_end_on_sentence_boundaries(demo_files):
    body = open(demo_files[0], encoding="utf-8").read()
    ends = {b for _, b in sentence_spans(body)}
    for c in chunk_article(_article(body), max_tokens=80, overlap=20):
        assert c.char_end in ends


def test_overlong_sentence_is_split_at_words():
    body = "word " * 700 + "end."
    chunks = chunk_article(_article(body), max_tokens=100, overlap=0)
    assert len(chunks) >= 7
    assert all(count_tokens(c.text) <= 100 for c in chunks)
    assert all(not c.text.startswith(" ") for c in chunks)


def test_chunk_ids_are_stable_and_content_derived():
    a = chunk_article(_article("One sentence here. Another one there."), 256, 32)
    b = chunk_article(_article("One sentence here. Another one there."), 256, 32)
    c = chunk_article(_article("One sentence here. Another one changed."), 256, 32)
    assert [x.id for x in a] == [x.id for x in b]
    assert a[0].id != c[0].id
    assert a[0].id.startswith("a1:")


def test_sentence_splitter_keeps_abbreviations_together():
    text = 'Mr. Smith met U.S. officials at 3 p.m. on Jan. 5. Then he left! "Okay," he said.'
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Mr. Smith met U.S. officials at 3 p.m. on Jan. 5.", "Then he left!", '"Okay," he said.']
