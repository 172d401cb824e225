"""Downloads are verified from the bytes on disk, owned by one writer at a time, and a server that lists more bytes
than it serves ends in a size mismatch instead of an endless restart loop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop.hub.client import HubClient
from desktop.hub.download import PARTIAL_DIR, Download, DownloadProgress, DownloadState
from desktop.hub.errors import HubError
from desktop.hub.listing import RepoFile
from tests.hub.fake_hub import FakeHub

pytestmark = pytest.mark.usefixtures("small_chunks")

REPO = "tiny/Tiny-GGUF"
NAME = "Tiny-Q4_K_M.gguf"


@pytest.fixture
def models(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


def q4(client: HubClient) -> RepoFile:
    return next(f for f in client.gguf_files(REPO) if f.path == NAME)


def leftovers(models: Path) -> list[str]:
    folder = models / PARTIAL_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_partial_overwritten_during_download_fails_verification(client: HubClient, models: Path) -> None:
    """The checksum is of the file on disk: 4 KB overwritten mid-download is caught, whatever the stream said."""
    d = Download(client, REPO, q4(client), models, backoff=0.01)
    tampered: list[int] = []

    def on_progress(p: DownloadProgress) -> None:
        if not tampered and p.done > p.total // 2:
            with open(d.partial, "r+b") as f:  # another program scribbles on the partial file
                f.seek(8192)
                f.write(b"\xab" * 4096)
            tampered.append(p.done)

    d.on_progress = on_progress
    with pytest.raises(HubError, match=r"checksum does not match.*download it again"):
        d.run()
    assert tampered and d.state is DownloadState.FAILED
    assert list(models.glob("*.gguf")) == [] and leftovers(models) == []


def test_second_download_of_the_same_file_is_refused(hub: FakeHub, client: HubClient, models: Path,
                                                     gguf_files: dict[str, bytes]) -> None:
    reached, release = threading.Event(), threading.Event()

    def hold(p: DownloadProgress) -> None:
        if 0 < p.done < p.total and not reached.is_set():
            reached.set()
            release.wait(10)

    first = Download(client, REPO, q4(client), models, on_progress=hold, backoff=0.01)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(first.run()))
    worker.start()
    try:
        assert reached.wait(10)
        second = Download(HubClient(), REPO, q4(client), models, backoff=0.01)
        requests = len(hub.file_requests())
        with pytest.raises(HubError, match=r"already being downloaded"):
            second.run()
        assert second.state is DownloadState.FAILED
        assert len(hub.file_requests()) == requests  # the second writer sent nothing and wrote nothing
        second.cancel()  # cancelling the refused one must not delete the first one's partial file
        assert first.partial.exists()
    finally:
        release.set()
        worker.join(20)
    assert result == [models / NAME] and first.state is DownloadState.DONE
    assert (models / NAME).read_bytes() == gguf_files["q4"] and leftovers(models) == []


LOCK_HOLDER = """
import sys
from pathlib import Path
from desktop.hub.partial_lock import PartialLock
lock = PartialLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
sys.stdin.read()
"""


def test_another_process_holding_the_partial_refuses_then_its_crash_frees_it(
        client: HubClient, models: Path, gguf_files: dict[str, bytes]) -> None:
    d = Download(client, REPO, q4(client), models, backoff=0.01)
    d.partial.parent.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(d.partial)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(HubError, match=rf"{NAME} is already being downloaded into {models}"):
            d.run()
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # a crash: no clean-up ran, the lock must still be free
        holder.communicate(timeout=10)
    again = Download(client, REPO, q4(client), models, backoff=0.01)
    assert again.run() == models / NAME
    assert (models / NAME).read_bytes() == gguf_files["q4"] and leftovers(models) == []


def watchdog(d: Download, hub: FakeHub, limit: int) -> None:
    """Cancel the download once the server has sent `limit` bytes, so an endless loop ends the test."""
    def on_progress(_p: DownloadProgress) -> None:
        if hub.body_bytes_served > limit:
            d.cancel()
    d.on_progress = on_progress


def test_server_with_fewer_bytes_than_listed_is_a_size_mismatch(hub: FakeHub, client: HubClient, models: Path,
                                                                gguf_files: dict[str, bytes]) -> None:
    size = len(gguf_files["q4"])
    hub.listed_extra = 5000
    file = q4(client)
    assert file.size == size + 5000
    d = Download(client, REPO, file, models, backoff=0.01)
    watchdog(d, hub, 3 * size)
    started = time.monotonic()
    with pytest.raises(HubError, match=r"size.*{}.*{}".format(f"{size + 5000:,}", f"{size:,}")):
        d.run()
    assert time.monotonic() - started < 10
    assert d.state is DownloadState.FAILED
    assert hub.body_bytes_served <= size and len(hub.file_requests()) <= 2
    assert list(models.glob("*.gguf")) == [] and leftovers(models) == []


def test_416_after_a_complete_pass_is_a_size_mismatch(hub: FakeHub, client: HubClient, models: Path,
                                                      gguf_files: dict[str, bytes]) -> None:
    """A server whose answers carry no size still cannot loop: the Range request past its end answers 416."""
    size = len(gguf_files["q4"])
    hub.listed_extra = 5000
    file = q4(client)
    hub.listed_extra = 0
    d = Download(client, REPO, file, models, backoff=0.01)
    d.partial.parent.mkdir(parents=True)
    d.partial.write_bytes(gguf_files["q4"])  # the whole served file is already on disk: the next request is 416
    d._write_sidecar()
    watchdog(d, hub, 3 * size)
    with pytest.raises(HubError, match=r"size"):
        d.run()
    assert d.state is DownloadState.FAILED and len(hub.file_requests()) == 1
    assert hub.file_requests()[0].headers["range"] == f"bytes={size}-"
    assert list(models.glob("*.gguf")) == [] and leftovers(models) == []


def test_stream_ending_short_every_time_gives_up_with_a_message(hub: FakeHub, client: HubClient,
                                                                models: Path, gguf_files: dict[str, bytes]) -> None:
    size = len(gguf_files["q4"])
    hub.withhold = 5000
    d = Download(client, REPO, q4(client), models, retries=3, backoff=0.01)
    watchdog(d, hub, 3 * size)
    with pytest.raises(HubError, match=rf"cutting {NAME} short: every answer ends at byte [\d,]+ of the {size:,}"):
        d.run()
    assert d.state is DownloadState.FAILED and len(hub.file_requests()) <= 5
    assert hub.body_bytes_served < 2 * size
    assert list(models.glob("*.gguf")) == []
