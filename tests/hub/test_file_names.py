"""File names come from the server: only plain names are downloaded, and nothing is ever written outside
<data>/models whatever a server lists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.cli.models import main
from desktop.hub.client import HubClient
from desktop.hub.download import PARTIAL_DIR, Download
from desktop.hub.errors import HubError
from desktop.hub.listing import make_repo_file
from desktop.hub.names import unsafe_name_reason
from tests.hub.fake_hub import FakeHub

pytestmark = pytest.mark.usefixtures("small_chunks")

EVIL = "evil/Names-GGUF"
HOSTILE = [
    "/etc/x.gguf",
    "../../x.gguf",
    "sub/../../../x.gguf",
    "..\\..\\x.gguf",
    "C:\\x.gguf",
    "C:x.gguf",
    ".gguf",
    ".hidden-Q4_0.gguf",
    "./x.gguf",
    "a//x.gguf",
    "x\x1b]0;pwned\x07\x1b[2J.gguf",
    "tab\tx.gguf",
    "CON.gguf",
    "x" * 300 + ".gguf",
    "é" * 100 + ".gguf",  # 205 bytes in UTF-8
    "what?.gguf",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_refused(name: str) -> None:
    assert unsafe_name_reason(name) is not None


@pytest.mark.parametrize("name", ["Tiny-Q4_K_M.gguf", "Q4_K_M/Sharded-Q4_K_M-00001-of-00002.gguf", "a b (1).gguf",
                                  "modèle-Q8_0.gguf", "x" * 195 + ".gguf", "a.b.gguf"])
def test_plain_names_pass(name: str) -> None:
    assert unsafe_name_reason(name) is None


def tree(root: Path, skip: Path) -> dict[str, int]:
    """Every path under root (not under skip) with its size, and every folder."""
    found: dict[str, int] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == skip or skip in here.parents:
            continue
        for d in dirs:
            found[str(here / d)] = -1
        for f in files:
            found[str(here / f)] = (here / f).stat().st_size
    return found


@pytest.fixture
def evil_hub(hub: FakeHub, gguf_files: dict[str, bytes]) -> FakeHub:
    hub.add(EVIL, {name: gguf_files["q4"] for name in HOSTILE} | {"sub/Safe-Q4_K_M.gguf": gguf_files["q4"]})
    return hub


def test_nothing_is_written_outside_models_whatever_the_server_lists(
        evil_hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], gguf_files: dict[str, bytes]) -> None:
    data = tmp_path / "data"
    models = data / "models"
    assert main(["--data-dir", str(data), "list"]) == 0  # creates the data folder
    outside = tree(tmp_path, models)
    client = HubClient()
    for name in HOSTILE:
        capsys.readouterr()
        assert main(["--data-dir", str(data), "download", EVIL, name]) == 1
        err = capsys.readouterr().err
        assert "refuses the file name" in err and "has no model named" not in err, err
        assert "\x1b" not in err and "\x07" not in err
        file = make_repo_file(name, len(gguf_files["q4"]), None)  # past the listing: Download checks too
        d = Download(client, EVIL, file, models, backoff=0.01)
        with pytest.raises(HubError, match="refuses the file name"):
            d.run()
        d.cancel()
    assert main(["--data-dir", str(data), "download", EVIL, "sub/Safe-Q4_K_M.gguf"]) == 0
    assert tree(tmp_path, models) == outside
    assert sorted(p.name for p in models.iterdir()) == [PARTIAL_DIR, "Safe-Q4_K_M.gguf"]
    assert list((models / PARTIAL_DIR).iterdir()) == []  # no stale sidecar or partial
    assert [r for r in evil_hub.file_requests() if "Safe" not in r.path] == []  # refused before any request


def test_files_lists_only_safe_names_and_says_what_it_skipped(evil_hub: FakeHub, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "files", EVIL]) == 0
    out, err = capsys.readouterr()
    assert out.count(".gguf") == 1 and "sub/Safe-Q4_K_M.gguf" in out
    assert f"skipped {len(HOSTILE)} files" in err and "../../x.gguf" in err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;pwned\\x07" in err
    assert [f.path for f in HubClient().gguf_files(EVIL)] == ["sub/Safe-Q4_K_M.gguf"]


def test_a_repo_with_only_refused_names(hub: FakeHub, gguf_files: dict[str, bytes]) -> None:
    hub.add("evil/Only-GGUF", {"../../x.gguf": gguf_files["q4"]})
    with pytest.raises(HubError, match=r'refuses.*"\.\./\.\./x\.gguf"'):
        HubClient().gguf_files("evil/Only-GGUF")


def test_resume_ignores_a_sidecar_with_a_hostile_path(tmp_path: Path) -> None:
    from desktop.hub.download import pending_downloads

    folder = tmp_path / "models" / PARTIAL_DIR
    folder.mkdir(parents=True)
    (folder / "a.json").write_text('{"repo": "a/b", "path": "../../x.gguf", "size": 5, "sha256": null}')
    assert pending_downloads(tmp_path / "models") == []
