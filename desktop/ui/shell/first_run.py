"""The welcome panel shown above the chat the first time Parley opens.

It says what Parley is, whether the built-in model is ready, where it runs (GPU or CPU) and the offline promise,
and offers the two next steps: chat now, or find a chat model on Hugging Face. It sits above the chat view and
never covers the message box, so typing and sending work while it shows (the first message dismisses it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.core.i18n import translate
from desktop.core.models.builtin import BASE_NAME, CHAT_NAME, is_base_builtin, is_chat_builtin
from desktop.core.settings import Settings
from desktop.inference.backend import LoadedModel
from desktop.ui.chat.controller import ChatController
from desktop.ui.shell.about_dialog import offline_promise
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.theme import bar_style
from desktop.ui.widgets import named_button


def introduction() -> str:
    return translate(
        "FirstRunPanel", "Parley is a private chat app for language models that run entirely on this computer. Chat "
        "with a model, compare models side by side, build few-shot prompts and watch how a model chooses each token.")


def built_ins() -> str:
    return translate(
        "FirstRunPanel", "Two small models come built in: {chat} answers in the chat (it was trained to follow "
        "instructions), and {base}, a base model that continues text, is for few-shot prompts on the Few-shot page. "
        "For longer, better answers, download a bigger chat model.").format(chat=CHAT_NAME, base=BASE_NAME)


STYLE = """
#firstRunPage { background: palette(alternate-base); border: 1px solid palette(mid); border-radius: 10px; }
#firstRunPage QLabel { color: palette(window-text); }
#firstRunTitle { font-size: 20px; font-weight: 600; }
#firstRunModelStatus, #firstRunGpuLine { font-weight: 600; }
""" + bar_style("#firstRunPrivacy", "success", "8px")


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # model names come from files
    return label


class FirstRunPanel(QFrame):
    """Dismissed by "Start chatting" (or the first message); `findModelRequested` asks for the Hugging Face page."""

    dismissed = Signal()
    findModelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunPage")
        self.setStyleSheet(STYLE)
        self.title = _label("firstRunTitle", translate("FirstRunPanel", "Welcome to Parley"))
        self.introduction = _label("firstRunIntroduction", introduction())
        self.built_ins = _label("firstRunBuiltIns", built_ins())
        self.model_status = _label("firstRunModelStatus", translate("FirstRunPanel", "Loading the model…"))
        self.gpu_line = _label("firstRunGpuLine", "")
        self.gpu_line.hide()
        self.privacy = _label("firstRunPrivacy", offline_promise())
        self.chat_button = named_button("firstRunChatButton", translate("FirstRunPanel", "Start chatting"),
                                        translate("FirstRunPanel", "Close this welcome and type a message below"))
        self.chat_button.setDefault(True)
        self.find_button = named_button("firstRunFindModelButton", translate("FirstRunPanel", "Find a chat model"),
                                        translate("FirstRunPanel", "Search Hugging Face for a chat model to download"))
        self.chat_button.clicked.connect(self.dismiss)
        self.find_button.clicked.connect(self.findModelRequested)

        buttons = QHBoxLayout()
        buttons.addWidget(self.chat_button)
        buttons.addWidget(self.find_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        for widget in (self.title, self.introduction, self.built_ins, self.model_status, self.gpu_line, self.privacy):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.privacy.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_loading(self, path: str) -> None:
        file = Path(path)
        if is_chat_builtin(file):
            text = translate("FirstRunPanel", "Loading the built-in chat model {name}…").format(name=CHAT_NAME)
        elif is_base_builtin(file):
            text = translate("FirstRunPanel", "Loading the built-in base model {name}…").format(name=BASE_NAME)
        else:
            text = translate("FirstRunPanel", "Loading {name}…").format(name=file.name)
        self.model_status.setText(text)

    def set_model(self, model: LoadedModel | None) -> None:
        """The model that is loaded now (None: the load failed) and where its layers run."""
        if model is None:
            self.model_status.setText(translate(
                "FirstRunPanel", "No model is loaded yet: choose one on the Models page, or find one below."))
            self.gpu_line.hide()
            return
        path = model.info.path
        if is_chat_builtin(path):
            text = translate("FirstRunPanel", "The built-in chat model {name} loaded and ready").format(name=CHAT_NAME)
        elif is_base_builtin(path):
            text = translate("FirstRunPanel", "The built-in base model {name} loaded and ready").format(name=BASE_NAME)
        else:
            text = translate("FirstRunPanel", "{name} loaded and ready").format(name=model.info.name)
        self.model_status.setText(text)
        self.gpu_line.setText(model.offload_sentence)
        self.gpu_line.show()

    def dismiss(self) -> None:
        if self.isHidden():
            return
        self.hide()
        self.dismissed.emit()


def install_first_run(window: MainWindow, controller: ChatController, settings: Settings,
                      open_hub: Callable[[], None]) -> FirstRunPanel:
    """Show the welcome above the chat until dismissed; dismissing (or a first message) marks the first run done.
    It follows the person's model through the session, as the chat does."""
    panel = FirstRunPanel()
    window.set_welcome(panel)
    session = controller.session
    session.loading.connect(panel.set_loading)
    session.modelChanged.connect(panel.set_model)
    session.loadFailed.connect(lambda *_args: panel.set_model(session.model))
    controller.generationStarted.connect(panel.dismiss)
    panel.findModelRequested.connect(open_hub)
    panel.dismissed.connect(lambda: setattr(settings, "first_run_done", True))
    panel.chat_button.clicked.connect(lambda: window.message_input.setFocus())
    return panel
