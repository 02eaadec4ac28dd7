from dataclasses import dataclass

import pytest

from newsqa.evals.split import select_split, split_of


@dataclass
class Q:
    id: str


def test_split_is_a_fixed_function_of_the_id():
    ids = [f"q-{i}" for i in range(2000)]
    first = [split_of(i) for i in ids]
    assert first == [split_of(i) for i in ids]
    share = first.count("validation") / len(ids)
    assert 0.36 < share < 0.44


def test_select_split_partitions_the_set():
    qs = [Q(f"item{i}") for i in range(300)]
    train, val = select_split(qs, "train"), select_split(qs, "validation")
    assert len(train) + len(val) == 300
    assert not {q.id for q in train} & {q.id for q in val}
    assert select_split(qs, "all") == qs


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split must be one of"):
        select_split([Q("a")], "test")
