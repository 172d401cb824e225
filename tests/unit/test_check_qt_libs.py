"""packaging/check-qt-libs.sh (run by `make run`): missing libraries in `ldd` output become a clear message with
the Debian/Ubuntu packages to install, instead of Qt's "could not load the Qt platform plugin" error."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "check-qt-libs.sh"
pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="the check is a bash script")

# ldd of PySide6's libqxcb.so on a minimal Ubuntu (trimmed): two libraries missing, one listed twice.
LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007f09c48a1000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f09c4736000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f09c4727000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibEGL.so.1 => not found
\tlibfancy-new.so.3 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f09c2a1e000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f09c48a3000)
"""
LDD_COMPLETE = """\
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f09c472f000)
\tlibdbus-1.so.3 => /lib/x86_64-linux-gnu/libdbus-1.so.3 (0x00007f09c2583000)
"""


def check(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], input=stdin, capture_output=True, text=True, timeout=30,
                          env=env, check=False)


def test_missing_libraries_are_named_with_their_packages() -> None:
    result = check("--parse", stdin=LDD_MISSING)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "Qt's xcb platform plugin" in lines[0]
    assert "    libxcb-cursor.so.0  (package libxcb-cursor0)" in lines
    assert "    libEGL.so.1  (package libegl1)" in lines
    assert sum("libxcb-icccm.so.4" in line for line in lines) == 1  # listed once though ldd lists it twice
    assert "    sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libegl1" in lines
    assert "    libfancy-new.so.3" in lines and any("apt-file search libfancy-new.so.3" in x for x in lines)
    assert not any("libxcb-util" in line or "libc.so" in line for line in lines)


def test_nothing_missing_passes_silently() -> None:
    result = check("--parse", stdin=LDD_COMPLETE)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "vnc"])
def test_skipped_for_plugins_that_need_no_windowing_libraries(platform: str) -> None:
    env = {**os.environ, "DISPLAY": ":0", "QT_QPA_PLATFORM": platform}
    assert check("/nonexistent/python", env=env).returncode == 0


def test_skipped_without_a_display() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    assert check("/nonexistent/python", env=env).returncode == 0
