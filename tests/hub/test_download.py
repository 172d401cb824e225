"""Download against the fake Hub: resume, retries, verification, pause/cancel and the library move."""

from __future__ import annotations

import itertools
import json
import shutil
from collections import namedtuple
from pathlib import Path

import pytest

from desktop.hub.client import HubClient
from desktop.hub.download import PARTIAL_DIR, Download, DownloadProgress, DownloadState, pending_downloads
from desktop.hub.errors import AuthRequired, HubError, OfflineError
from desktop.hub.listing import RepoFile, make_repo_file
from tests.hub.fake_hub import FakeHub, sha256

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


def test_full_download(hub: FakeHub, client: HubClient, models: Path, gguf_files: dict[str, bytes]) -> None:
    seen: list[DownloadProgress] = []
    d = Download(client, REPO, q4(client), models, on_progress=seen.append, backoff=0.01)
    assert d.target == models / NAME
    assert d.partial == models / PARTIAL_DIR / f"tiny--Tiny-GGUF--{NAME}.part"
    assert d.run() == models / NAME
    assert d.state is DownloadState.DONE
    assert (models / NAME).read_bytes() == gguf_files["q4"]
    assert leftovers(models) == []
    assert seen[-1].done == seen[-1].total == len(gguf_files["q4"]) and seen[-1].seconds_left == 0.0
    assert all(a.done <= b.done for a, b in itertools.pairwise(seen))
    assert len(hub.file_requests()) == 1


def test_redirected_download(hub: FakeHub, client: HubClient, models: Path, gguf_files: dict[str, bytes]) -> None:
    hub.redirect_lfs = True
    Download(client, REPO, q4(client), models, backoff=0.01).run()
    assert (models / NAME).read_bytes() == gguf_files["q4"]
    assert any(r.path.startswith("/cdn/") for r in hub.requests)


def test_resume_after_dropped_connection(hub: FakeHub, client: HubClient, models: Path,
                                         gguf_files: dict[str, bytes]) -> None:
    size = len(gguf_files["q4"])
    hub.drop_after = size // 3
    Download(client, REPO, q4(client), models, backoff=0.01).run()
    assert (models / NAME).read_bytes() == gguf_files["q4"]
    first, second = hub.file_requests()
    assert "range" not in first.headers
    assert second.headers["range"].startswith("bytes=") and int(second.headers["range"][6:-1]) > 0
    assert hub.body_bytes_served < 2 * size
    assert leftovers(models) == []


def test_gives_up_after_retries(hub: FakeHub, client: HubClient, models: Path) -> None:
    file = q4(client)
    hub.status = 503
    d = Download(client, REPO, file, models, retries=2, backoff=0.01)
    with pytest.raises(HubError, match="keeps failing"):
        d.run()
    assert d.state is DownloadState.FAILED
    assert len(hub.file_requests()) == 3
    assert not (models / NAME).exists()


def pause_midway(d: Download) -> None:
    def on_progress(p: DownloadProgress) -> None:
        if p.done >= p.total // 2:
            d.pause()

    d.on_progress = on_progress


def test_pause_and_resume_after_restart(hub: FakeHub, client: HubClient, models: Path,
                                        gguf_files: dict[str, bytes]) -> None:
    size = len(gguf_files["q4"])
    d = Download(client, REPO, q4(client), models, backoff=0.01)
    pause_midway(d)
    with pytest.raises(HubError, match="paused"):
        d.run()
    assert d.state is DownloadState.PAUSED
    kept = d.partial.stat().st_size
    assert size // 2 <= kept < size
    assert not (models / NAME).exists()
    (pending,) = pending_downloads(models)
    assert pending["repo"] == REPO and pending["path"] == NAME and pending["done"] == kept
    assert pending["sha256"] == sha256(gguf_files["q4"]) and pending["size"] == size
    assert str(pending["url"]).endswith(f"/{REPO}/resolve/main/{NAME}")

    # "restart": a new client and Download built from the sidecar alone
    again = make_repo_file(str(pending["path"]), int(str(pending["size"])), str(pending["sha256"]))
    Download(HubClient(), str(pending["repo"]), again, models, backoff=0.01).run()
    assert (models / NAME).read_bytes() == gguf_files["q4"]
    assert hub.file_requests()[-1].headers["range"] == f"bytes={kept}-"
    assert hub.body_bytes_served < 2 * size
    assert pending_downloads(models) == [] and leftovers(models) == []


def test_run_again_after_pause_resumes(client: HubClient, models: Path, gguf_files: dict[str, bytes]) -> None:
    d = Download(client, REPO, q4(client), models, backoff=0.01)
    pause_midway(d)
    with pytest.raises(HubError):
        d.run()
    d.on_progress = None
    assert d.run() == models / NAME and d.state is DownloadState.DONE
    assert (models / NAME).read_bytes() == gguf_files["q4"]


def test_server_ignoring_range(hub: FakeHub, client: HubClient, models: Path, gguf_files: dict[str, bytes]) -> None:
    d = Download(client, REPO, q4(client), models, backoff=0.01)
    pause_midway(d)
    with pytest.raises(HubError):
        d.run()
    hub.ignore_range = True
    Download(client, REPO, q4(client), models, backoff=0.01).run()
    assert (models / NAME).read_bytes() == gguf_files["q4"]
    assert "range" in hub.file_requests()[-1].headers


def test_corrupted_bytes(hub: FakeHub, client: HubClient, models: Path) -> None:
    hub.corrupt = True
    d = Download(client, REPO, q4(client), models, backoff=0.01)
    with pytest.raises(HubError, match=r"checksum.*download it again"):
        d.run()
    assert d.state is DownloadState.FAILED
    assert list(models.glob("*.gguf")) == [] and leftovers(models) == []


def test_cancel_midway_and_when_paused(client: HubClient, models: Path) -> None:
    d = Download(client, REPO, q4(client), models, backoff=0.01)
    d.on_progress = lambda p: d.cancel() if p.done > p.total // 3 else None
    with pytest.raises(HubError, match="cancelled"):
        d.run()
    assert d.state is DownloadState.CANCELLED and leftovers(models) == []

    paused = Download(client, REPO, q4(client), models, backoff=0.01)
    pause_midway(paused)
    with pytest.raises(HubError):
        paused.run()
    assert paused.partial.exists()
    paused.cancel()
    assert paused.state is DownloadState.CANCELLED and leftovers(models) == []
    with pytest.raises(HubError, match="cancelled"):
        paused.run()


def test_not_enough_disk_space(hub: FakeHub, client: HubClient, models: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 5_000_000, 5_000_000))
    with pytest.raises(HubError, match=r"Not enough disk space.*67\.\d MB.*5\.0 MB is free"):
        Download(client, REPO, q4(client), models, backoff=0.01).run()
    assert list(models.iterdir()) == [] and hub.file_requests() == []


def test_damaged_gguf_with_matching_hash(hub: FakeHub, client: HubClient, models: Path) -> None:
    hub.repos[REPO]["Broken-Q4_0.gguf"] = b"GGUF" + b"\xff" * 70_000
    file = next(f for f in client.gguf_files(REPO) if f.path == "Broken-Q4_0.gguf")
    with pytest.raises(HubError, match="not a usable GGUF model: it is damaged"):
        Download(client, REPO, file, models, backoff=0.01).run()
    assert list(models.glob("*.gguf")) == [] and leftovers(models) == []


def test_sharded_model(client: HubClient, models: Path, gguf_files: dict[str, bytes]) -> None:
    files = client.gguf_files("tiny/Sharded-GGUF")
    paths = [Download(client, "tiny/Sharded-GGUF", f, models, backoff=0.01).run() for f in files]
    assert paths == [models / "Sharded-Q4_K_M-00001-of-00002.gguf", models / "Sharded-Q4_K_M-00002-of-00002.gguf"]
    assert [p.read_bytes() for p in paths] == [gguf_files["shard1"], gguf_files["shard2"]]


def test_target_already_present(hub: FakeHub, client: HubClient, models: Path,
                                gguf_files: dict[str, bytes]) -> None:
    file = q4(client)
    hub.requests.clear()
    (models / NAME).write_bytes(gguf_files["q4"])
    assert Download(client, REPO, file, models).run() == models / NAME
    assert hub.requests == []
    assert not (models / PARTIAL_DIR).exists()


def test_target_with_other_content_is_not_overwritten(hub: FakeHub, client: HubClient, models: Path) -> None:
    file = q4(client)
    (models / NAME).write_bytes(b"my own file")
    with pytest.raises(HubError, match="different file named"):
        Download(client, REPO, file, models).run()
    assert (models / NAME).read_bytes() == b"my own file"


def test_gated_download_and_missing_file(hub: FakeHub, models: Path) -> None:
    file = make_repo_file("Gated-BF16.gguf", 10, None)
    with pytest.raises(AuthRequired, match="accept the licence"):
        Download(HubClient(), "tiny/Gated-GGUF", file, models, backoff=0.01).run()
    with pytest.raises(HubError, match="no longer in"):
        Download(HubClient(), REPO, make_repo_file("Gone.gguf", 10, None), models, backoff=0.01).run()
    assert list(models.glob("*.gguf")) == []


def test_offline_download_makes_no_request(hub: FakeHub, models: Path) -> None:
    with pytest.raises(OfflineError):
        Download(HubClient(offline=True), REPO, make_repo_file(NAME, 10, None), models).run()
    assert hub.requests == []


def test_stale_partial_of_another_version_is_discarded(client: HubClient, models: Path,
                                                       gguf_files: dict[str, bytes]) -> None:
    d = Download(client, REPO, q4(client), models, backoff=0.01)
    d.partial.parent.mkdir()
    d.partial.write_bytes(b"x" * 1000)
    d.sidecar.write_text(json.dumps({"repo": REPO, "path": NAME, "size": 5, "sha256": "old", "url": ""}))
    d.run()
    assert (models / NAME).read_bytes() == gguf_files["q4"]


def test_progress_estimate() -> None:
    assert DownloadProgress(done=50, total=150, bytes_per_second=10.0).seconds_left == 10.0
    assert DownloadProgress(done=50, total=150, bytes_per_second=0.0).seconds_left is None
