"""What kind of place a real place is, for a question that asks for one kind.

"Which city opened the new stadium?" over "the state of Bavaria paid for a third of the stadium
Munich opened": the NER labels both places alike (GPE), and only knowing that Bavaria is a state
tells the city from it. WordNet files about 3,400 real places under their kinds
(rag/data/place_classes.txt, written by scripts/wordnet_places.py: "munich: city", "bavaria: state",
"mombasa: city port", "kenya: country"). A place it does not list (most towns in the news, every
invented one) is of no known kind, and is never ruled out by it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_FILE = Path(__file__).parent / "data" / "place_classes.txt"

_SETTLEMENT = frozenset({"city", "town", "village", "capital", "port"})
_REGION = frozenset({"state", "province"})
# the kinds of place a focus noun asks for: to a question a town, a city and a capital are one
# kind of place (WordNet files many towns as cities), a state and a province another; a "state"
# in the news is a part of a country (a country is filed as one, not as a state)
ASKED: dict[str, frozenset[str]] = {
    **{w: _SETTLEMENT for w in ("city", "town", "village", "capital")},
    "country": frozenset({"country"}), "nation": frozenset({"country"}),
    "state": _REGION, "province": _REGION,
    "island": frozenset({"island"}), "continent": frozenset({"continent"}),
    "river": frozenset({"river"}), "lake": frozenset({"lake"}), "mountain": frozenset({"mountain"}),
    "sea": frozenset({"sea", "ocean"}), "ocean": frozenset({"sea", "ocean"}), "desert": frozenset({"desert"}),
}


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    out = {}
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, kinds = line.split("\t")
            out[name] = frozenset(kinds.split())
    return out


def place_kinds(name: str) -> frozenset[str]:
    """The kinds of place WordNet files `name` under (empty for a name it does not list): "the
    Netherlands" -> country; "Bavaria's" -> state."""
    key = name.strip().lower().replace("’", "'")
    if key.endswith("'s"):
        key = key[:-2]
    if key.startswith("the "):
        key = key[4:]
    return _table().get(key, frozenset())


def another_kind_of_place(focus: str, name: str) -> bool:
    """`name` is a real place of a kind other than the one the focus noun asks for ("Which city":
    Bavaria, a state); False where the focus asks for no kind of place, or the name is of no
    known kind."""
    asked = ASKED.get(focus)
    if asked is None:
        return False
    kinds = place_kinds(name)
    return bool(kinds) and not kinds & asked


def place_of_kind(focus: str, name: str) -> bool:
    """`name` is a real place of the kind the focus noun asks for ("Which city": Munich)."""
    return bool(place_kinds(name) & ASKED.get(focus, frozenset()))
