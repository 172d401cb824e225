"""The main window: layout and widgets only; behaviour lives in ChatController."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.i18n import translate
from desktop.ui.chat.message_input import MessageInput
from desktop.ui.chat.prompt_panels import RawPromptView, SystemPromptEditor
from desktop.ui.chat.view import ChatView
from desktop.ui.language import LANGUAGES
from desktop.ui.sampling.panel import SamplingPanel
from desktop.ui.sampling.view import SamplingView
from desktop.ui.theme import bar_style
from desktop.ui.widgets import fit_label, named_button, scrolls_down


class NoticeBanner(QWidget):
    """A dismissible message above the chat: load failures, generation errors, hints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBanner")
        self.label = QLabel()
        self.label.setObjectName("noticeText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote file names, roles, model names
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setObjectName("noticeClose")
        close.setToolTip(translate("NoticeBanner", "Dismiss"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.setAutoFillBackground(True)
        self.hide()

    def show_message(self, text: str, error: bool = True) -> None:
        self.setStyleSheet(bar_style("#noticeBanner", "error" if error else "info", "2px"))
        self.setProperty("error", error)
        self.label.setText(text)
        self.show()


def _gguf_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf")]


class MainWindow(QMainWindow):
    closing = Signal()
    openModelRequested = Signal()
    filesDropped = Signal(object)  # list[Path] of .gguf files dropped on the window

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Parley")
        self.resize(1200, 780)

        self.notice = NoticeBanner()
        self.model_hint = QLabel()
        self.model_hint.setObjectName("modelHintLabel")
        self.model_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.model_hint.setWordWrap(True)
        self.model_hint.setStyleSheet(bar_style("#modelHintLabel", "warning", "6px 10px"))
        self.model_hint.hide()
        self.chat_view = ChatView()
        self.message_input = MessageInput()
        self.send_button = named_button("sendButton", translate("MainWindow", "Send"),
                                        translate("MainWindow", "Send the message (Enter)"))
        self.send_button.setDefault(True)
        self.stop_button = named_button("stopButton", translate("MainWindow", "Stop"),
                                        translate("MainWindow", "Stop the reply; the text so far stays (Esc)"))
        self.stop_button.setEnabled(False)
        self.regenerate_button = named_button("regenerateButton", translate("MainWindow", "Regenerate"),
                                              translate("MainWindow", "Generate the last reply again"))
        self.new_chat_button = named_button("newChatButton", translate("MainWindow", "New chat"),
                                            translate("MainWindow", "Start an empty conversation (Ctrl+N)"))
        self.token_view_button = named_button(
            "probabilityColoursButton", translate("MainWindow", "Token probabilities"),
            translate("MainWindow", "Show replies token by token, coloured by how likely the model found each one "
                      "(deeper orange: less likely). Hover a token for its alternatives; click it to continue from "
                      "another one."))
        self.token_view_button.setCheckable(True)

        fit_label(self.new_chat_button, self.regenerate_button, self.token_view_button, self.stop_button,
                  self.send_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_chat_button)
        buttons.addWidget(self.regenerate_button)
        buttons.addWidget(self.token_view_button)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.send_button)
        chat_column = QWidget()
        chat_layout = QVBoxLayout(chat_column)
        chat_layout.setContentsMargins(6, 6, 6, 6)
        chat_layout.addWidget(self.notice)
        chat_layout.addWidget(self.model_hint)
        chat_layout.addWidget(self.chat_view, 1)
        chat_layout.addWidget(self.message_input)
        chat_layout.addLayout(buttons)

        self.system_prompt = SystemPromptEditor()
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("chatTemplateCombo")
        self.template_combo.setToolTip(translate(
            "MainWindow", "How the conversation is turned into the text the model reads. Remembered for each model."
        ))
        self.sampling = SamplingPanel()
        self.raw_prompt = RawPromptView()
        self.sampling_view = SamplingView()

        settings_page = QWidget()
        settings_layout = QVBoxLayout(settings_page)
        system_group = QGroupBox(translate("MainWindow", "System prompt"))
        QVBoxLayout(system_group).addWidget(self.system_prompt)
        template_group = QGroupBox(translate("MainWindow", "Chat template"))
        QFormLayout(template_group).addRow(translate("MainWindow", "Template"), self.template_combo)
        sampling_group = QGroupBox(translate("MainWindow", "Sampling"))
        QVBoxLayout(sampling_group).addWidget(self.sampling)
        for group in (system_group, template_group, sampling_group):
            settings_layout.addWidget(group)
        settings_layout.addStretch(1)
        settings_scroll = scrolls_down(settings_page)  # never sideways: every control whole in a narrow window

        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sidePanel")
        self.side_tabs.addTab(settings_scroll, translate("MainWindow", "Settings"))
        self.side_tabs.addTab(self.raw_prompt, translate("MainWindow", "Raw prompt"))
        self.side_tabs.addTab(self.sampling_view, translate("MainWindow", "Sampling view"))

        splitter = QSplitter()
        splitter.setObjectName("chatSplitter")
        splitter.addWidget(chat_column)
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([780, 400])
        self.chat_splitter = splitter
        self.pages = QTabWidget()
        self.pages.setObjectName("mainTabs")
        self.pages.setDocumentMode(True)
        self.pages.addTab(splitter, translate("MainWindow", "Chat"))
        self.setCentralWidget(self.pages)
        self.setAcceptDrops(True)

        self.model_status = QLabel(translate("MainWindow", "No model loaded"))
        self.model_status.setObjectName("modelStatusLabel")
        # A model's name comes from its file: as rich text, <img src="file:///dev/zero"> read that file.
        self.model_status.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = QProgressBar()
        self.busy.setObjectName("busyIndicator")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(140)
        self.busy.hide()
        self.statusBar().addWidget(self.model_status, 1)
        self.statusBar().addPermanentWidget(self.busy)

        file_menu = self.menuBar().addMenu(translate("MainWindow", "&File"))
        open_action = QAction(translate("MainWindow", "&Open model…"), self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.openModelRequested)
        file_menu.addAction(open_action)
        file_menu.addSeparator()
        self.export_markdown_action = QAction(translate("MainWindow", "Export chat as &Markdown…"), self)
        self.export_markdown_action.setObjectName("exportMarkdownAction")
        self.export_json_action = QAction(translate("MainWindow", "Export chat as &JSON…"), self)
        self.export_json_action.setObjectName("exportJsonAction")
        self.import_chat_action = QAction(translate("MainWindow", "&Import chat (JSON)…"), self)
        self.import_chat_action.setObjectName("importChatAction")
        for action in (self.export_markdown_action, self.export_json_action, self.import_chat_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        self.offline_action = QAction(translate("MainWindow", "Offline &mode"), self)
        self.offline_action.setObjectName("offlineAction")
        self.offline_action.setCheckable(True)
        self.offline_action.setToolTip(translate(
            "MainWindow", "Make no network requests at all; everything but the Hugging Face page works."))
        file_menu.addAction(self.offline_action)
        quit_action = QAction(translate("MainWindow", "&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        settings_menu = self.menuBar().addMenu(translate("MainWindow", "&Settings"))
        self.engines_action = QAction(translate("MainWindow", "&Engines…"), self)
        self.engines_action.setObjectName("enginesAction")
        self.engines_action.setToolTip(translate(
            "MainWindow", "Run models on a server (llama-server, vLLM) as well as on this computer."))
        settings_menu.addAction(self.engines_action)
        view_menu = self.menuBar().addMenu(translate("MainWindow", "&View"))
        self.language_menu = view_menu.addMenu(translate("MainWindow", "&Language"))
        self.language_menu.setObjectName("languageMenu")
        self.language_actions = QActionGroup(self)
        self.language_actions.setExclusive(True)
        for code, name in (("", translate("MainWindow", "System language")), *LANGUAGES.items()):
            action = QAction(name, self)
            action.setObjectName(f"languageAction_{code or 'system'}")
            action.setCheckable(True)
            action.setData(code)
            self.language_actions.addAction(action)
            self.language_menu.addAction(action)
        help_menu = self.menuBar().addMenu(translate("MainWindow", "&Help"))
        self.about_action = QAction(translate("MainWindow", "&About Parley"), self)
        self.about_action.setObjectName("aboutAction")
        self.shortcuts_action = QAction(translate("MainWindow", "&Keyboard shortcuts"), self)
        self.shortcuts_action.setObjectName("shortcutsAction")
        self.open_log_folder_action = QAction(translate("MainWindow", "Open &log folder"), self)
        self.open_log_folder_action.setObjectName("openLogFolderAction")
        self.open_log_folder_action.setToolTip(translate(
            "MainWindow", "Parley's log and crash files, to look at or attach to a report."))
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.open_log_folder_action)
        help_menu.addAction(self.about_action)
        self.stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.new_chat_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        self.new_chat_shortcut.activated.connect(self.new_chat_button.click)
        self.message_input.setFocus()  # typing goes straight into the message box


    def layout_state(self) -> dict[str, str]:
        """Window size and position and the panes' widths, to restore next time."""
        return {
            "geometry": bytes(self.saveGeometry().toBase64().data()).decode("ascii"),
            "chat_splitter": bytes(self.chat_splitter.saveState().toBase64().data()).decode("ascii"),
        }

    def restore_layout(self, state: dict[str, str]) -> None:
        """Bad or old values are ignored by Qt, so a damaged setting never breaks start-up."""
        if "geometry" in state:
            self.restoreGeometry(QByteArray.fromBase64(state["geometry"].encode("ascii")))
        if "chat_splitter" in state:
            self.chat_splitter.restoreState(QByteArray.fromBase64(state["chat_splitter"].encode("ascii")))

    def set_conversation_list(self, sidebar: QWidget) -> None:
        """The saved conversations, left of the chat."""
        self.chat_splitter.insertWidget(0, sidebar)
        self.chat_splitter.setStretchFactor(0, 0)
        self.chat_splitter.setSizes([230, 700, 380])

    def set_welcome(self, panel: QWidget) -> None:
        """The first-run panel, above the model hint and the chat view: the message box below stays usable."""
        parent = self.chat_view.parentWidget()
        column = parent.layout() if parent is not None else None
        assert isinstance(column, QVBoxLayout)
        column.insertWidget(column.indexOf(self.model_hint), panel)

    def add_page(self, page: QWidget, title: str) -> None:
        self.pages.addTab(page, title)

    def show_chat(self) -> None:
        self.pages.setCurrentIndex(0)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _gguf_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _gguf_paths(event)
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
