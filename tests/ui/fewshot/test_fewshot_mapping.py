"""The column-mapping step: two plain columns are input and answer, never the same column, and a test set without
answers can be tried but not scored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.core.fewshot.dataset import ColumnMapping, guess_mapping
from desktop.ui.fewshot.mapping import ColumnMappingDialog
from desktop.ui.fewshot.page import FewShotPage
from tests.fakes import FakeBackend
from tests.ui.fewshot.test_fewshot_page import SAMPLES, backend, child, loaded, open_sample, page  # noqa: F401


def test_two_unnamed_columns_are_input_then_answer() -> None:
    assert guess_mapping(["country", "capital"]) == ColumnMapping("country", "capital")
    assert guess_mapping(["word"]) == ColumnMapping("word", None)
    assert guess_mapping(["review", "stars", "sentiment"]).expected == "sentiment"


def test_the_dialog_refuses_the_same_column_twice(qtbot: QtBot) -> None:
    dialog = ColumnMappingDialog("capitals.csv", ["country", "capital"], ["input"], need_expected=True)
    qtbot.addWidget(dialog)
    expected = dialog.findChild(QComboBox, "mappingExpectedCombo")
    assert expected is not None and expected.currentData() == "capital"
    expected.setCurrentIndex(expected.findData("country"))
    dialog.show()
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.accepted.emit()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.isVisible()
    problem = dialog.findChild(QLabel, "mappingProblem")
    assert problem is not None and "country" in problem.text() and problem.isVisible()
    expected.setCurrentIndex(expected.findData("capital"))
    buttons.accepted.emit()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_test_set_without_answers_is_not_scored(page: FewShotPage, tmp_path: Path) -> None:  # noqa: F811
    open_sample(page, SAMPLES / "sentiment.json")
    words = tmp_path / "reviews.csv"
    words.write_text("review\nGreat film\nDull plot\n", encoding="utf-8")
    assert page.import_test_set(words, ColumnMapping("review", None))
    assert "2 items from reviews.csv" in child(page, QLabel, "testSetLabel").text()
    child(page, QPushButton, "runBatchButton").click()
    message = child(page, QLabel, "fewShotMessage").text()
    assert "no expected answers" in message and "reviews.csv" in message
    assert not page.is_busy()


def test_the_page_runs_with_its_own_settings_not_the_chats(qtbot: QtBot, page: FewShotPage,  # noqa: F811
                                                             backend: FakeBackend) -> None:  # noqa: F811
    from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

    temperature = child(page, QDoubleSpinBox, "fewShotTemperatureSpin")
    assert temperature.value() == 0.0 and temperature.isVisibleTo(page)
    child(page, QSpinBox, "fewShotMaxTokensSpin").setValue(5)
    child(page, QSpinBox, "fewShotSeedSpin").setValue(1234)
    open_sample(page, SAMPLES / "sentiment.json")
    assert page.import_test_set(SAMPLES / "sentiment-test.csv", ColumnMapping("review", "sentiment"))
    page.run_batch()
    qtbot.waitUntil(lambda: page.last_run() is not None and not page.is_busy(), timeout=10_000)
    run = page.last_run()
    assert run is not None
    assert (run.sampling["temperature"], run.sampling["max_tokens"], run.sampling["seed"]) == (0.0, 5, 1234)
    assert all(r.params.max_tokens == 5 and r.params.temperature == 0.0 for r in backend.requests)


def test_new_template_clears_everything_including_the_description(page: FewShotPage) -> None:  # noqa: F811
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    open_sample(page, SAMPLES / "sentiment.json")
    description = child(page, QLineEdit, "templateDescriptionEdit")
    assert description.text()  # the sample's own description is shown, and can be edited
    child(page, QLineEdit, "variable_input").setText("A fine film")
    child(page, QPushButton, "newTemplateButton").click()
    assert description.text() == "" and page.template().description == ""
    assert child(page, QPlainTextEdit, "instructionEdit").toPlainText() == ""
    assert page.examples.rowCount() == 0 and page.template().examples == []
    assert all(not edit.text() for edit in page.findChildren(QLineEdit) if edit.objectName().startswith("variable_"))
    assert page.files.path is None


def test_results_show_every_template_value(qtbot: QtBot, page: FewShotPage) -> None:  # noqa: F811
    from PySide6.QtWidgets import QTableView

    open_sample(page, SAMPLES / "entailment.json")
    assert page.import_test_set(SAMPLES / "entailment-test.tsv", ColumnMapping("premise", "label"))
    page.run_batch()
    qtbot.waitUntil(lambda: page.last_run() is not None and not page.is_busy(), timeout=10_000)
    model = child(page, QTableView, "evalResults").model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Line", "Input", "{hypothesis}"] and headers[-1] == "Time"
    run = page.last_run()
    assert run is not None and model.data(model.index(0, 2)) == run.results[0].variables["hypothesis"] != ""


def test_the_page_suggests_the_base_model_while_another_is_loaded(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop.app import create_window
    from desktop.core.models.builtin import BUILTIN_FILENAME

    recording = FakeBackend()
    window = create_window(tmp_path / "fresh", backend=recording)  # starts on the instruction-tuned built-in
    qtbot.addWidget(window.window)
    qtbot.waitUntil(lambda: window.controller.model is not None)
    workbench = window.fewshot  # type: ignore[attr-defined]
    assert workbench.suggestion.isVisibleTo(workbench)
    child(workbench, QPushButton, "fewShotUseBaseButton").click()
    qtbot.waitUntil(lambda: recording.loaded is not None and recording.loaded.name == BUILTIN_FILENAME)
    qtbot.waitUntil(lambda: not workbench.suggestion.isVisibleTo(workbench))
    window.window.close()
