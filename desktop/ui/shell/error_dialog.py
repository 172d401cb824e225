"""Unexpected errors, told: a dialog with the traceback, "Copy details" and where the log is; one at a time, always
on the GUI thread whichever thread failed."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.i18n import translate
from desktop.core.logs import LogSetup, configure, install_excepthooks

log = logging.getLogger(__name__)


def open_log_folder(folder: Path) -> bool:
    """Show the log folder in the file manager (made first, so there is something to open)."""
    with contextlib.suppress(OSError):  # the file manager says what is wrong with it
        folder.mkdir(parents=True, exist_ok=True)
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))


class ErrorDialog(QDialog):
    """What went wrong, in plain text: the error's last line, the log's path, and the traceback to copy."""

    def __init__(self, details: str, log_file: Path | None, log_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(translate("ErrorDialog", "Parley: something went wrong"))
        self.details = details
        lines = [line for line in details.strip().splitlines() if line.strip()]
        summary = lines[-1].strip() if lines else translate("ErrorDialog", "an unexpected error")
        message = QLabel(translate(
            "ErrorDialog", "Something went wrong inside Parley: {summary}\n\nParley keeps running, but what you were "
            "doing may not have finished. If it happens again, please report it with the details below."
        ).format(summary=summary))
        where = (translate("ErrorDialog", "The details are also in the log: {file}").format(file=log_file)
                 if log_file is not None
                 else translate("ErrorDialog", "The log could not be written in {folder}: copy the details to keep "
                                               "them.").format(folder=log_folder))
        self.log_label = QLabel(where)
        self.log_label.setObjectName("errorLogPath")
        for label in (message, self.log_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_view = QPlainTextEdit(details)
        self.details_view.setObjectName("errorDetails")
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(translate("ErrorDialog", "Copy details"))
        self.copy_button.setObjectName("copyDetailsButton")
        self.copy_button.clicked.connect(self.copy_details)
        folder_button = QPushButton(translate("ErrorDialog", "Open log folder"))
        folder_button.setObjectName("errorOpenLogFolderButton")
        folder_button.clicked.connect(lambda: open_log_folder(log_folder))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.log_label)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)  # fits the smallest supported window (1024×640)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(translate("ErrorDialog", "Copied"))


class ErrorReporter(QObject):
    """report() from any thread; the dialog opens on the GUI thread, after the failing code has unwound. While one
    is open, further errors are only logged (they already are, by the hook): no stack of dialogs, no recursion."""

    _reported = Signal(str)

    def __init__(self, log_file: Path | None, log_folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_file, self._log_folder = log_file, log_folder
        self.dialog: ErrorDialog | None = None
        self._broken = False
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, details: str) -> None:
        self._reported.emit(details)

    @Slot(str)
    def _show(self, details: str) -> None:
        if self.dialog is not None or self._broken:
            return
        try:
            dialog = ErrorDialog(details, self._log_file, self._log_folder, QApplication.activeWindow())
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(self._closed)
            dialog.open()
        except Exception:  # boundary: a dialog that cannot be shown must not become the next error to show
            self._broken = True
            log.exception("Could not show the error dialog; errors are only logged from now on")
            return
        self.dialog = dialog

    def _closed(self) -> None:
        self.dialog = None


@dataclass
class ErrorReporting:
    """The log and the hooks, as set up at start; `close` undoes them (tests: other tests are unaffected)."""

    logs: LogSetup
    reporter: ErrorReporter
    undo_hooks: Callable[[], None]

    def close(self) -> None:
        self.undo_hooks()
        self.logs.close()
        if self.reporter.dialog is not None:
            self.reporter.dialog.close()
        self.reporter.deleteLater()


def start_error_reporting(log_folder: Path, parent: QObject | None = None) -> ErrorReporting:
    """Once, at GUI start: the log file, the crash file, and the hooks that log and show unexpected errors."""
    logs = configure(log_folder)
    reporter = ErrorReporter(logs.log_file, log_folder, parent or QApplication.instance())
    return ErrorReporting(logs, reporter, install_excepthooks(reporter.report))
