"""The server write lease's protocol, against an in-memory stand-in for a Chroma collection (the
same get/upsert/delete calls). tests/test_faults.py runs it between processes on a real server."""

from __future__ import annotations

import threading
import time

import pytest

from newsqa.index.lease import Lease, LeaseHeld, take_lease


class FakeCollection:
    def __init__(self) -> None:
        self.records: dict[str, dict] = {}
        self.lock = threading.Lock()

    def get(self, include=None):
        with self.lock:
            ids = list(self.records)
            return {"ids": ids, "metadatas": [dict(self.records[i]) for i in ids]}

    def upsert(self, ids, embeddings, metadatas):
        with self.lock:
            for i, m in zip(ids, metadatas):
                self.records[i] = dict(m)

    def delete(self, ids):
        with self.lock:
            for i in ids:
                self.records.pop(i, None)


class FakeClient:
    def __init__(self) -> None:
        self.cols: dict[str, FakeCollection] = {}

    def get_or_create_collection(self, name, embedding_function=None):
        return self.cols.setdefault(name, FakeCollection())


def test_a_second_writer_is_refused_with_the_holder_named_then_takes_it_after_release():
    client = FakeClient()
    first = take_lease(client, "news", "the server", holder="host-a pid 11")
    with pytest.raises(LeaseHeld) as err:
        take_lease(client, "news", "the server", holder="host-b pid 22")
    assert "another ingest or removal is writing to the server (host-a pid 11, writing since" in str(err.value)
    # the refused writer left nothing behind
    assert [m["holder"] for m in client.cols["news_lease"].records.values()] == ["host-a pid 11"]
    first.release()
    assert client.cols["news_lease"].records == {}
    second = take_lease(client, "news", "the server", holder="host-b pid 22")
    assert [m["state"] for m in client.cols["news_lease"].records.values()] == ["held"]
    second.release()


def test_a_dead_holders_lease_is_taken_over_once_expired():
    client = FakeClient()
    dead = Lease(client.get_or_create_collection("news_lease"), ttl=0.3, holder="host-a pid 11")
    dead.acquire("the server")
    dead._stop.set()  # the holder dies: no more renewals, no release
    with pytest.raises(LeaseHeld):
        take_lease(client, "news", "the server", ttl=0.3, holder="host-b pid 22")
    time.sleep(0.4)
    lease = take_lease(client, "news", "the server", ttl=0.3, holder="host-b pid 22")
    assert [m["holder"] for m in client.cols["news_lease"].records.values()] == ["host-b pid 22"]
    lease.release()


def test_a_live_holder_renews_its_lease_past_the_ttl():
    client = FakeClient()
    lease = take_lease(client, "news", "the server", ttl=0.4, holder="host-a pid 11")
    time.sleep(1.0)  # more than twice the ttl: renewed every 0.1 s meanwhile
    with pytest.raises(LeaseHeld):
        take_lease(client, "news", "the server", ttl=0.4, holder="host-b pid 22")
    lease.release()


def test_contenders_in_the_same_instant_never_both_hold():
    for _ in range(5):
        client = FakeClient()
        start = threading.Barrier(4)
        held: list[Lease] = []
        refused: list[str] = []

        def contend(n: int) -> None:
            start.wait()
            try:
                held.append(take_lease(client, "news", "the server", holder=f"host-{n}"))
            except LeaseHeld as e:
                refused.append(str(e))

        threads = [threading.Thread(target=contend, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(held) == 1 and len(refused) == 3, (held, refused)
        held[0].release()
