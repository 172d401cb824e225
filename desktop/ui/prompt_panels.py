"""The system prompt editor (with starter presets) and the raw prompt view."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

SYSTEM_PRESETS: dict[str, str] = {
    "None": "",
    "Helpful assistant": "You are a helpful assistant. Answer clearly and concisely.",
    "Concise expert": "You are an expert. Give short, precise answers. Say when you are unsure.",
    "Code helper": "You are a programming assistant. Answer with working code in fenced code blocks "
    "and a brief explanation.",
    "Translator": "Translate the user's message into English. Reply with the translation only.",
}


class SystemPromptEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets = QComboBox()
        self.presets.setObjectName("systemPresetCombo")
        self.presets.addItem("Starter prompts…")
        self.presets.addItems(list(SYSTEM_PRESETS))
        self.presets.setToolTip("Fill the system prompt with a starting point you can edit.")
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("systemPromptEdit")
        self.edit.setPlaceholderText("Instructions the model sees before the conversation (the system prompt).")
        self.edit.setToolTip("Sent in front of every turn of this conversation. Changes apply to the next reply.")
        self.edit.setMaximumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.presets)
        layout.addWidget(self.edit)
        self.presets.activated.connect(self._choose)

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    def _choose(self, index: int) -> None:
        name = self.presets.itemText(index)
        if name in SYSTEM_PRESETS:
            self.edit.setPlainText(SYSTEM_PRESETS[name])
        self.presets.setCurrentIndex(0)


class RawPromptView(QWidget):
    """Exactly the text the model receives for the current conversation, special tokens included."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QPlainTextEdit()
        self.view.setObjectName("rawPromptView")
        self.view.setReadOnly(True)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setPlaceholderText("The rendered prompt appears here once a model is loaded.")
        self.tokens = QLabel("")
        self.tokens.setObjectName("rawPromptTokensLabel")
        self.template = QLabel("")
        self.template.setObjectName("rawPromptTemplateLabel")
        self.template.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.template)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.tokens)

    def show_prompt(self, text: str, template_label: str) -> None:
        if text != self.view.toPlainText():
            self.view.setPlainText(text)
        self.template.setText(f"Rendered with: {template_label}. The next reply is generated after this text.")
        self.tokens.setText("Counting tokens…")

    def show_error(self, message: str) -> None:
        self.view.setPlainText("")
        self.template.setText(message)
        self.tokens.setText("")

    def show_token_count(self, count: int, n_ctx: int) -> None:
        self.tokens.setText(f"{count} tokens of {n_ctx} in the context" if count >= 0 else "")
