"""Guards against Qt-binding releases that corrupt reference counts (PySide6 6.12.0 on Python 3.11 did:
every processEvents() released None once, and the app aborted with "deallocating None" within minutes)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel


class _Emitter(QObject):
    text = Signal(str)
    value = Signal(object)


def test_common_calls_keep_singleton_refcounts(qapp: QApplication) -> None:
    emitter = _Emitter()
    emitter.text.connect(lambda _t: None)
    emitter.value.connect(lambda _v: None)
    label = QLabel()
    timer = QTimer()
    timer.setSingleShot(True)
    singletons = (None, True, False)
    before = [sys.getrefcount(s) for s in singletons]
    for _ in range(5000):
        qapp.processEvents()
        qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 0)
        emitter.text.emit("x")
        emitter.value.emit(None)
        label.setText("x")
        timer.isActive()
    after = [sys.getrefcount(s) for s in singletons]
    assert all(abs(a - b) < 50 for a, b in zip(after, before, strict=True)), (before, after)
