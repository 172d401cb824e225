"""The system prompt editor (with starter presets) and the raw prompt view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.core.i18n import number, translate
from desktop.core.prompting.probabilities import TokenPiece
from desktop.core.prompting.sections import EXAMPLES, HISTORY, NEW_MESSAGE, SYSTEM, TEMPLATE
from desktop.ui.chat.raw_prompt_tokens import MAX_TOKEN_VIEW, TokenTextView

STALE_TOKENS_MS = 400  # how long the old tokens stay on screen while a changed prompt is tokenised
SHOWN_CHARS = 400_000  # a prompt too long for the context anyway is shown as its beginning and its end



def tokens_tip() -> str:
    return translate("RawPromptView", "Show the prompt as the model reads it: each token on its own shade, special "
                     "tokens in purple. Hover a token for its id and section.")


def system_presets() -> dict[str, tuple[str, str]]:
    """The starter system prompts: key (English, for code and tests) -> (name shown, prompt), in the person's
    language: a Chinese prompt asks for Chinese replies."""
    return {
        "None": (translate("SystemPromptEditor", "None"), ""),
        "Helpful assistant": (
            translate("SystemPromptEditor", "Helpful assistant"),
            translate("SystemPromptEditor", "You are a helpful assistant. Answer clearly and concisely.")),
        "Concise expert": (
            translate("SystemPromptEditor", "Concise expert"),
            translate("SystemPromptEditor", "You are an expert. Give short, precise answers. Say when you are "
                      "unsure.")),
        "Code helper": (
            translate("SystemPromptEditor", "Code helper"),
            translate("SystemPromptEditor", "You are a programming assistant. Answer with working code in fenced "
                      "code blocks and a brief explanation.")),
        "Translator": (
            translate("SystemPromptEditor", "Translator"),
            translate("SystemPromptEditor", "Translate the user's message into English. Reply with the "
                      "translation only.")),
    }


def section_name(section: str) -> str:
    """A prompt section's name (desktop.core.prompting.sections) as shown under the raw prompt."""
    names = {SYSTEM: translate("RawPromptView", "system"), EXAMPLES: translate("RawPromptView", "examples"),
             HISTORY: translate("RawPromptView", "history"), NEW_MESSAGE: translate("RawPromptView", "new message"),
             TEMPLATE: translate("RawPromptView", "template")}
    return names.get(section, section)


class SystemPromptEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets = QComboBox()
        self.presets.setObjectName("systemPresetCombo")
        self.presets.addItem(translate("SystemPromptEditor", "Starter prompts…"))
        for key, (name, _prompt) in system_presets().items():
            self.presets.addItem(name, key)
        self.presets.setToolTip(translate("SystemPromptEditor",
                                          "Fill the system prompt with a starting point you can edit."))
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("systemPromptEdit")
        self.edit.setPlaceholderText(translate(
            "SystemPromptEditor", "Instructions the model sees before the conversation (the system prompt)."))
        self.edit.setToolTip(translate(
            "SystemPromptEditor", "Sent in front of every turn of this conversation. Changes apply to the next reply."))
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
        starters = system_presets()
        key = self.presets.itemData(index)
        if key in starters:
            self.edit.setPlainText(starters[key][1])
        self.presets.setCurrentIndex(0)


class RawPromptView(QWidget):
    """Exactly the text the model receives for the current conversation, special tokens included, as plain text
    or token by token (boundaries, ids on hover, special tokens marked) with a count per section."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QPlainTextEdit()
        self.view.setObjectName("rawPromptView")
        self.view.setReadOnly(True)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setPlaceholderText(translate(
            "RawPromptView", "The rendered prompt appears here once a model is loaded."))
        self.token_view = TokenTextView()
        self.tokens_toggle = QCheckBox(translate("RawPromptView", "Show tokens"))
        self.tokens_toggle.setObjectName("rawPromptTokensToggle")
        self.tokens_toggle.setChecked(True)
        self.tokens_toggle.setToolTip(tokens_tip())
        self.tokens = QLabel("")
        self.tokens.setObjectName("rawPromptTokensLabel")
        self.sections = QLabel("")
        self.sections.setObjectName("rawPromptSectionsLabel")
        self.sections.setWordWrap(True)
        self.sections.setToolTip(translate(
            "RawPromptView", "Tokens of the system prompt, few-shot examples, earlier messages and "
                                           "the new message (with the text that asks for the reply). Template: "
                                           "tokens outside any message, such as the start-of-text token."))
        self.template = QLabel("")
        self.template.setObjectName("rawPromptTemplateLabel")
        self.template.setWordWrap(True)
        self.left_out = QLabel("")
        self.left_out.setObjectName("rawPromptLeftOutLabel")
        self.left_out.setWordWrap(True)
        self.left_out.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.template)
        layout.addWidget(self.left_out)
        layout.addWidget(self.tokens_toggle)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.token_view, 1)
        layout.addWidget(self.sections)
        layout.addWidget(self.tokens)
        self._has_tokens = False  # the token view shows the current text
        self._text = ""  # the prompt shown (in part, when longer than SHOWN_CHARS)
        self._stale = QTimer(self)  # a new text waits this long for its tokens before the plain text shows
        self._stale.setSingleShot(True)
        self._stale.setInterval(STALE_TOKENS_MS)
        self._stale.timeout.connect(self._update_views)
        self.tokens_toggle.toggled.connect(self._update_views)
        self.tokens_toggle.setVisible(False)  # until the tokens of a prompt are known
        self._update_views()

    def show_prompt(self, text: str, template_label: str) -> None:
        if text != self._text:
            self._text = text
            if len(text) > SHOWN_CHARS:
                half = SHOWN_CHARS // 2
                hidden = translate(
                    "RawPromptView", "[… {count} characters not shown …]").format(count=number(len(text) - 2 * half))
                text = f"{text[:half]}\n\n{hidden}\n\n{text[-half:]}"
            self.view.setPlainText(text)
            if self._has_tokens:
                self._has_tokens = False
                self._stale.start()
        self.template.setText(translate(
            "RawPromptView", "Rendered with: {template}. The next reply is generated after this text.")
                              .format(template=template_label))
        self.tokens.setText(translate("RawPromptView", "Counting tokens…"))

    def show_left_out(self, messages: int) -> None:
        """How many of the oldest messages the prompt leaves out because they no longer fit the context."""
        self.left_out.setText(translate(
            "RawPromptView", "%n earlier messages are left out: they no longer fit the context.", None,
                                        messages) if messages else "")
        self.left_out.setVisible(messages > 0)

    def show_error(self, message: str) -> None:
        self._text = ""
        self.show_left_out(0)
        self.view.setPlainText("")
        self.token_view.show_tokens([])
        self._has_tokens = False
        self.template.setText(message)
        self.tokens.setText("")
        self.sections.setText("")
        self.tokens_toggle.setVisible(False)
        self._update_views()

    def show_token_count(self, count: int, n_ctx: int, exact: bool = True) -> None:
        """`exact` False: the prompt has more than `count` tokens (too many to count them all)."""
        if count < 0:
            self.tokens.setText("")
        else:
            self.tokens.setText(translate(
                "RawPromptView", "{count} tokens of {size} in the context").format(count=count, size=n_ctx)
                                if exact else translate(
                                    "RawPromptView", "more than {count} tokens: too long for the context of {size}")
                                .format(count=number(count), size=n_ctx))

    def show_pieces(self, pieces: Sequence[TokenPiece], sections_counts: Mapping[str, int], n_ctx: int,
                    token_sections: Sequence[str] = ()) -> None:
        """The current text's tokens (empty when they could not be had), their count per section, and each
        token's section for the hover text."""
        self._stale.stop()
        counts = [f"{section_name(name)} {count}" for name, count in sections_counts.items() if count]
        self.sections.setText(translate(
            "RawPromptView", "{counts} tokens").format(counts=" · ".join(counts)) if counts and pieces
                              else "")
        if pieces:
            self.show_token_count(len(pieces), n_ctx)
        too_long = len(pieces) > MAX_TOKEN_VIEW
        self.token_view.show_tokens([] if too_long else pieces, token_sections)
        self._has_tokens = bool(pieces) and not too_long
        self.tokens_toggle.setEnabled(not too_long)
        self.tokens_toggle.setToolTip(
            translate("RawPromptView", "This prompt has more than {count} tokens, too many to show one by one.")
            .format(count=number(MAX_TOKEN_VIEW)) if too_long else tokens_tip())
        self.tokens_toggle.setVisible(bool(pieces))
        self._update_views()

    def showing_tokens(self) -> bool:
        """Whether the token view (rather than the plain text) is the one shown."""
        return self.tokens_toggle.isChecked() and (self._has_tokens or self._stale.isActive())

    def _update_views(self) -> None:
        tokens = self.showing_tokens()
        self.token_view.setVisible(tokens)
        self.view.setVisible(not tokens)
