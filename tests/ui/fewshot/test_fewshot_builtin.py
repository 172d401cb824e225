"""The Few-shot page on the real built-in model: "Most likely answer" on the sentiment sample, zero-shot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QTableView
from pytestqt.qtbot import QtBot

from desktop.core.fewshot.dataset import ColumnMapping
from desktop.core.fewshot.scoring import LIKELIHOOD, read_run
from desktop.core.fewshot.template import sample_templates_dir
from desktop.core.files import file_sha256
from desktop.core.settings import Settings
from desktop.inference.llama.backend import LlamaBackend
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.fewshot.page import FewShotPage

pytestmark = pytest.mark.integration

SAMPLES = sample_templates_dir()


@pytest.fixture
def real(qtbot: QtBot, builtin_model: Path) -> Iterator[ModelSession]:
    settings = Settings()
    settings.for_model(builtin_model).context_length = 2048
    session = ModelSession(InferenceClient(LlamaBackend()), settings)
    try:
        with qtbot.waitSignal(session.modelChanged, timeout=60000):
            session.load(builtin_model)
        yield session
    finally:
        session.client.shutdown()


def test_sentiment_zero_shot_most_likely_answer(qtbot: QtBot, real: ModelSession, builtin_model: Path,
                                                tmp_path: Path) -> None:
    page = FewShotPage(real, SAMPLES, runs_dir=tmp_path / "runs")
    qtbot.addWidget(page)
    page.set_model(real.model, None)
    assert page.load_template_file(SAMPLES / "sentiment.json")
    combo = page.findChild(QComboBox, "scoringRuleCombo")
    combo.setCurrentIndex(combo.findData(LIKELIHOOD))
    page.findChild(QLineEdit, "labelsEdit").setText("positive, negative")
    assert page.import_test_set(SAMPLES / "sentiment-test.csv", ColumnMapping("review", "sentiment"))
    page.findChild(QSpinBox, "shotsSpin").setValue(0)
    with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=120000):
        page.run_batch()

    run = page.last_run()
    assert run is not None and run.completed and len(run.results) == 20 and run.shots == 0
    assert all(set(r.probabilities) == {"positive", "negative"} for r in run.results)
    assert all(abs(sum(r.probabilities.values()) - 1.0) < 1e-9 for r in run.results)
    text = page.findChild(QLabel, "accuracyLabel").text()
    assert re.match(r"Accuracy \d\.\d{3} \(\d+/20\), 95% CI \d\.\d{3}–\d\.\d{3} · [\d,]+ prompt tokens", text), text
    assert page.findChild(QTableView, "confusionTable").isVisibleTo(page)
    assert page.batch.confusion.model.confusion is not None
    assert page.batch.confusion.model.confusion.total() == 20

    (saved,) = (tmp_path / "runs").glob("*.json")
    record = read_run(saved)
    assert record.environment["engine"] == "llama.cpp" and record.environment["model_file"] == builtin_model.name
    assert record.labels == ["positive", "negative"] and record.results == run.results
    sha = file_sha256(builtin_model)
    qtbot.waitUntil(lambda: read_run(saved).model_sha256 == sha, timeout=60000)  # filled in once hashed
