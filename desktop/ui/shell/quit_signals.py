"""Ctrl+C (SIGINT) and SIGTERM close Parley as its window's close button does, so the reply so far and the settings
are saved, instead of a KeyboardInterrupt traceback in whatever slot was running (SIGINT) or an unsaved death.

Python runs a signal handler only when its interpreter gets control, which Qt's event loop does not give it while
idle: signal.set_wakeup_fd makes each signal write a byte to a socket, whose QSocketNotifier wakes the event loop
and so lets the handler run; the handler then asks for the close from the event loop, never from inside a slot.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from PySide6.QtCore import QSocketNotifier, QTimer

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def quit_on_signals(close: Callable[[], None]) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM call `close` once, from the event loop (main thread, with a
    QCoreApplication). A second signal while closing ends the process at once, as before."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def drain() -> None:  # running Python here is what lets the interpreter call the handler below
        with suppress(OSError):
            while reader.recv(512):
                pass

    def handle(_signum: int, _frame: FrameType | None) -> None:
        for signum in QUIT_SIGNALS:  # asked again while closing: do not wait for the clean close
            signal.signal(signum, signal.SIG_DFL)
        QTimer.singleShot(0, close)

    notifier.activated.connect(drain)
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    previous = {signum: signal.getsignal(signum) for signum in QUIT_SIGNALS}
    try:
        for signum in QUIT_SIGNALS:
            signal.signal(signum, handle)
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        reader.close()
        writer.close()
