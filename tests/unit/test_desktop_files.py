"""Linux desktop integration: the .desktop entry, AppStream metainfo, icon sizes and `make install-desktop`."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.parley.Parley"
LINUX = ROOT / "resources" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics", "Network",
                   "Office", "Science", "Settings", "System", "Utility"}
FIELD_CODES = {"%f", "%F", "%u", "%U", "%i", "%c", "%k", "%%"}
SCRIPT = ROOT / "packaging" / "install-desktop.sh"
needs_bash = pytest.mark.skipif(sys.platform == "win32" or shutil.which("bash") is None,
                                reason="the installer is a bash script for Linux desktops")


def parse_desktop(text: str) -> dict[str, dict[str, str]]:
    """The Desktop Entry format as desktop-file-validate reads it; anything malformed fails the test."""
    groups: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        assert line == line.rstrip(), f"line {number} has trailing whitespace"
        if line.startswith("["):
            assert line.endswith("]"), f"line {number}: bad group header"
            name = line[1:-1]
            assert name not in groups, f"group {name} appears twice"
            current = groups[name] = {}
            continue
        assert current is not None, "a key before the first group"
        key, sep, value = line.partition("=")
        assert sep, f"line {number} is not key=value"
        assert re.fullmatch(r"[A-Za-z0-9-]+(\[[A-Za-z_@.]+\])?", key), f"line {number}: bad key {key!r}"
        assert key not in current, f"key {key} appears twice"
        current[key] = value
    assert next(iter(groups), None) == "Desktop Entry", "the first group must be [Desktop Entry]"
    return groups


def exec_arguments(value: str) -> list[str]:
    """Split an Exec value by the spec: string escapes first, then double-quote rules."""
    value = value.replace("\\\\", "\x00").replace("\\s", " ").replace("\x00", "\\")
    args, current, quoted, i, started = [], "", False, 0, False
    while i < len(value):
        char = value[i]
        if quoted and char == "\\" and i + 1 < len(value) and value[i + 1] in '"`$\\':
            current, i = current + value[i + 1], i + 2
            continue
        if char == '"':
            quoted, started = not quoted, True
        elif char == " " and not quoted:
            if current or started:
                args.append(current)
            current, started = "", False
        else:
            current += char
        i += 1
    assert not quoted, "unterminated quote in Exec"
    if current or started:
        args.append(current)
    return args


def pyproject_field(name: str) -> str:
    match = re.search(rf'^{name} = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    assert match, f"pyproject.toml has no {name}"
    return match.group(1)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_desktop_entry_has_the_keys_a_launcher_needs() -> None:
    entry = parse_desktop(DESKTOP.read_text(encoding="utf-8"))["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Parley"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false" and entry["StartupNotify"] in ("true", "false")
    args = exec_arguments(entry["Exec"])
    assert args[0] == "parley"
    assert all(not a.startswith("%") or a in FIELD_CODES for a in args)
    for key in ("Categories", "Keywords", "MimeType"):
        assert entry[key].endswith(";"), f"{key} must end with ';'"
    assert MAIN_CATEGORIES & set(entry["Categories"].split(";")[:-1])
    assert "application/x-gguf" in entry["MimeType"].split(";")


def test_desktop_entry_passes_desktop_file_validate() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_matches_the_project() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == pyproject_field("license")
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("content_rating") is not None
    versions = [r.get("version") for r in root.iter("release")]
    assert versions[0] == pyproject_field("version"), "the newest release must be pyproject's version"


def test_metainfo_passes_appstreamcli_validate() -> None:
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed")
    result = subprocess.run([tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gguf_file_type_is_declared() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(MIME).getroot().find("m:mime-type", ns)
    assert mime is not None and mime.get("type") == "application/x-gguf"
    assert mime.find("m:glob", ns).get("pattern") == "*.gguf"  # type: ignore[union-attr]


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_has_its_size(size: int) -> None:
    assert png_size(HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)


def test_scalable_icon_is_the_app_icon() -> None:
    scalable = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ROOT / "resources" / "icons" / "parley.svg").read_bytes()


def run_script(mode: str, data_home: Path, exec_path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "PATH": "/usr/bin:/bin"}
    env.pop("PARLEY_EXEC", None)
    if exec_path is not None:
        env["PARLEY_EXEC"] = exec_path
    return subprocess.run(["bash", str(SCRIPT), mode], capture_output=True, text=True, env=env)


@needs_bash
def test_install_desktop_registers_and_removes_the_launcher(tmp_path: Path) -> None:
    program = "/opt/My Apps/100% parley/parley"  # a space and a % exercise the Exec quoting
    out = run_script("install", tmp_path, program)
    assert out.returncode == 0, out.stderr
    installed = tmp_path / "applications" / f"{APP_ID}.desktop"
    entry = parse_desktop(installed.read_text(encoding="utf-8"))["Desktop Entry"]
    assert [arg.replace("%%", "%") for arg in exec_arguments(entry["Exec"])] == [program, "%f"]
    assert entry["TryExec"] == program
    assert entry["Icon"] == APP_ID and entry["Name"] == "Parley"
    for size in ICON_SIZES:
        assert (tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (tmp_path / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (tmp_path / "mime" / "packages" / f"{APP_ID}.xml").is_file()
    tool = shutil.which("desktop-file-validate")
    if tool is not None:  # the rewritten Exec/TryExec lines must still be valid
        result = subprocess.run([tool, str(installed)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout

    out = run_script("uninstall", tmp_path)
    assert out.returncode == 0, out.stderr
    assert not installed.exists()
    assert not list((tmp_path / "icons").rglob(f"{APP_ID}.*"))
    assert not (tmp_path / "metainfo" / METAINFO.name).exists()


@needs_bash
def test_install_desktop_through_make_uses_the_given_data_home(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("PARLEY_EXEC", "XDG_DATA_HOME", "MAKEFLAGS")}
    env["PARLEY_EXEC"] = "/usr/bin/true"
    out = subprocess.run(["make", "-s", "-C", str(ROOT), "install-desktop", f"XDG_DATA_HOME={tmp_path}"],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    entry = parse_desktop((tmp_path / "applications" / f"{APP_ID}.desktop").read_text())["Desktop Entry"]
    assert entry["Exec"] == "/usr/bin/true %f"


@needs_bash
def test_install_desktop_refuses_a_relative_program(tmp_path: Path) -> None:
    out = run_script("install", tmp_path, "dist/parley/parley")
    assert out.returncode != 0 and "absolute path" in out.stderr
    assert not (tmp_path / "applications").exists()
