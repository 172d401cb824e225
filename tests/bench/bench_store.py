"""`make bench`: the chat store at size: open + visible path of a 2,000-message conversation (target < 300 ms),
one streaming save (called once a second while a reply streams), search over 10,000 messages (target < 100 ms)."""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.core.conversations.store import ChatStore

WORDS = ("llama", "model", "token", "context", "memory", "prompt", "reply", "branch", "search", "window", "cache",
         "sample", "quantize", "layer", "gradient", "vector", "embedding", "tensor", "matrix", "kernel", "python",
         "sqlite", "record", "offline", "private", "desktop")
LONG_CONVERSATION = 2000
SEARCH_MESSAGES = 10_000
STREAM_SAVES = 300


def sentence(rng: random.Random, n: int = 40) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def main() -> int:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "parley.sqlite3"
        store, _ = ChatStore.open(db)
        cid = store.create_conversation("Long")
        parent = None
        for i in range(LONG_CONVERSATION):
            parent = store.add_message(cid, parent, "user" if i % 2 == 0 else "assistant", sentence(rng))
            if i % 50 == 1:  # a regenerated reply now and then, so the tree has branches
                store.add_message(cid, store.message(parent).parent_id, "assistant", sentence(rng))
                store.switch_branch(parent)
        other = store.create_conversation("Bulk")
        bulk_parent = None
        while store.conversation(cid).message_count + store.conversation(other).message_count < SEARCH_MESSAGES:
            bulk_parent = store.add_message(other, bulk_parent, "user", sentence(rng))
        store.add_message(other, bulk_parent, "user", "the rare word zanzibar appears once")
        store.close()

        opens = []
        for _ in range(5):
            started = time.perf_counter()
            store, _ = ChatStore.open(db)
            path = store.path(cid)
            opens.append(time.perf_counter() - started)
            store.close()
        assert len(path) == LONG_CONVERSATION
        print(f"chat store: open + path of a {LONG_CONVERSATION}-message conversation "
              f"{median_ms(opens):.1f} ms (target < 300 ms)")

        store, _ = ChatStore.open(db)
        paths = []
        for _ in range(20):
            started = time.perf_counter()
            store.path(cid)
            paths.append(time.perf_counter() - started)
        print(f"chat store: path alone {median_ms(paths):.1f} ms")

        reply = store.add_message(cid, path[-1].id, "assistant", "", complete=False)
        text, saves = "", []
        for _ in range(STREAM_SAVES):
            text += sentence(rng, 12) + " "  # about a second of tokens per save
            started = time.perf_counter()
            store.update_message(reply, content=text)
            saves.append(time.perf_counter() - started)
        print(f"chat store: streaming save (update_message, reply growing to {len(text) // 1024} KiB) "
              f"median {statistics.median(saves) * 1e6:.0f} µs, max {max(saves) * 1e6:.0f} µs")

        for query, label in (("zanzibar", "rare word"), ("llama model", "common words"), ("tok", "prefix")):
            times = []
            for _ in range(10):
                started = time.perf_counter()
                hits = store.search(query)
                times.append(time.perf_counter() - started)
            assert hits
            print(f"chat store: search {label} {query!r} over {SEARCH_MESSAGES} messages "
                  f"{median_ms(times):.1f} ms, {len(hits)} hits (target < 100 ms)")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
