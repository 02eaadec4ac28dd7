"""What a generated backend shows the model: each passage cut to its sentences that best answer the
question, while the citation check still reads the whole passages."""

from __future__ import annotations

from typing import Iterator

from newsqa.index.articles import Chunk
from newsqa.index.embed import HashingEmbedder
from newsqa.rag.backends.generated import GeneratedBackend
from newsqa.rag.support import SupportScorer
from newsqa.rag.types import Passage
from newsqa.settings import Settings

FILLER = " ".join(f"The council met again on day {i} to discuss the parking rules downtown." for i in range(8))
ANSWER = "Irina Dovescu won the women's singles title at Ashcombe in 2019."
LONG = f"{FILLER} {ANSWER} {FILLER}"
SHORT = "Kelsey Marlow won Ashcombe in 2021."


def words(text: str) -> int:
    return len(text.split())


def passage(n: int, text: str) -> Passage:
    return Passage(n=n, chunk=Chunk(id=f"c{n}", article_id=f"a{n}", ordinal=0, text=text, char_start=100,
                                    char_end=100 + len(text), title=f"t{n}"), score=1.0 / n)


class Scripted(GeneratedBackend):
    """Replies with a fixed text and records the prompt it was given."""

    name = "scripted"

    def __init__(self, reply: str) -> None:
        super().__init__(Settings(), SupportScorer(HashingEmbedder()))
        self.reply = reply
        self.prompts: list[list[dict[str, str]]] = []

    def _fit(self, question: str, passages: list[Passage]) -> list[Passage]:
        return self.excerpts(question, passages, 20, words)

    def _complete(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        self.prompts.append(messages)
        yield self.reply


def test_a_long_passage_is_cut_to_its_answering_sentences() -> None:
    be = Scripted("")
    ps = [passage(1, LONG), passage(2, SHORT)]
    shown = be.excerpts("Who won the women's singles at Ashcombe in 2019?", ps, 20, words)
    assert [p.n for p in shown] == [1, 2]
    assert ANSWER in shown[0].chunk.text and words(shown[0].chunk.text) <= 20 + 14
    assert shown[0].chunk.text != LONG and shown[0].chunk.char_start == 100
    assert shown[1] is ps[1]  # already within the budget: untouched


def test_excerpt_sentences_keep_passage_order() -> None:
    be = Scripted("")
    text = "Dovescu beat Corwell in the final. The crowd cheered for an hour. " \
           "Dovescu won Ashcombe in 2019 for her second major title."
    shown = be.excerpts("Who won Ashcombe in 2019 and whom did she beat in the final?", [passage(1, text)], 20, words)
    out = shown[0].chunk.text
    assert "Dovescu beat Corwell" in out and "Dovescu won Ashcombe" in out
    assert out.index("Dovescu beat") < out.index("Dovescu won") and " … " in out


def test_no_budget_means_whole_passages() -> None:
    ps = [passage(1, LONG)]
    assert Scripted("").excerpts("Who won?", ps, 0, words) == ps


def test_the_model_sees_the_excerpt_and_the_check_reads_the_whole_passage() -> None:
    be = Scripted(f"{ANSWER} [1]")
    ps = [passage(1, LONG)]
    sentences = be.answer("Who won the women's singles at Ashcombe in 2019?", ps)
    prompt = be.prompts[0][-1]["content"]
    assert ANSWER in prompt and len(prompt) < len(LONG) // 2
    assert [s.citations for s in sentences] == [[1]] and sentences[0].supported
    a, b = sentences[0].spans[1]
    assert LONG[a:b] == ANSWER  # the span is an offset into the whole passage, not the excerpt
