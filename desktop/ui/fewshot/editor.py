"""The left half of the Few-shot page: every field of a FewShotTemplate, editable, plus the query's variables."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.fewshot.scoring import LIKELIHOOD, RULES
from desktop.core.fewshot.template import FewShotError, FewShotTemplate, RenderMode, check_labels, load_template
from desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from desktop.ui.fewshot.examples import ExamplesModel, example_text
from desktop.ui.fewshot.labels import modes, rule_label
from desktop.ui.widgets import named_button, tab_moves_focus

_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}
# The shipped English samples' names, shown in the interface's language (the template itself keeps its name).
SAMPLE_NAMES = (
    QT_TRANSLATE_NOOP("SampleTemplates", "Entailment (premise and hypothesis)"),
    QT_TRANSLATE_NOOP("SampleTemplates", "Multiple choice (A-D)"),
    QT_TRANSLATE_NOOP("SampleTemplates", "Sentiment (reviews)"),
    QT_TRANSLATE_NOOP("SampleTemplates", "Same meaning? (sentence pairs)"),
)
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def sample_order(names: list[str], chinese_first: bool) -> list[int]:
    """Indexes of the samples, those written in the interface's language first (Chinese samples have Chinese
    names), each group in name order."""
    return sorted(range(len(names)), key=lambda i: (bool(_CJK.search(names[i])) != chinese_first, names[i]))


def escape_line(text: str) -> str:
    """Separators and queries often hold line breaks, which a one-line box cannot show; write them as \\n."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def unescape_line(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def labels_text(labels: list[str]) -> str:
    """Labels as one editable line, "positive, negative"; a comma inside a label is written \\,."""
    return ", ".join(label.replace("\\", "\\\\").replace(",", "\\,") for label in labels)


def parse_labels(text: str) -> list[str]:
    """The inverse of labels_text; an empty line is no labels. Empty labels are kept so check_labels names them."""
    if not text.strip():
        return []
    labels: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char if char in "\\," else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            labels.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    labels.append("".join(current).strip())
    return labels


def labels_problem(template: FewShotTemplate) -> str:
    """What is wrong with the labels, or "": they must be a usable answer set whenever there are any, and
    "Most likely answer" needs them."""
    if template.scoring != LIKELIHOOD and not template.labels:
        return ""
    try:
        check_labels(template.labels, translate("TemplateEditor", "Labels"))
    except FewShotError as exc:
        return str(exc)
    return ""


class TemplateEditor(QWidget):
    """Shows a FewShotTemplate as fields and gives back the edited one; `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, examples: ExamplesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.examples = examples
        self._loaded = FewShotTemplate()  # keeps what the form does not show: the version
        self._values: dict[str, str] = {}

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("templateNameEdit")
        self.name_edit.setPlaceholderText(translate("TemplateEditor", "Template name"))
        self.description_edit = QLineEdit()
        self.description_edit.setObjectName("templateDescriptionEdit")
        self.description_edit.setPlaceholderText(translate("TemplateEditor",
                                                           "Description: what the template is for (optional)"))
        self.new_button = named_button("newTemplateButton", translate("TemplateEditor", "New"),
                                       translate("TemplateEditor", "Start an empty template"))
        self.open_button = named_button("openTemplateButton", translate("TemplateEditor", "Open…"),
                                        translate("TemplateEditor", "Open a few-shot template (.json)"))
        self.save_button = named_button("saveTemplateButton", translate("TemplateEditor", "Save"),
                                        translate("TemplateEditor", "Save the template (the version goes up)"))
        self.save_as_button = named_button("saveTemplateAsButton", translate("TemplateEditor", "Save as…"),
                                           translate("TemplateEditor", "Save the template to a new file"))
        self.sample_combo = QComboBox()
        self.sample_combo.setObjectName("sampleTemplateCombo")
        self.sample_combo.setToolTip(translate("TemplateEditor",
                                               "Start from one of the sample templates that come with Parley"))
        file_row = QHBoxLayout()  # under the name, so the buttons keep their labels in a narrow window
        for widget in (self.new_button, self.open_button, self.save_button, self.save_as_button):
            file_row.addWidget(widget)
        file_row.addStretch(1)
        self.new_button.clicked.connect(self.new_template)

        self.instruction_edit = tab_moves_focus(QPlainTextEdit())
        self.instruction_edit.setObjectName("instructionEdit")
        self.instruction_edit.setPlaceholderText(
            translate("TemplateEditor", "Instruction: what the task is (the system prompt in chat mode)"))
        self.instruction_edit.setMaximumHeight(90)

        self.table = QTableView()
        self.table.setObjectName("examplesTable")
        self.table.setModel(examples)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # texts share the width
        for narrow in (0, 3):  # On, Tokens
            header.setSectionResizeMode(narrow, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = named_button("addExampleButton", translate("TemplateEditor", "Add"),
                                       translate("TemplateEditor", "Add an empty example"))
        self.remove_button = named_button("removeExampleButton", translate("TemplateEditor", "Remove"),
                                          translate("TemplateEditor", "Remove the selected example"))
        self.up_button = named_button("moveExampleUpButton", translate("TemplateEditor", "Up"),
                                      translate("TemplateEditor", "Move the selected example earlier"))
        self.down_button = named_button("moveExampleDownButton", translate("TemplateEditor", "Down"),
                                        translate("TemplateEditor", "Move the selected example later"))
        self.import_button = named_button("importExamplesButton", translate("TemplateEditor", "Import…"),
                                          translate("TemplateEditor", "Add examples from a CSV, TSV or JSONL file"))
        self.export_button = named_button("exportExamplesButton", translate("TemplateEditor", "Export…"),
                                          translate("TemplateEditor", "Write the examples to a file"))
        example_buttons = QGridLayout()  # two rows of three: every label whole in a narrow window
        for n, button in enumerate((self.add_button, self.remove_button, self.import_button, self.up_button,
                                    self.down_button, self.export_button)):
            example_buttons.addWidget(button, n // 3, n % 3)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(lambda: self.examples.remove_example(self.selected_row()))
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))

        self.query_edit = self._line(
            "queryTemplateEdit",
            translate("TemplateEditor", r"How each query reads: {input} and any other {name}; \n is a line break"))
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("renderModeCombo")
        for mode, label in modes():
            self.mode_combo.addItem(label, mode)
        self.mode_combo.setToolTip(
            translate("TemplateEditor", "Base models continue a document; chat models answer turns in their template"))
        self.input_label_edit = self._line("inputLabelEdit", translate("TemplateEditor",
                                                                       "Label before each input, e.g. Review:"))
        self.output_label_edit = self._line("outputLabelEdit", translate("TemplateEditor",
                                                                         "Label before each answer, e.g. Sentiment:"))
        self.separator_edit = self._line("separatorEdit", translate("TemplateEditor",
                                                                    r"Text between examples; \n is a line break"))
        self.scoring_combo = QComboBox()
        self.scoring_combo.setObjectName("scoringRuleCombo")
        for key in RULES:
            self.scoring_combo.addItem(rule_label(key), key)
        self.pattern_edit = self._line("regexPatternEdit", translate("TemplateEditor",
                                                                     "Pattern for the regular-expression rule"))
        self.labels_edit = self._line(
            "labelsEdit",
            translate("TemplateEditor",
                      "The answers to choose between, separated by commas, e.g. positive, negative. The model "
                      "scores each\nlabel after the prompt and the most probable one is its answer; nothing is "
                      "generated.\nA label may use {column} fields filled from each test item, e.g. {option_a}, "
                      "{option_b}.\nWrite \\, for a comma inside a label."))
        self.labels_edit.setPlaceholderText("positive, negative")
        self.calibrate_check = QCheckBox(translate("TemplateEditor", "Calibrate (content-free inputs)"))
        self.calibrate_check.setObjectName("calibrateCheck")
        self.calibrate_check.setToolTip(translate("TemplateEditor",
            "Divide out the preference the prompt itself gives each label, measured by running it with\n"
            "content-free inputs (\u201cN/A\u201d, empty, \u201c[MASK]\u201d) in place of the test input.\n"
            "Zhao et al. 2021, \u201cCalibrate Before Use: Improving Few-Shot Performance of Language Models\u201d.\n"
            "Labels must not use {column} fields."))
        format_form = QFormLayout()
        format_form.addRow(translate("TemplateEditor", "Query"), self.query_edit)
        format_form.addRow(translate("TemplateEditor", "Mode"), self.mode_combo)
        format_form.addRow(translate("TemplateEditor", "Input label"), self.input_label_edit)
        format_form.addRow(translate("TemplateEditor", "Output label"), self.output_label_edit)
        format_form.addRow(translate("TemplateEditor", "Separator"), self.separator_edit)
        format_form.addRow(translate("TemplateEditor", "Scoring"), self.scoring_combo)
        format_form.addRow(translate("TemplateEditor", "Pattern"), self.pattern_edit)
        format_form.addRow(translate("TemplateEditor", "Labels"), self.labels_edit)
        format_form.addRow("", self.calibrate_check)
        self._format_form = format_form

        self.variables_box = QGroupBox(translate("TemplateEditor", "Query values for the preview and Run once"))
        self.variables_form = QWidget()
        self.variables_form.setObjectName("variablesForm")
        self._variables_layout = QFormLayout(self.variables_form)
        QVBoxLayout(self.variables_box).addWidget(self.variables_form)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name_edit)
        layout.addLayout(file_row)
        layout.addWidget(self.description_edit)
        layout.addWidget(self.sample_combo)
        layout.addWidget(self.instruction_edit)
        layout.addWidget(self.table, 1)
        layout.addLayout(example_buttons)
        layout.addLayout(format_form)
        layout.addWidget(self.variables_box)

        for signal in (self.name_edit.textChanged, self.description_edit.textChanged, self.instruction_edit.textChanged,
                       self.input_label_edit.textChanged, self.output_label_edit.textChanged,
                       self.separator_edit.textChanged, self.pattern_edit.textChanged, self.labels_edit.textChanged,
                       self.mode_combo.currentIndexChanged, self.scoring_combo.currentIndexChanged,
                       self.examples.edited):
            signal.connect(self._edited)
        self.query_edit.textChanged.connect(self._query_changed)
        self.scoring_combo.currentIndexChanged.connect(self._update_pattern_enabled)
        self.set_template(FewShotTemplate())
        self._update_pattern_enabled()

    def _line(self, name: str, tip: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setToolTip(tip)
        return edit

    # --- template in and out -----------------------------------------------------------

    def set_template(self, template: FewShotTemplate) -> None:
        self._loaded = template
        self.name_edit.setText(template.name)
        self.description_edit.setText(template.description)
        self.instruction_edit.setPlainText(template.instruction)
        self.query_edit.setText(escape_line(template.query_template))
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(template.mode)))
        self.input_label_edit.setText(template.input_label)
        self.output_label_edit.setText(template.output_label)
        self.separator_edit.setText(escape_line(template.example_separator))
        self.scoring_combo.setCurrentIndex(max(0, self.scoring_combo.findData(template.scoring)))
        self.pattern_edit.setText(template.pattern or "")
        self.labels_edit.setText(labels_text(template.labels))
        self.examples.set_examples(template.examples)
        self._query_changed()
        self.refresh_token_costs()

    def new_template(self) -> None:
        """Everything empty: fields, description, examples and the query values typed for the preview."""
        for edit in self._variable_edits().values():
            edit.clear()
        self._values = {}
        self.set_template(FewShotTemplate())

    def template(self) -> FewShotTemplate:
        """The template exactly as the form shows it, whatever state the fields are in."""
        return replace(
            self._loaded,
            name=self.name_edit.text().strip() or "Untitled",
            description=self.description_edit.text().strip(),
            instruction=self.instruction_edit.toPlainText(),
            examples=self.examples.examples(),
            query_template=unescape_line(self.query_edit.text()),
            mode=RenderMode(self.mode_combo.currentData()),
            input_label=self.input_label_edit.text(),
            output_label=self.output_label_edit.text(),
            example_separator=unescape_line(self.separator_edit.text()),
            scoring=self.scoring_combo.currentData(),
            pattern=self.pattern_edit.text() or None,
            labels=parse_labels(self.labels_edit.text()),
        )

    def calibrate(self) -> bool:
        """A run option rather than part of the template: only "Most likely answer" runs can be calibrated."""
        return self.is_likelihood() and self.calibrate_check.isChecked()

    def is_likelihood(self) -> bool:
        return bool(self.scoring_combo.currentData() == LIKELIHOOD)

    def fill_samples(self, folder: Path) -> None:
        """The sample templates shipped in resources/templates, by name; a broken one still shows by file name."""
        self.sample_combo.addItem(translate("TemplateEditor", "Sample templates…"), None)
        paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
        names = []
        for path in paths:
            try:
                names.append(load_template(path).name)
            except FewShotError:
                names.append(path.stem)
        chinese = QLocale().language() == QLocale.Language.Chinese
        for i in sample_order(names, chinese_first=chinese):
            label = translate("SampleTemplates", names[i]) if names[i] in SAMPLE_NAMES else names[i]
            self.sample_combo.addItem(label, str(paths[i]))

    def set_version(self, version: int) -> None:
        self._loaded = replace(self._loaded, version=version)

    def variable_values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self._variable_edits().items()}

    def set_variable(self, name: str, value: str) -> None:
        edit = self._variable_edits().get(name)
        if edit is not None:
            edit.setText(value)

    # --- examples ---------------------------------------------------------------------------

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.examples.rowCount():
            self.table.selectRow(row)

    def _add(self) -> None:
        row = self.examples.add_example()
        self.select_row(row)
        self.table.edit(self.examples.index(row, 1))

    def _move(self, delta: int) -> None:
        row = self.selected_row()
        if row >= 0:
            self.select_row(self.examples.move_example(row, delta))

    # --- reactions ---------------------------------------------------------------------------------

    def _edited(self) -> None:
        self.changed.emit()

    def refresh_token_costs(self) -> None:
        """Called after typing pauses: a label edit changes every example's text, so every count is asked again."""
        current = self.template()
        self.examples.set_renderer(lambda example: example_text(current, example))

    def _update_pattern_enabled(self) -> None:
        self.pattern_edit.setEnabled(self.scoring_combo.currentData() == "regex")
        likelihood = self.is_likelihood()
        self._format_form.setRowVisible(self.labels_edit, likelihood)
        self._format_form.setRowVisible(self.calibrate_check, likelihood)

    def _variable_edits(self) -> dict[str, QLineEdit]:
        return {edit.objectName().removeprefix("variable_"): edit
                for edit in self.variables_form.findChildren(QLineEdit)}

    def _query_changed(self) -> None:
        """Rebuild the variables form for the new query template, keeping values typed so far."""
        try:
            names = self.template().variables()
        except FewShotError:
            names = None  # half-typed braces: keep the form as it is until the template parses
        if names is not None and names != list(self._variable_edits()):
            self._values.update(self.variable_values())
            while self._variables_layout.rowCount():
                self._variables_layout.removeRow(0)
            for name in names:
                edit = QLineEdit(self._values.get(name, ""))
                edit.setObjectName(f"variable_{name}")
                edit.setPlaceholderText(translate("TemplateEditor", "value for {{{name}}}").format(name=name))
                edit.textChanged.connect(self._edited)
                self._variables_layout.addRow(name, edit)
            self.examples.set_variables(names)
        self._edited()
