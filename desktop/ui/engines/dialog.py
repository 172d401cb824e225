"""Settings › Engines: "This computer" (the in-process llama.cpp) and the servers the person added, each with what
its last probe found it can do. Adding a server (or saving a changed one) probes it in the background; a server that
does not answer stays in the list with the reason, because a server that is down now may be up later."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.engines.capability_lines import capability_lines
from desktop.core.engines.config import engine_problem, unencrypted_warning
from desktop.core.i18n import number, translate
from desktop.inference.remote.client import EngineProbe
from desktop.ui.engines.directory import EngineDirectory
from desktop.ui.theme import bar_style
from desktop.ui.widgets import fit_label, named_button, plain_label, plain_tip

NAME_ROLE = Qt.ItemDataRole.UserRole  # the engine's name on each row of the list; "" for this computer
MAX_TIMEOUT_S = 3600
YES, NO = "\u2713", "\u2717"


def local_lines() -> list[tuple[str, bool]]:
    """What the in-process llama.cpp does: everything but constrained output."""
    return capability_lines(chat=True, completions=True, token_probabilities=True, post_sampling_probs=True,
                            scores_text=True, tokenizes_and_templates=True, grammar=False, reproducible=True)


class EnginesDialog(QDialog):
    enginesChanged = Signal()  # an engine was added, changed or removed
    probed = Signal(object)  # EngineProbe: an engine answered (its models are on the Models page)

    def __init__(self, directory: EngineDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enginesDialog")
        self.setWindowTitle(translate("EnginesDialog", "Engines"))
        self.resize(900, 640)
        self.directory = directory
        self.settings = directory.settings
        self._key_note = ""  # where a key just saved is kept, said once after saving

        self.engine_list = QListWidget(self)
        self.engine_list.setObjectName("engineList")
        self.engine_list.setToolTip(translate("EnginesDialog",
                                              "Where models run: this computer, or a server you added."))
        self.remove_button = named_button("engineRemoveButton", translate("EnginesDialog", "Remove"),
                                          translate("EnginesDialog", "Forget this server and its API key"))
        self.probe_button = named_button("engineProbeButton", translate("EnginesDialog", "Probe again"),
                                         translate("EnginesDialog", "Ask the server again what it serves and what it "
                                                   "can do"))
        fit_label(self.remove_button, self.probe_button)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.probe_button)
        list_buttons.addStretch(1)
        list_buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.engine_list, 1)
        left.addLayout(list_buttons)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("engineNameEdit")
        self.name_edit.setPlaceholderText(translate("EnginesDialog", "gpu-box", "an example name for a server"))
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("engineUrlEdit")
        self.url_edit.setPlaceholderText("http://gpu-box:8080")
        self.url_edit.setToolTip(translate("EnginesDialog", "The server's base address: llama-server listens on port "
                                           "8080, vLLM on 8000. A trailing /v1 is fine."))
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("engineKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(translate("EnginesDialog",
                                                   "optional (llama-server --api-key, vllm serve --api-key)"))
        self.key_where = plain_label(directory.keys.where, "engineKeyWhere")
        self.key_where.setWordWrap(True)
        self.key_where.setEnabled(False)  # a quiet note
        self.add_button = named_button("engineAddButton", translate("EnginesDialog", "Add and probe"),
                                       translate("EnginesDialog", "Keep this server and ask it what it serves and "
                                                 "what it can do"))
        self.add_button.setDefault(True)
        self.form_box = QGroupBox(translate("EnginesDialog", "Add a server"), self)
        form = QFormLayout(self.form_box)
        form.addRow(translate("EnginesDialog", "Name"), self.name_edit)
        form.addRow(translate("EnginesDialog", "Base URL"), self.url_edit)
        form.addRow(translate("EnginesDialog", "API key"), self.key_edit)
        form.addRow("", self.key_where)
        form.addRow("", self.add_button)

        self.capabilities = QListWidget(self)
        self.capabilities.setObjectName("engineCapabilities")
        self.capabilities.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.capabilities.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.capabilities.setWordWrap(True)
        self.capabilities.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        capability_box = QGroupBox(translate("EnginesDialog", "What it can do"), self)
        QVBoxLayout(capability_box).addWidget(self.capabilities)
        right = QVBoxLayout()
        right.addWidget(self.form_box)
        right.addWidget(capability_box, 1)

        self.message = plain_label(name="engineMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.timeout_spin = QSpinBox(self)
        self.timeout_spin.setObjectName("engineTimeoutSpin")
        self.timeout_spin.setRange(1, MAX_TIMEOUT_S)
        self.timeout_spin.setSuffix(translate("EnginesDialog", " s"))
        self.timeout_spin.setValue(round(self.settings.engine_timeout))
        self.timeout_spin.setToolTip(translate("EnginesDialog", "How long a server may stay silent before a request "
                                               "fails. A big model's first token on a busy server can take a minute."))
        timeout_label = QLabel(translate("EnginesDialog", "Wait for a server up to"), self)
        timeout_label.setBuddy(self.timeout_spin)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(timeout_label)
        bottom.addWidget(self.timeout_spin)
        bottom.addStretch(1)
        bottom.addWidget(close)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

        self.engine_list.currentRowChanged.connect(self._selection_changed)
        self.name_edit.textChanged.connect(self._name_changed)
        self.add_button.clicked.connect(self.save_engine)
        self.probe_button.clicked.connect(self.probe_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.timeout_spin.valueChanged.connect(self._timeout_changed)
        directory.probed.connect(self._probed)
        directory.failed.connect(self._failed)
        directory.probing.connect(self._refresh_if_selected)
        self._fill_list()

    # --- what the person does -----------------------------------------------------------------

    def selected_engine(self) -> str:
        """The selected server's name; "" for this computer (or nothing selected)."""
        item = self.engine_list.currentItem()
        return str(item.data(NAME_ROLE) or "") if item is not None else ""

    def select(self, name: str) -> None:
        for row in range(self.engine_list.count()):
            if (self.engine_list.item(row).data(NAME_ROLE) or "") == name:
                self.engine_list.setCurrentRow(row)
                return

    def save_engine(self) -> None:
        """Add the server in the form (or save a changed URL or key for one already there), then probe it."""
        name, url, key = self.name_edit.text().strip(), self.url_edit.text().strip(), self.key_edit.text().strip()
        problem = engine_problem(name, url, set(self.settings.engines) - {name})
        if problem:
            self._say(problem, "error")
            return
        self.directory.save(name, url, key or None)
        self._fill_list(select=name)
        self._key_note = translate("EnginesDialog", "The API key is saved. {where}").format(
            where=self.directory.keys.where) if key else ""
        self.enginesChanged.emit()
        self.directory.probe(name)  # offline mode: `failed` with the reason, at once
        self._show_selected()

    def probe_selected(self) -> None:
        name = self.selected_engine()
        if name:
            self._key_note = ""
            self.directory.probe(name)
            self._show_selected()

    def remove_selected(self) -> None:
        name = self.selected_engine()
        if not name:
            return
        self.directory.remove(name)
        self._fill_list()
        self.enginesChanged.emit()
        self._say(translate("EnginesDialog", "{name} was removed, with its API key. Its models are no longer on the "
                            "Models page.").format(name=name), "info")

    # --- showing -------------------------------------------------------------------------------

    def _fill_list(self, select: str | None = None) -> None:
        chosen = self.selected_engine() if select is None else select
        self.engine_list.blockSignals(True)
        self.engine_list.clear()
        local = QListWidgetItem(translate("EnginesDialog", "This computer \u2014 in-process llama.cpp"))
        local.setData(NAME_ROLE, "")
        local.setToolTip(translate("EnginesDialog", "Models on this computer run inside Parley. Always there; it "
                                   "cannot be removed."))
        self.engine_list.addItem(local)
        for name in self.directory.names():
            config = self.directory.config(name)
            item = QListWidgetItem(f"{name} \u2014 {config.root if config else ''}")
            item.setData(NAME_ROLE, name)
            self.engine_list.addItem(item)
            self._mark(item)
        self.engine_list.blockSignals(False)
        self.select(chosen if chosen in self.settings.engines else "")
        self._selection_changed()

    def _mark(self, item: QListWidgetItem) -> None:
        """The row's tooltip: what the last probe said."""
        name = str(item.data(NAME_ROLE) or "")
        found, error = self.directory.result(name), self.directory.error(name)
        count = len(found.models) if found else 0  # a plain name: lupdate skips a call whose count is an expression
        summary = (translate("EnginesDialog", "{kind}, %n model(s)", None, count).format(kind=found.kind)
                   if found else translate("EnginesDialog", "Not probed yet"))
        item.setToolTip(plain_tip(error or summary))

    def _selection_changed(self, _row: int = -1) -> None:
        name = self.selected_engine()
        self._key_note = ""
        self.name_edit.setText(name)
        config = self.directory.config(name) if name else None
        self.url_edit.setText(config.url if config else "")
        self.key_edit.setText((self.directory.keys.get(name) or "") if name else "")
        self._name_changed(name)  # setText alone says nothing when the name was typed before it was saved
        self._show_selected()

    def _name_changed(self, text: str) -> None:
        existing = text.strip() in self.settings.engines
        self.add_button.setText(translate("EnginesDialog", "Save and probe") if existing
                                else translate("EnginesDialog", "Add and probe"))
        self.form_box.setTitle(translate("EnginesDialog", "Change {name}").format(name=text.strip()) if existing
                               else translate("EnginesDialog", "Add a server"))

    def _show_selected(self) -> None:
        """The selected engine's capability list, and the message about it."""
        name = self.selected_engine()
        self.remove_button.setEnabled(bool(name))
        self.probe_button.setEnabled(bool(name) and not self.directory.is_probing(name))
        self.capabilities.clear()
        if not name:
            self._lines([translate("EnginesDialog", "In-process llama.cpp")], local_lines(),
                        [translate("EnginesDialog", "The models on the Models page run inside Parley.")])
            self._say(self._key_note, "info")
            return
        config = self.directory.config(name)
        found, error = self.directory.result(name), self.directory.error(name)
        parts: list[str] = []
        kind = "info"
        if self.directory.is_probing(name):
            self._lines([translate("EnginesDialog", "Probing {name}\u2026").format(name=name)], [], [])
            parts.append(translate("EnginesDialog", "Asking {name} what it serves and what it can do\u2026").format(
                name=name))
        elif error:
            self._lines([translate("EnginesDialog", "Not reachable when last probed.")], [], [])
            parts.append(translate("EnginesDialog", "{error} Parley keeps {name} in the list: probe it again once the "
                                   "server is up, or remove it.").format(error=error, name=name))
            kind = "error"
        elif found is not None:
            models = [f"    {m.id}" + (translate("EnginesDialog", " (context {tokens} tokens)").format(
                tokens=number(m.context_length)) if m.context_length else "") for m in found.models]
            heading = (translate("EnginesDialog", "{kind}, version {version}").format(kind=found.kind,
                                                                                     version=found.version)
                       if found.version else found.kind)
            self._lines([heading], found.capability_lines(),
                        [translate("EnginesDialog", "Models it serves (on the Models page):"), *models])
            count = len(found.models)  # a plain name: lupdate skips a call whose count is an expression
            parts.append(translate("EnginesDialog", "{name} is {article} {kind} serving %n model(s); they are listed "
                                   "on the Models page.", None, count).format(
                name=name, article=_article(found.kind), kind=found.kind))
            if not found.capabilities.reproducible and found.capabilities.reproducible_note:
                parts.append(found.capabilities.reproducible_note)
        else:
            self._lines([translate("EnginesDialog", "Not probed yet.")], [], [])
        if config is not None and config.unencrypted:
            parts.append(unencrypted_warning(config))
            kind = "error" if kind == "error" else "warning"
        if self._key_note:
            parts.append(self._key_note)
        self._say("\n".join(parts), kind)

    def _lines(self, heading: list[str], capabilities: list[tuple[str, bool]], tail: list[str]) -> None:
        for text in heading:
            self._add_line(text, bold=True)
        for label, supported in capabilities:
            self._add_line(f"{YES if supported else NO}  {label}", dim=not supported)
        if tail:
            self._add_line("")
        for text in tail:
            self._add_line(text)

    def _add_line(self, text: str, bold: bool = False, dim: bool = False) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled if not dim else Qt.ItemFlag.NoItemFlags)
        if bold:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.capabilities.addItem(item)

    def _say(self, text: str, kind: str = "info") -> None:
        self.message.setStyleSheet(bar_style("#engineMessage", kind))
        self.message.setProperty("kind", kind)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def capability_texts(self) -> list[str]:
        """The capability list's lines, as shown (for tests and scripts)."""
        return [self.capabilities.item(row).text() for row in range(self.capabilities.count())]

    # --- the directory's news ------------------------------------------------------------------

    def _probed(self, probe: EngineProbe) -> None:
        self.probed.emit(probe)
        self._refresh_if_selected(probe.engine.name)

    def _failed(self, name: str, _why: str) -> None:
        self._refresh_if_selected(name)

    def _refresh_if_selected(self, name: str) -> None:
        for row in range(self.engine_list.count()):
            item = self.engine_list.item(row)
            if item.data(NAME_ROLE) == name:
                self._mark(item)
        if name == self.selected_engine():
            self._show_selected()

    def _timeout_changed(self, seconds: int) -> None:
        self.settings.engine_timeout = float(seconds)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
