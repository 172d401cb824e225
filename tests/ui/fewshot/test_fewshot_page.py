"""Widget tests for the Few-shot page: a real InferenceClient over the scripted FakeBackend."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox
from pytestqt.qtbot import QtBot

from desktop.core.fewshot.dataset import ColumnMapping
from desktop.core.fewshot.scoring import sweep_shots
from desktop.core.fewshot.template import RenderMode, load_template, sample_templates_dir
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.settings import Settings
from desktop.inference.backend import LoadedModel
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.fewshot.page import FewShotPage
from tests.fakes import FakeBackend

SAMPLES = sample_templates_dir()
SENTIMENT = SAMPLES / "sentiment.json"
SENTIMENT_TEST = SAMPLES / "sentiment-test.csv"
GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(reply="positive")


@pytest.fixture
def loaded(qtbot: QtBot, backend: FakeBackend) -> Iterator[tuple[ModelSession, LoadedModel]]:
    session = ModelSession(InferenceClient(backend), Settings())
    try:
        with qtbot.waitSignal(session.modelChanged) as blocker:
            session.load(Path("fake.gguf"))
        yield session, blocker.args[0]
    finally:
        session.client.shutdown()


@pytest.fixture
def page(qtbot: QtBot, loaded: tuple[ModelSession, LoadedModel], tmp_path: Path) -> FewShotPage:
    session, model = loaded
    widget = FewShotPage(session, SAMPLES, runs_dir=tmp_path / "runs")
    qtbot.addWidget(widget)
    widget.set_model(model, GEMMA)
    return widget


def child(page: FewShotPage, cls: type, name: str):  # type: ignore[no-untyped-def]
    widget = page.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def preview(page: FewShotPage) -> str:
    page.refresh_preview()  # what the 250 ms debounce would do
    return child(page, QPlainTextEdit, "fewShotPreview").toPlainText()


def open_sample(page: FewShotPage, path: Path) -> None:
    combo = child(page, QComboBox, "sampleTemplateCombo")
    index = combo.findData(str(path))
    assert index > 0, f"{path.name} is not offered"
    combo.activated.emit(index)


def click(qtbot: QtBot, page: FewShotPage, name: str) -> None:
    qtbot.mouseClick(child(page, QPushButton, name), Qt.MouseButton.LeftButton)


def run_to_end(qtbot: QtBot, page: FewShotPage, start: object) -> None:
    with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
        start()  # type: ignore[operator]


def test_named_widgets_exist(page: FewShotPage) -> None:
    assert page.objectName() == "fewShotWorkbench"
    for name in ("templateNameEdit", "openTemplateButton", "saveTemplateButton", "sampleTemplateCombo",
                 "instructionEdit", "examplesTable", "addExampleButton", "removeExampleButton",
                 "moveExampleUpButton", "moveExampleDownButton", "importExamplesButton", "exportExamplesButton",
                 "queryTemplateEdit", "renderModeCombo", "inputLabelEdit", "outputLabelEdit", "separatorEdit",
                 "scoringRuleCombo", "regexPatternEdit", "variablesForm", "fewShotPreview", "previewTokensLabel",
                 "runOnceButton", "tryOutput", "importTestSetButton", "testSetLabel", "shotsSpin",
                 "shotsRandomCheck", "shotsSeedSpin", "runBatchButton", "stopBatchButton", "batchProgress",
                 "accuracyLabel", "evalResults", "exportResultsButton", "sweepButton", "sweepChart",
                 "fewShotMessage", "labelsEdit", "calibrateCheck", "ordersSpin", "confusionTable", "runHistory",
                 "openRunButton", "deleteRunButton", "compareRunsButton"):
        assert page.findChild(object, name) is not None, name


def test_sentiment_sample_previews_the_exact_completion_document(qtbot: QtBot, page: FewShotPage) -> None:
    open_sample(page, SENTIMENT)
    data = json.loads(SENTIMENT.read_text(encoding="utf-8"))
    assert child(page, QLineEdit, "templateNameEdit").text() == data["name"]
    assert child(page, QPlainTextEdit, "instructionEdit").toPlainText() == data["instruction"]
    assert page.examples.rowCount() == len(data["examples"]) == 8
    assert child(page, QLineEdit, "separatorEdit").text() == "\\n\\n"
    child(page, QLineEdit, "variable_input").setText("Great value, would buy again.")
    shots = "\n\n".join(f"Review: {e['input']}\nSentiment: {e['output']}" for e in data["examples"])
    expected = f"{data['instruction']}\n\n{shots}\n\nReview: Great value, would buy again.\nSentiment:"
    assert preview(page) == expected
    qtbot.waitUntil(lambda: "tokens of 4,096" in child(page, QLabel, "previewTokensLabel").text())


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_sample_template_fills_the_editor(page: FewShotPage, path: Path) -> None:
    open_sample(page, path)
    template = load_template(path)
    for name in template.variables():
        child(page, QLineEdit, f"variable_{name}").setText(f"<{name}>")
    values = {name: f"<{name}>" for name in template.variables()}
    assert page.template() == template
    assert preview(page) == template.render_completion(values)
    assert child(page, QLabel, "fewShotMessage").isHidden()


def test_disabled_example_leaves_the_preview(page: FewShotPage) -> None:
    open_sample(page, SENTIMENT)
    first = page.examples.examples()[0].input
    assert first in preview(page)
    page.examples.set_enabled(0, False)
    assert first not in preview(page)
    assert child(page, QSpinBox, "shotsSpin").maximum() == 7
    assert child(page, QSpinBox, "shotsSpin").value() == 7


def test_moving_an_example_up_changes_the_preview_order(qtbot: QtBot, page: FewShotPage) -> None:
    open_sample(page, SENTIMENT)
    a, b = (e.input for e in page.examples.examples()[:2])
    assert preview(page).index(a) < preview(page).index(b)
    page.editor.select_row(1)
    click(qtbot, page, "moveExampleUpButton")
    assert preview(page).index(b) < preview(page).index(a)
    assert page.editor.selected_row() == 0


def test_chat_mode_preview_uses_the_gemma_template(page: FewShotPage) -> None:
    open_sample(page, SENTIMENT)
    combo = child(page, QComboBox, "renderModeCombo")
    combo.setCurrentIndex(combo.findData(RenderMode.CHAT))
    child(page, QLineEdit, "variable_input").setText("Loved it.")
    text = preview(page)
    instruction = page.template().instruction
    assert text.startswith(f"<bos><start_of_turn>user\n{instruction}\n\n")
    assert "<start_of_turn>model\npositive<end_of_turn>\n" in text
    assert text.endswith("<start_of_turn>user\nLoved it.<end_of_turn>\n<start_of_turn>model\n")


def test_missing_variable_is_named_and_nothing_typed_is_lost(page: FewShotPage) -> None:
    open_sample(page, SENTIMENT)
    child(page, QLineEdit, "queryTemplateEdit").setText("{input} (about {topic})")
    assert child(page, QLineEdit, "variable_topic") is not None
    text = preview(page)
    message = child(page, QLabel, "fewShotMessage")
    assert "topic" in message.text() and not message.isHidden()
    assert "topic" in text
    assert child(page, QLineEdit, "queryTemplateEdit").text() == "{input} (about {topic})"
    assert page.examples.rowCount() == 8


def test_import_test_set_through_a_mapping(page: FewShotPage, tmp_path: Path) -> None:
    open_sample(page, SENTIMENT)
    assert page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    assert child(page, QLabel, "testSetLabel").text() == "20 items from sentiment-test.csv"
    assert child(page, QPushButton, "runBatchButton").isEnabled()
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("review,sentiment\nfine,positive\nbroken,negative,extra\n", encoding="utf-8")
    assert not page.import_test_set(ragged, ColumnMapping("review", "sentiment"))
    message = child(page, QLabel, "fewShotMessage").text()
    assert "ragged.csv" in message and "3" in message
    assert child(page, QLabel, "testSetLabel").text() == "20 items from sentiment-test.csv"


def test_test_set_without_a_template_variable_is_refused(page: FewShotPage) -> None:
    open_sample(page, SAMPLES / "entailment.json")
    assert not page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    assert "hypothesis" in child(page, QLabel, "fewShotMessage").text()
    assert page.import_test_set(SAMPLES / "entailment-test.tsv", ColumnMapping("premise", "label"))
    assert child(page, QLabel, "testSetLabel").text() == "12 items from entailment-test.tsv"


def sentiment_labels() -> list[str]:
    with SENTIMENT_TEST.open(encoding="utf-8") as f:
        return [row["sentiment"] for row in csv.DictReader(f)]


def test_batch_run_scores_every_item(qtbot: QtBot, page: FewShotPage, backend: FakeBackend) -> None:
    open_sample(page, SENTIMENT)
    page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    run_to_end(qtbot, page, page.run_batch)
    run = page.last_run()
    assert run is not None and run.completed and len(run.results) == 20
    positives = sentiment_labels().count("positive")
    assert [r.passed for r in run.results] == [label == "positive" for label in sentiment_labels()]
    table = page.batch.results
    assert table.rowCount() == 20
    assert {table.index(row, 4).data() for row in range(20)} == {"pass", "fail"}
    assert table.index(0, 4).data(Qt.ItemDataRole.BackgroundRole) is not None
    accuracy = child(page, QLabel, "accuracyLabel").text()
    assert accuracy.startswith(f"Accuracy {positives / 20:.3f} ({positives}/20), 95% CI 0.")
    assert "prompt tokens evaluated of" in accuracy
    assert run.shots == 8 and run.seed >= 0 and run.sampling["seed"] == run.seed
    assert run.model_path == "fake.gguf" and run.data_path == str(SENTIMENT_TEST)
    assert all("\nReview:" in r.stop for r in backend.requests)
    assert child(page, QPushButton, "exportResultsButton").isEnabled()


def test_stop_ends_a_batch_early(qtbot: QtBot, page: FewShotPage, backend: FakeBackend) -> None:
    backend.reply = " ".join(["positive"] * 10)
    backend.delay = 0.01
    open_sample(page, SENTIMENT)
    page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    page.run_batch()
    assert child(page, QPushButton, "stopBatchButton").isEnabled()
    qtbot.waitUntil(lambda: page.batch.results.rowCount() >= 1, timeout=5000)
    run_to_end(qtbot, page, lambda: click(qtbot, page, "stopBatchButton"))
    run = page.last_run()
    assert run is not None and not run.completed and 1 <= len(run.results) < 20
    assert "stopped" in child(page, QLabel, "accuracyLabel").text()
    assert not child(page, QPushButton, "stopBatchButton").isEnabled()


def test_export_results_round_trip(qtbot: QtBot, page: FewShotPage, tmp_path: Path) -> None:
    open_sample(page, SENTIMENT)
    page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    run_to_end(qtbot, page, page.run_batch)
    run = page.last_run()
    assert run is not None
    assert page.export_results(tmp_path / "results.json") and page.export_results(tmp_path / "results.csv")
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["total"] == 20 and data["passed"] == run.passed and data["seed"] == run.seed
    assert data["template_name"] == "Sentiment (reviews)" and data["shots"] == 8
    assert data["model_sha256"] == ""  # fake.gguf is not a file; the hash is recorded as unknown
    with (tmp_path / "results.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [row["output"] for row in rows] == [r.output for r in run.results]
    assert [row["passed"] == "true" for row in rows] == [r.passed for r in run.results]


def test_sweep_plots_one_point_per_shot_count(qtbot: QtBot, page: FewShotPage) -> None:
    open_sample(page, SENTIMENT)
    page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    run_to_end(qtbot, page, lambda: click(qtbot, page, "sweepButton"))
    points = page.batch.chart.points()
    assert [x for x, _ in points] == [float(k) for k in sweep_shots(8)] == [0, 1, 2, 4, 8]
    assert all(0.0 <= y <= 1.0 for _, y in points)
    assert [run.shots for run in page.runner.runs] == [0, 1, 2, 4, 8]
    intervals = page.batch.chart.intervals()
    assert [k for k, _, _ in intervals] == [0, 1, 2, 4, 8]
    assert all(low <= y <= high for (_, y), (_, low, high) in zip(points, intervals, strict=True))
    assert (intervals[0][1], intervals[0][2]) == pytest.approx(page.runner.runs[0].interval)
    assert not page.batch.chart.range_band.isVisible()  # one order per k: no range to show


def test_random_shots_use_the_seeded_pick(qtbot: QtBot, page: FewShotPage, backend: FakeBackend) -> None:
    open_sample(page, SENTIMENT)
    page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    child(page, QSpinBox, "shotsSpin").setValue(3)
    page.batch.random_check.setChecked(True)
    child(page, QSpinBox, "shotsSeedSpin").setValue(7)
    run_to_end(qtbot, page, page.run_batch)
    expected = page.template().with_shots(3, 7)
    chosen = [e.input for e in expected.examples]
    prompt = backend.requests[0].prompt
    assert all(text in prompt for text in chosen)
    assert sum(e.input in prompt for e in page.template().examples) == 3


def test_run_once_streams_into_the_try_box(qtbot: QtBot, page: FewShotPage, backend: FakeBackend) -> None:
    backend.reply = "positive indeed"
    open_sample(page, SENTIMENT)
    child(page, QLineEdit, "variable_input").setText("Lovely.")
    run_to_end(qtbot, page, lambda: click(qtbot, page, "runOnceButton"))
    assert child(page, QPlainTextEdit, "tryOutput").toPlainText() == "positive indeed"
    assert backend.requests[-1].prompt == preview(page)
    assert backend.requests[-1].stop == ("\nReview:", "\n\n")
    assert "tokens/s" in page.trial.stats.text()


def test_prompt_longer_than_the_context_is_flagged(qtbot: QtBot, page: FewShotPage,
                                                   loaded: tuple[ModelSession, LoadedModel]) -> None:
    page.set_model(replace(loaded[1], n_ctx=20), GEMMA)
    open_sample(page, SENTIMENT)
    preview(page)
    label = child(page, QLabel, "previewTokensLabel")
    qtbot.waitUntil(lambda: "longer than the context" in label.text())
    assert "of 20" in label.text() and "e0444f" in label.styleSheet()


def test_save_and_open_round_trip_bumps_the_version(page: FewShotPage, tmp_path: Path) -> None:
    open_sample(page, SENTIMENT)
    path = tmp_path / "mine.json"
    assert page.save_template_file(path)
    assert load_template(path).version == 1
    page.examples.setData(page.examples.index(0, 2), "negative")
    page.examples.set_enabled(1, False)
    assert page.save_template_file(path)
    assert page.template().version == 2
    page.editor.set_template(load_template(SAMPLES / "similarity.json"))
    assert page.load_template_file(path)
    reopened = page.template()
    assert reopened.version == 2 and reopened.name == "Sentiment (reviews)"
    assert reopened.examples[0].output == "negative" and not reopened.examples[1].enabled
    assert reopened.examples == load_template(path).examples


def test_bad_template_file_keeps_the_editor(page: FewShotPage, tmp_path: Path) -> None:
    open_sample(page, SENTIMENT)
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema_version": 1,\n "name": }', encoding="utf-8")
    assert not page.load_template_file(bad)
    assert "broken.json" in child(page, QLabel, "fewShotMessage").text()
    assert "line 2" in child(page, QLabel, "fewShotMessage").text()
    assert page.template().name == "Sentiment (reviews)"


def test_the_page_follows_the_session_and_waits_for_other_work(qtbot: QtBot, page: FewShotPage,
                                                              loaded: tuple[ModelSession, LoadedModel]) -> None:
    session = loaded[0]
    open_sample(page, SENTIMENT)
    assert page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    run, once = child(page, QPushButton, "runBatchButton"), child(page, QPushButton, "runOnceButton")
    release = session.client.hold()  # the chat generating, another page scoring
    assert page.waiting and not run.isEnabled() and not once.isEnabled()
    page.run_batch()  # as if the button were clicked anyway
    assert "busy" in child(page, QLabel, "fewShotMessage").text() and not page.runner.busy
    release()
    assert not page.waiting and run.isEnabled() and once.isEnabled()

    session.choose_template("chatml")
    assert page.chat_template is session.template and page.chat_template is not None
    combo = child(page, QComboBox, "renderModeCombo")
    combo.setCurrentIndex(combo.findData(RenderMode.CHAT))
    assert "<|im_start|>" in preview(page)
    with qtbot.waitSignal(session.modelChanged):
        session.load(Path("other.gguf"))
    assert page.model is session.model and page.model is not None and page.model.info.path.name == "other.gguf"
    assert page.chat_template is session.template


def test_stop_ends_the_try_answer(qtbot: QtBot, page: FewShotPage, backend: FakeBackend) -> None:
    backend.reply = "positive and more words"
    backend.release.clear()  # the answer waits at its first token until the test lets it go
    open_sample(page, SENTIMENT)
    click(qtbot, page, "runOnceButton")
    qtbot.waitUntil(lambda: len(backend.requests) == 1)
    assert child(page, QPushButton, "stopBatchButton").isEnabled() and page.is_busy()
    with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
        click(qtbot, page, "stopBatchButton")
        backend.release.set()
    assert child(page, QPlainTextEdit, "tryOutput").toPlainText() == "positive"
    assert "tokens/s" in page.trial.stats.text()
    assert not child(page, QPushButton, "stopBatchButton").isEnabled()
