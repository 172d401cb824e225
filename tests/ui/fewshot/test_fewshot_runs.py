"""The Few-shot page's "Most likely answer" rule, saved runs and statistics, over the scripted FakeBackend."""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox, QTableView
from pytestqt.qtbot import QtBot

from desktop.core.fewshot.dataset import ColumnMapping
from desktop.core.fewshot.likelihood import normalise
from desktop.core.fewshot.runs import compare_runs, order_spread
from desktop.core.fewshot.scoring import LIKELIHOOD, read_run
from desktop.core.fewshot.template import load_template, sample_templates_dir
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

with SENTIMENT_TEST.open(encoding="utf-8") as _f:
    TRUTH = {row["review"]: row["sentiment"] for row in csv.DictReader(_f)}


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
def runs_dir(tmp_path: Path) -> Path:
    return tmp_path / "runs"


@pytest.fixture
def page(qtbot: QtBot, loaded: tuple[ModelSession, LoadedModel], runs_dir: Path) -> FewShotPage:
    session, model = loaded
    widget = FewShotPage(session, SAMPLES, runs_dir=runs_dir)
    qtbot.addWidget(widget)
    widget.set_model(model, GEMMA)
    return widget


def child(page: FewShotPage, cls: type, name: str):  # type: ignore[no-untyped-def]
    widget = page.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def message(page: FewShotPage) -> str:
    label = child(page, QLabel, "fewShotMessage")
    return "" if label.isHidden() else label.text()


def run_to_end(qtbot: QtBot, page: FewShotPage, start: Callable[[], object]) -> None:
    with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
        start()


def review_of(prompt: str) -> str:
    """The review being classified: the last "Review:" line of the prompt."""
    return prompt.rsplit("Review: ", 1)[1].split("\n", 1)[0]


def by_length(prompt: str, label: str) -> float:
    """A fixed, imperfect classifier: reviews of even length are positive."""
    positive = len(review_of(prompt)) % 2 == 0
    return -0.3 if (label.strip() == "positive") == positive else -1.5


def oracle_but(wrong: set[str]) -> Callable[[str, str], float]:
    """Right on every review except those in `wrong`."""
    def score(prompt: str, label: str) -> float:
        review = review_of(prompt)
        truth = TRUTH.get(review, "positive")
        right = (label.strip() == truth) != (review in wrong)
        return -0.1 if right else -2.0
    return score


def likelihood_page(page: FewShotPage, shots: int = 0, labels: str = "positive, negative",
                    data: Path = SENTIMENT_TEST) -> None:
    page.load_template_file(SENTIMENT)
    combo = child(page, QComboBox, "scoringRuleCombo")
    combo.setCurrentIndex(combo.findData(LIKELIHOOD))
    child(page, QLineEdit, "labelsEdit").setText(labels)
    page.refresh_preview()
    assert page.import_test_set(data, ColumnMapping("review", "sentiment"))
    child(page, QSpinBox, "shotsSpin").setValue(shots)


# --- labels ---------------------------------------------------------------------------------------


def test_labels_editor_appears_for_most_likely_answer_and_round_trips(page: FewShotPage, tmp_path: Path) -> None:
    page.load_template_file(SENTIMENT)
    labels, calibrate = child(page, QLineEdit, "labelsEdit"), child(page, QCheckBox, "calibrateCheck")
    assert not labels.isVisibleTo(page) and not calibrate.isVisibleTo(page)
    combo = child(page, QComboBox, "scoringRuleCombo")
    assert combo.itemText(combo.findData(LIKELIHOOD)) == "Most likely answer"
    combo.setCurrentIndex(combo.findData(LIKELIHOOD))
    assert labels.isVisibleTo(page) and calibrate.isVisibleTo(page)
    assert "{column}" in labels.toolTip() and "Zhao et al. 2021" in calibrate.toolTip()
    assert labels.text() == "positive, negative"  # the sample's own labels
    labels.setText("good, bad, so-so\\, really")
    assert page.template().labels == ["good", "bad", "so-so, really"]
    path = tmp_path / "mine.json"
    assert page.save_template_file(path)
    assert json.loads(path.read_text(encoding="utf-8"))["labels"] == ["good", "bad", "so-so, really"]
    page.load_template_file(SAMPLES / "similarity.json")
    assert page.load_template_file(path)
    assert labels.text() == "good, bad, so-so\\, really"
    assert page.template() == load_template(path) and page.template().scoring == LIKELIHOOD


@pytest.mark.parametrize(("text", "complaint"), [
    ("positive", "at least two labels"),
    ("", "at least two labels"),
    ("positive, , negative", "label 2 is empty"),
    ("positive, Positive", "appears twice"),
])
def test_bad_labels_are_named_and_block_the_run(page: FewShotPage, backend: FakeBackend, tmp_path: Path,
                                                 text: str, complaint: str) -> None:
    likelihood_page(page, labels=text)
    assert complaint in message(page)
    assert not child(page, QPushButton, "runBatchButton").isEnabled()
    assert not child(page, QPushButton, "sweepButton").isEnabled()
    page.run_batch()  # as if the button were clicked anyway
    assert not page.runner.busy and not backend.continuation_requests
    assert not page.save_template_file(tmp_path / "bad.json") and not (tmp_path / "bad.json").exists()
    child(page, QLineEdit, "labelsEdit").setText("positive, negative")
    page.refresh_preview()
    assert message(page) == "" and child(page, QPushButton, "runBatchButton").isEnabled()


def test_unused_bad_labels_do_not_spoil_a_saved_template(page: FewShotPage, tmp_path: Path) -> None:
    likelihood_page(page, labels="only")
    combo = child(page, QComboBox, "scoringRuleCombo")
    combo.setCurrentIndex(combo.findData("normalized"))
    page.refresh_preview()
    assert message(page) == "" and child(page, QPushButton, "runBatchButton").isEnabled()
    assert page.save_template_file(tmp_path / "t.json")
    assert load_template(tmp_path / "t.json").labels == []


# --- likelihood runs, confusion, calibration -----------------------------------------------------------


def test_likelihood_run_shows_probabilities_margin_and_confusion(qtbot: QtBot, page: FewShotPage,
                                                                  backend: FakeBackend) -> None:
    backend.scorer = by_length
    likelihood_page(page)
    run_to_end(qtbot, page, page.run_batch)
    run = page.last_run()
    assert run is not None and run.completed and run.rule == LIKELIHOOD and run.labels == ["positive", "negative"]
    assert not backend.requests  # nothing generated
    table = page.batch.results
    columns = [table.headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())]
    assert "P(label)" in columns and "Margin" in columns and "Generated" not in columns
    p_column, margin_column = columns.index("P(label)"), columns.index("Margin")
    first = run.results[0]
    assert table.index(0, p_column).data() == f"{first.probabilities[first.output]:.3f}"
    assert table.index(0, margin_column).data() == f"{first.margin:.3f}"
    assert float(table.index(0, p_column).data()) == pytest.approx(1 / (1 + math.exp(-1.2)), abs=1e-3)
    accuracy = child(page, QLabel, "accuracyLabel").text()
    assert accuracy.startswith(f"Accuracy {run.accuracy_text()} · ") and "95% CI" in accuracy

    confusion = child(page, QTableView, "confusionTable")
    assert confusion.isVisibleTo(page)
    model = page.batch.confusion.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["→ positive", "→ negative", "Precision", "Recall", "F1", "Support"]
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == ["positive", "negative"]
    predicted = {review: "positive" if len(review) % 2 == 0 else "negative" for review in TRUTH}
    for want in ("positive", "negative"):
        for got in ("positive", "negative"):
            count = sum(1 for r in TRUTH if TRUTH[r] == want and predicted[r] == got)
            assert model.cell(want, got) == count
            assert model.index(["positive", "negative"].index(want), ["positive", "negative"].index(got)).data() \
                == str(count)
    hits = model.cell("positive", "positive")
    recall = hits / 10
    assert model.index(0, 3).data() == f"{recall:.3f}" and model.index(0, 5).data() == "10"


def test_generated_classification_has_a_confusion_matrix_free_text_has_none(qtbot: QtBot, page: FewShotPage,
                                                                             tmp_path: Path) -> None:
    page.load_template_file(SENTIMENT)
    page.import_test_set(SENTIMENT_TEST, ColumnMapping("review", "sentiment"))
    run_to_end(qtbot, page, page.run_batch)  # the fake answers "positive" every time
    model = page.batch.confusion.model
    assert child(page, QTableView, "confusionTable").isVisibleTo(page)
    assert (model.cell("positive", "positive"), model.cell("negative", "positive")) == (10, 10)
    assert model.cell("negative", "negative") == 0 and model.index(1, 4).data() == "0.000"  # F1 of negative

    free = tmp_path / "free.csv"
    free.write_text("review,sentiment\n" + "".join(f"text {i},answer {i}\n" for i in range(12)), encoding="utf-8")
    page.import_test_set(free, ColumnMapping("review", "sentiment"))
    run_to_end(qtbot, page, page.run_batch)
    assert not child(page, QTableView, "confusionTable").isVisibleTo(page)


def test_calibration_is_measured_and_stored_in_the_record(qtbot: QtBot, page: FewShotPage, backend: FakeBackend,
                                                          runs_dir: Path) -> None:
    backend.label_logprobs = {"positive": -0.2, "negative": -1.6}
    likelihood_page(page)
    child(page, QCheckBox, "calibrateCheck").setChecked(True)
    run_to_end(qtbot, page, page.run_batch)
    run = page.last_run()
    assert run is not None and run.calibration is not None
    bias = normalise([-0.2, -1.6])
    assert run.calibration == pytest.approx({"positive": bias[0], "negative": bias[1]})
    assert [review_of(prompt) for prompt, _ in backend.continuation_requests[:3]] == ["N/A", "", "[MASK]"]
    assert all(r.probabilities["positive"] == pytest.approx(0.5) for r in run.results)  # the bias divided out
    (saved,) = runs_dir.glob("*.json")
    assert read_run(saved).calibration == pytest.approx(run.calibration)


def test_calibrating_labels_with_fields_is_refused(page: FewShotPage, backend: FakeBackend) -> None:
    likelihood_page(page, labels="{input}, negative")
    child(page, QCheckBox, "calibrateCheck").setChecked(True)
    page.run_batch()
    assert "untick Calibrate" in message(page) and not page.runner.busy


# --- saved runs and history --------------------------------------------------------------------------------


def history_rows(page: FewShotPage) -> list[list[str]]:
    page.tabs.setCurrentWidget(page.history)
    model = page.history.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_every_finished_run_is_saved_and_listed(qtbot: QtBot, page: FewShotPage, runs_dir: Path,
                                                backend: FakeBackend) -> None:
    backend.scorer = by_length
    likelihood_page(page, shots=2)
    run_to_end(qtbot, page, page.run_batch)
    run = page.last_run()
    assert run is not None
    (saved,) = runs_dir.glob("*.json")
    record = read_run(saved)
    assert record.completed and len(record.results) == 20 and record.template["labels"] == ["positive", "negative"]
    assert record.environment["model_file"] == "fake.gguf" and record.environment["engine"] == "llama.cpp"
    assert record.items[0]["values"] == {"input": run.results[0].input}
    (saved.parent / "broken.json").write_text("{not json", encoding="utf-8")
    rows = history_rows(page)
    assert len(rows) == 2
    date, accuracy, shots, rule, template, model = rows[0]
    assert (template, model, shots, rule) == ("Sentiment (reviews)", "fake.gguf", "2", "Most likely answer")
    assert record.rule == "likelihood"  # the record keeps the key; the table shows the rule's name
    assert accuracy == run.accuracy_text() and date[:2] == "20"
    assert rows[1][4] == "broken.json" and rows[1][1].startswith("damaged: ") and "not valid JSON" in rows[1][1]
    page.history.select_rows([1])
    assert not child(page, QPushButton, "openRunButton").isEnabled()
    assert child(page, QPushButton, "deleteRunButton").isEnabled()

    backend.delay = 0.02  # a stopped run with results is saved too
    page.run_batch()
    qtbot.waitUntil(lambda: page.batch.results.rowCount() >= 1, timeout=5000)
    run_to_end(qtbot, page, page.stop)
    assert len(history_rows(page)) == 3  # the History tab was showing: it read the folder again
    assert history_rows(page)[0][1].endswith(" · stopped")


def test_a_folder_that_cannot_be_written_loses_only_the_file(qtbot: QtBot, page: FewShotPage,
                                                            runs_dir: Path) -> None:
    runs_dir.write_text("a file where the folder should be", encoding="utf-8")
    likelihood_page(page)
    run_to_end(qtbot, page, page.run_batch)
    assert "Could not save the run" in message(page) and "Export results" in message(page)
    assert page.batch.results.rowCount() == 20 and page.last_run() is not None
    assert child(page, QLabel, "accuracyLabel").text().startswith("Accuracy ")
    assert child(page, QPushButton, "exportResultsButton").isEnabled()


def test_open_and_delete_a_saved_run(qtbot: QtBot, page: FewShotPage, backend: FakeBackend, runs_dir: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    likelihood_page(page, shots=0)
    backend.scorer = oracle_but(set())
    run_to_end(qtbot, page, page.run_batch)
    child(page, QSpinBox, "shotsSpin").setValue(1)
    backend.scorer = by_length
    run_to_end(qtbot, page, page.run_batch)
    assert len(history_rows(page)) == 2
    older = next(i for i, s in enumerate(page.history.summaries()) if s.shots == 0)
    page.history.select_rows([older])
    qtbot.mouseClick(child(page, QPushButton, "openRunButton"), Qt.MouseButton.LeftButton)
    assert page.tabs.currentWidget() is page.results_tab
    accuracy = child(page, QLabel, "accuracyLabel").text()
    assert accuracy.startswith("Accuracy 1.000 (20/20), 95% CI 0.839–1.000") and "saved run of" in accuracy
    assert page.shown_run() is not None and page.shown_run().shots == 0
    assert page.batch.confusion.model.cell("negative", "negative") == 10

    page.history.select_rows([older])
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(child(page, QPushButton, "deleteRunButton"), Qt.MouseButton.LeftButton)
    assert asked and len(list(runs_dir.glob("*.json"))) == 2
    page.history.select_rows([older])
    qtbot.mouseClick(child(page, QPushButton, "deleteRunButton"), Qt.MouseButton.LeftButton)
    assert [s.shots for s in page.history.summaries()] == [1] and len(list(runs_dir.glob("*.json"))) == 1


def test_compare_two_saved_runs(qtbot: QtBot, page: FewShotPage, backend: FakeBackend, runs_dir: Path) -> None:
    likelihood_page(page)
    backend.label_logprobs = {"positive": -0.1, "negative": -2.0}  # A: "positive" every time, 10/20
    run_to_end(qtbot, page, page.run_batch)
    (a_path,) = runs_dir.glob("*.json")
    stat = a_path.stat()
    os.utime(a_path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**10))  # saved well before B
    wrong = next(r for r in TRUTH if TRUTH[r] == "positive")
    backend.scorer = oracle_but({wrong})  # B: right except on one positive review, 19/20
    child(page, QSpinBox, "shotsSpin").setValue(2)
    run_to_end(qtbot, page, page.run_batch)

    history_rows(page)
    compare = child(page, QPushButton, "compareRunsButton")
    page.history.select_rows([0])
    assert not compare.isEnabled()
    page.history.select_rows([0, 1])
    assert compare.isEnabled()
    qtbot.mouseClick(compare, Qt.MouseButton.LeftButton)
    dialog = page.history.comparison_dialog
    assert dialog is not None and dialog.objectName() == "runComparisonDialog" and dialog.isVisible()
    assert "0-shot" in child(dialog, QLabel, "comparisonA").text()  # type: ignore[arg-type]
    assert "0.500 (10/20)" in dialog.a_label.text() and "0.950 (19/20)" in dialog.b_label.text()
    verdict = dialog.verdict.text()
    assert verdict == "B is better than A: 10 items fixed, 1 broken, p = 0.01, significant at 0.05"
    a, b = read_run(a_path), page.last_run()
    assert b is not None and verdict == compare_runs(a, b).verdict()
    rows = dialog.changed_rows()
    assert len(rows) == 11 and sum(row[5] == "fixed" for row in rows) == 10
    (broken,) = [row for row in rows if row[5] == "broken"]
    assert broken[1:5] == (wrong, "positive", "positive", "negative")
    dialog.close()


def test_runs_on_different_items_are_not_compared(qtbot: QtBot, page: FewShotPage, tmp_path: Path) -> None:
    likelihood_page(page)
    run_to_end(qtbot, page, page.run_batch)
    part = tmp_path / "part.csv"
    part.write_text("".join(SENTIMENT_TEST.read_text(encoding="utf-8").splitlines(keepends=True)[:6]),
                    encoding="utf-8")
    page.import_test_set(part, ColumnMapping("review", "sentiment"))
    run_to_end(qtbot, page, page.run_batch)
    history_rows(page)
    page.history.select_rows([0, 1])
    page.history.compare_selected()
    assert "not over the same items" in message(page) and page.history.comparison_dialog is None


# --- example orders ----------------------------------------------------------------------------------------


def recency_bias(prompt: str, label: str) -> float:
    """Right on every review when the last example before the query is positive, else guesses by length."""
    blocks = prompt.split("Sentiment: ")
    last = blocks[-2].split("\n", 1)[0] if len(blocks) > 1 else "negative"
    return oracle_but(set())(prompt, label) if last == "positive" else by_length(prompt, label)


def test_orders_run_the_same_shots_in_several_orders(qtbot: QtBot, page: FewShotPage, backend: FakeBackend) -> None:
    backend.scorer = recency_bias
    likelihood_page(page, shots=4)
    orders = child(page, QSpinBox, "ordersSpin")
    assert (orders.minimum(), orders.maximum(), orders.value()) == (1, 20, 1)
    orders.setValue(5)
    child(page, QSpinBox, "shotsSeedSpin").setValue(11)
    run_to_end(qtbot, page, page.run_batch)
    runs = page.runner.runs
    assert len(runs) == 5 and all(r.completed and r.shots == 4 for r in runs)
    assert [r.order_seed for r in runs] == [11, 12, 13, 14, 15]
    assert len({r.group for r in runs}) == 1 and runs[0].group
    template = page.template()
    assert [r.template["examples"] for r in runs] == [
        template.with_shots(4, 11 + i, shuffle=True).to_json()["examples"] for i in range(5)]
    s = order_spread(runs)
    assert s.high > s.low  # the fake's recency bias makes the order matter
    text = child(page, QLabel, "accuracyLabel").text()
    assert text.startswith(f"Accuracy over 5 example orders: mean {s.mean:.3f} ± {s.std:.3f} (std), "
                           f"range {s.low:.3f}–{s.high:.3f}")


def test_sweep_with_orders_draws_the_range_band(qtbot: QtBot, page: FewShotPage, backend: FakeBackend) -> None:
    backend.scorer = recency_bias
    likelihood_page(page, shots=4)
    child(page, QSpinBox, "ordersSpin").setValue(3)
    run_to_end(qtbot, page, lambda: page.run_sweep(4, None))
    assert [r.shots for r in page.runner.runs] == [0, 1, 1, 1, 2, 2, 2, 4, 4, 4]
    chart = page.batch.chart
    assert chart.isVisibleTo(page) and chart.range_band.isVisible()
    by_k: dict[int, list[float]] = {}
    for run in page.runner.runs:
        by_k.setdefault(run.shots, []).append(run.accuracy)
    assert chart.ranges() == [(k, min(v), max(v)) for k, v in sorted(by_k.items())]
    assert chart.points() == [(k, round(sum(v) / len(v), 3)) for k, v in sorted(by_k.items())]
    assert "3 example orders" in chart.chart().title()
