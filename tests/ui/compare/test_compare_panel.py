"""Widget tests for the Compare page: a real ModelSession and InferenceClient over the scripted FakeBackend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QToolButton
from pytestqt.qtbot import QtBot

from desktop.core.instruments.experiment import build_prompt, load_experiment
from desktop.core.models.gguf_file import GGUFError
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.core.settings import Settings
from desktop.inference.backend import GenerationRequest, LoadedModel, LoadOptions
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.compare.panel import ComparePanel
from tests.fakes import FakeBackend

GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
CHAT_PARAMS = SamplingParams(temperature=0.7, top_p=0.9, top_k=30, min_p=0.07, repeat_penalty=1.2, max_tokens=64)
REPLY = "Paris is the capital of France."


class RecordingBackend(FakeBackend):
    """Remembers every load, so tests can see a column's model swapped in and the chat's swapped back; the file
    names in `failing` fail to load."""

    def __init__(self) -> None:
        super().__init__(reply=REPLY)
        self.loads: list[str] = []
        self.failing: set[str] = set()

    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        self.loads.append(path.name)
        if path.name in self.failing:
            raise GGUFError(path, "the disk is gone")
        return super().load(path, options)


@pytest.fixture
def models(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name in ("chat.gguf", "other.gguf", "bad.gguf"):
        paths[name] = tmp_path / "models" / name
        paths[name].parent.mkdir(exist_ok=True)
        paths[name].write_bytes(name.encode() * 100)
    return paths


@pytest.fixture
def backend() -> RecordingBackend:
    return RecordingBackend()


@pytest.fixture
def session(qtbot: QtBot, backend: RecordingBackend, models: dict[str, Path]) -> Iterator[ModelSession]:
    """The person's model, chat.gguf, loaded through the session with the Gemma template chosen."""
    client = InferenceClient(backend)
    try:
        session = ModelSession(client, Settings())
        with qtbot.waitSignal(session.modelChanged):
            session.load(models["chat.gguf"])
        session.choose_template("gemma")
        assert session.template == GEMMA
        backend.loads.clear()
        yield session
    finally:
        client.shutdown()


@pytest.fixture
def panel(qtbot: QtBot, session: ModelSession, models: dict[str, Path], tmp_path: Path) -> ComparePanel:
    widget = ComparePanel(session, lambda: CHAT_PARAMS, lambda: [models["other.gguf"], models["bad.gguf"]],
                          tmp_path / "experiments", tmp_path / "cache" / "model-hashes.json")
    qtbot.addWidget(widget)
    widget.prompt_edit.setPlainText("What is the capital of France?")
    return widget


def child(panel: ComparePanel, cls: type, name: str):  # type: ignore[no-untyped-def]
    widget = panel.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def run_to_end(qtbot: QtBot, panel: ComparePanel) -> None:
    with qtbot.waitSignal(panel.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
        qtbot.mouseClick(child(panel, QPushButton, "compareRunButton"), Qt.MouseButton.LeftButton)


def choose_model(panel: ComparePanel, column: int, path: Path) -> None:
    combo = child(panel, QComboBox, f"compareModel{column}")
    combo.setCurrentIndex(combo.findData(str(path)))


def test_named_widgets_and_defaults(panel: ComparePanel) -> None:
    assert panel.objectName() == "comparePanel"
    for name in ("comparePrompt", "compareAddButton", "compareRunButton", "compareStopButton", "compareSaveButton",
                 "compareOpenCombo", "compareSharedSeed", "compareHint"):
        assert panel.findChild(object, name) is not None, name
    for i in range(2):
        for name in ("compareColumn", "compareModel", "compareSystem", "compareTemperature", "compareTopP",
                     "compareTopK", "compareSeed", "compareMaxTokens", "compareOutput", "compareStats",
                     "compareRemove"):
            assert panel.findChild(object, f"{name}{i}") is not None, f"{name}{i}"
    assert "same seed" in child(panel, QLabel, "compareHint").text()
    assert child(panel, QSpinBox, "compareSharedSeed").value() == 42
    for column in panel.columns:
        assert column.params() == CHAT_PARAMS.with_changes(seed=42)
    assert child(panel, QComboBox, "compareModel0").itemText(0) == "Current model (chat.gguf)"


def test_two_columns_stream_with_stats(qtbot: QtBot, panel: ComparePanel, backend: RecordingBackend) -> None:
    texts: list[tuple[int, str]] = []
    panel.runner.columnText.connect(lambda i, t: texts.append((i, t)))
    run_to_end(qtbot, panel)
    for i in range(2):
        assert child(panel, QPlainTextEdit, f"compareOutput{i}").toPlainText() == REPLY
        assert child(panel, QLabel, f"compareStats{i}").text() == "100.0 tokens/s · first token 10 ms · 6 tokens"
    assert {i for i, _ in texts} == {0, 1} and len(texts) > 2  # streamed in pieces, not at the end
    expected = build_prompt(GEMMA, "", "What is the capital of France?").text
    assert [r.prompt for r in backend.requests] == [expected, expected]
    assert all(r.stop == GEMMA.stop for r in backend.requests)
    assert all(r.fresh for r in backend.requests) and backend.cache_resets == 2  # no column depends on another
    assert backend.loads == []  # both on the chat's model: nothing loaded


def test_same_seed_goes_into_every_request(qtbot: QtBot, panel: ComparePanel, backend: RecordingBackend) -> None:
    child(panel, QSpinBox, "compareSharedSeed").setValue(7)
    assert [c.seed.value() for c in panel.columns] == [7, 7]
    panel.columns[1].temperature.setValue(1.5)
    panel.columns[1].system.setText("Answer in French.")
    run_to_end(qtbot, panel)
    first, second = (r.params for r in backend.requests)
    assert first.seed == second.seed == 7
    assert first == CHAT_PARAMS.with_changes(seed=7)  # min-p and repeat penalty come from the chat
    assert second == first.with_changes(temperature=1.5)  # the one setting that was changed
    assert "Answer in French." in backend.requests[1].prompt and "French." not in backend.requests[0].prompt

    panel.columns[0].seed.setValue(5)  # a column's own seed stays when the shared one moves
    child(panel, QSpinBox, "compareSharedSeed").setValue(9)
    assert [c.seed.value() for c in panel.columns] == [5, 9]


def test_random_seed_is_fixed_and_recorded(qtbot: QtBot, panel: ComparePanel, backend: RecordingBackend) -> None:
    panel.columns[0].seed.setValue(-1)
    run_to_end(qtbot, panel)
    drawn = backend.requests[0].params.seed
    assert drawn >= 0
    experiment = panel.last_experiment()
    assert experiment is not None and experiment.configs[0].params.seed == drawn


def test_four_columns_and_the_limits(qtbot: QtBot, panel: ComparePanel, backend: RecordingBackend) -> None:
    add = child(panel, QPushButton, "compareAddButton")
    assert not panel.remove_configuration(panel.columns[0])  # never fewer than two
    assert not child(panel, QToolButton, "compareRemove0").isEnabled()
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert len(panel.columns) == 4 and not add.isEnabled()
    assert not panel.add_configuration()
    assert panel.columns[3].label.text() == "D" and panel.columns[3].params() == CHAT_PARAMS.with_changes(seed=42)
    run_to_end(qtbot, panel)
    assert len(backend.requests) == 4
    for i in range(4):
        assert child(panel, QPlainTextEdit, f"compareOutput{i}").toPlainText() == REPLY
        assert "tokens/s" in child(panel, QLabel, f"compareStats{i}").text()

    panel.columns[2].temperature.setValue(1.9)
    qtbot.mouseClick(child(panel, QToolButton, "compareRemove1"), Qt.MouseButton.LeftButton)
    assert len(panel.columns) == 3 and add.isEnabled()
    assert [c.objectName() for c in panel.columns] == ["compareColumn0", "compareColumn1", "compareColumn2"]
    assert [c.label.text() for c in panel.columns] == ["A", "B", "C"]
    assert panel.columns[1].temperature.value() == pytest.approx(1.9)  # the old third column moved up
    assert child(panel, QLabel, "compareStats2") is panel.columns[2].stats


def test_save_and_reopen_without_running(qtbot: QtBot, panel: ComparePanel, backend: RecordingBackend,
                                         tmp_path: Path, models: dict[str, Path]) -> None:
    import hashlib

    panel.columns[1].temperature.setValue(1.5)
    panel.columns[1].label.setText("Hot")
    save = child(panel, QPushButton, "compareSaveButton")
    assert not save.isEnabled()
    run_to_end(qtbot, panel)
    assert save.isEnabled()
    with qtbot.waitSignal(panel.experimentSaved, timeout=10000) as blocker:
        panel.save_experiment("Capital, two temperatures")
    path: Path = blocker.args[0]
    assert path.parent == tmp_path / "experiments" and path.name.endswith("-capital-two-temperatures.json")
    saved = load_experiment(path)
    chat_path = str(models["chat.gguf"])
    assert saved.model_hashes == {chat_path: hashlib.sha256(models["chat.gguf"].read_bytes()).hexdigest()}
    assert [c.label for c in saved.configs] == ["A", "Hot"] and saved.configs[1].params.temperature == 1.5
    assert saved.results[0] is not None and saved.results[0].text == REPLY and saved.results[0].model == chat_path
    assert (tmp_path / "cache" / "model-hashes.json").is_file()

    # Change everything on screen, then reopen from the Open list.
    panel.prompt_edit.setPlainText("something else")
    panel.columns[1].temperature.setValue(0.1)
    panel.add_configuration()
    for column in panel.columns:
        column.clear_output()
    requests = len(backend.requests)
    combo = child(panel, QComboBox, "compareOpenCombo")
    index = combo.findData(str(path))
    assert index > 0 and combo.itemText(index).startswith("Capital, two temperatures · ")
    combo.activated.emit(index)
    assert len(panel.columns) == 2
    assert panel.prompt_edit.toPlainText() == "What is the capital of France?"
    assert panel.columns[1].temperature.value() == 1.5 and panel.columns[1].label.text() == "Hot"
    assert [c.text() for c in panel.columns] == [REPLY, REPLY]
    assert "tokens/s" in child(panel, QLabel, "compareStats1").text()
    assert "Showing “Capital, two temperatures”" in child(panel, QLabel, "compareMessage").text()
    qtbot.wait(50)
    assert len(backend.requests) == requests  # shown again, not run again


def test_damaged_experiment_shows_a_message(panel: ComparePanel, tmp_path: Path) -> None:
    folder = tmp_path / "experiments"
    folder.mkdir()
    (folder / "20250101-000000-x.json").write_text("{nope", encoding="utf-8")
    panel.refresh_experiments()
    combo = child(panel, QComboBox, "compareOpenCombo")
    assert combo.itemText(1).endswith("(damaged)")
    combo.activated.emit(1)
    message = child(panel, QLabel, "compareMessage")
    assert "not valid JSON" in message.text() and message.isVisibleTo(panel)


def test_busy_coupling(qtbot: QtBot, panel: ComparePanel, session: ModelSession, backend: RecordingBackend) -> None:
    run = child(panel, QPushButton, "compareRunButton")
    release = session.client.hold()  # another page's work keeps the queue busy
    assert not run.isEnabled() and not panel.run_all()
    release()
    assert run.isEnabled()

    backend.release.clear()  # hold the first column so the run is observably in progress
    with qtbot.waitSignal(panel.busyChanged, check_params_cb=lambda busy: busy):
        run.click()
    assert panel.is_busy() and not run.isEnabled() and child(panel, QPushButton, "compareStopButton").isEnabled()
    assert not panel.columns[0].temperature.isEnabled() and not panel.add_configuration()
    with qtbot.waitSignal(panel.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
        backend.release.set()
    assert not panel.is_busy() and run.isEnabled()


def test_ignores_the_chats_generations(qtbot: QtBot, panel: ComparePanel, session: ModelSession) -> None:
    job = session.submit(GenerationRequest("chat prompt", SamplingParams()))
    with qtbot.waitSignal(job.finished):
        pass
    assert [c.text() for c in panel.columns] == ["", ""] and not panel.is_busy()


def test_stop_ends_the_column_and_skips_the_rest(qtbot: QtBot, panel: ComparePanel,
                                                 backend: RecordingBackend) -> None:
    backend.delay = 0.05
    panel.runner.columnText.connect(lambda _i, _t: panel.stop())
    run_to_end(qtbot, panel)
    assert child(panel, QLabel, "compareStats0").text().endswith("· stopped")
    assert child(panel, QLabel, "compareStats1").text() == "Not run: stopped"
    assert len(backend.requests) == 1


def test_other_model_column_loads_it_then_the_chats_again(qtbot: QtBot, panel: ComparePanel, session: ModelSession,
                                                          backend: RecordingBackend, models: dict[str, Path]) -> None:
    """The other model is borrowed and the person's given back, without the session's model ever changing."""
    add = child(panel, QPushButton, "compareAddButton")
    add.click()
    choose_model(panel, 0, models["other.gguf"])  # first column, but runs after the chat-model ones
    loading: list[str] = []
    panel.runner.columnLoading.connect(lambda i, _name: loading.append(panel.columns[i].stats.text()))
    told: list[object] = []
    for signal in (session.modelChanged, session.templateChanged, session.loading, session.loadFailed):
        signal.connect(lambda *args: told.append(args))
    chat_model = session.model
    run_to_end(qtbot, panel)
    assert loading == ["Loading other.gguf…"]
    assert backend.loads == ["other.gguf", "chat.gguf"]
    assert backend.loaded == models["chat.gguf"]
    assert told == [] and session.model is chat_model and session.template == GEMMA  # nothing for the chat to do
    assert session.settings.last_model == str(models["chat.gguf"])
    assert panel.model is not None and panel.model.info.path == models["chat.gguf"]
    experiment = panel.last_experiment()
    assert experiment is not None
    assert [r.model for r in experiment.results if r] == [str(models["other.gguf"]), str(models["chat.gguf"]),
                                                          str(models["chat.gguf"])]
    assert all(child(panel, QPlainTextEdit, f"compareOutput{i}").toPlainText() == REPLY for i in range(3))


def test_load_failure_shows_in_its_column_and_the_run_goes_on(qtbot: QtBot, panel: ComparePanel,
                                                              backend: RecordingBackend,
                                                              models: dict[str, Path]) -> None:
    panel.add_configuration()
    choose_model(panel, 0, models["bad.gguf"])
    choose_model(panel, 2, models["other.gguf"])
    run_to_end(qtbot, panel)
    stats0 = child(panel, QLabel, "compareStats0")
    assert stats0.text().startswith("Could not load bad.gguf") and "color: #e0444f" in stats0.styleSheet()
    assert child(panel, QPlainTextEdit, "compareOutput1").toPlainText() == REPLY
    assert child(panel, QPlainTextEdit, "compareOutput2").toPlainText() == REPLY
    assert backend.loads[0] == "bad.gguf" and backend.loads[-1] == "chat.gguf"
    assert backend.loaded == models["chat.gguf"] and not panel.is_busy()
    assert not child(panel, QLabel, "compareMessage").isVisibleTo(panel)  # the column's error, not the page's


def test_a_borrowed_model_uses_the_template_chosen_for_it(qtbot: QtBot, panel: ComparePanel, session: ModelSession,
                                                          backend: RecordingBackend, models: dict[str, Path]) -> None:
    session.settings.for_model(models["other.gguf"]).template = "chatml"
    choose_model(panel, 1, models["other.gguf"])
    run_to_end(qtbot, panel)
    chatml = BUILTIN_TEMPLATES["chatml"].to_chat_template("<bos>", "<eos>")
    prompt = "What is the capital of France?"
    assert [r.prompt for r in backend.requests] == [build_prompt(GEMMA, "", prompt).text,
                                                    build_prompt(chatml, "", prompt).text]
    assert backend.requests[1].stop == chatml.stop and session.template == GEMMA


def test_stop_on_a_borrowed_model_still_gives_the_chats_back(qtbot: QtBot, panel: ComparePanel,
                                                              backend: RecordingBackend,
                                                              models: dict[str, Path]) -> None:
    panel.add_configuration()
    choose_model(panel, 1, models["other.gguf"])
    choose_model(panel, 2, models["other.gguf"])
    backend.delay = 0.05
    panel.runner.columnText.connect(lambda i, _t: panel.stop() if i == 1 else None)
    run_to_end(qtbot, panel)
    assert child(panel, QPlainTextEdit, "compareOutput0").toPlainText() == REPLY
    assert child(panel, QLabel, "compareStats1").text().endswith("· stopped")
    assert child(panel, QLabel, "compareStats2").text() == "Not run: stopped"
    assert len(backend.requests) == 2
    assert backend.loads == ["other.gguf", "chat.gguf"] and backend.loaded == models["chat.gguf"]


def test_the_chats_model_failing_to_come_back_shows_on_the_page(qtbot: QtBot, panel: ComparePanel,
                                                                 session: ModelSession, backend: RecordingBackend,
                                                                 models: dict[str, Path]) -> None:
    choose_model(panel, 1, models["other.gguf"])
    backend.failing.add("chat.gguf")
    failed: list[object] = []
    session.loadFailed.connect(lambda *args: failed.append(args))
    run_to_end(qtbot, panel)
    message = child(panel, QLabel, "compareMessage")
    assert message.text().startswith("Could not load the chat's model chat.gguf again:")
    assert "the disk is gone" in message.text() and message.isVisibleTo(panel)
    assert [c.text() for c in panel.columns] == [REPLY, REPLY]
    assert failed == [] and not panel.is_busy() and not session.busy  # the chat's banner says nothing


def test_pristine_columns_follow_the_chat_settings_when_shown(qtbot: QtBot, panel: ComparePanel) -> None:
    params = [CHAT_PARAMS]
    panel.chat_params = lambda: params[0]
    params[0] = CHAT_PARAMS.with_changes(temperature=1.1, max_tokens=99)
    panel.show()
    qtbot.waitExposed(panel)
    assert all(c.params() == params[0].with_changes(seed=42) for c in panel.columns)
    panel.hide()
    panel.columns[0].temperature.setValue(0.3)  # once edited, the columns are the person's
    params[0] = CHAT_PARAMS
    panel.show()
    assert panel.columns[0].temperature.value() == pytest.approx(0.3)


def test_wired_into_the_window_and_the_chat_is_left_as_it_was(qtbot: QtBot, data_dir: Path) -> None:
    """The real window: a column on another library model, then the chat has its model and its setup back."""
    import os

    from desktop.app import create_window
    from desktop.core.models.builtin import BUILTIN_FILENAME

    builtin = data_dir / "models" / BUILTIN_FILENAME
    second = data_dir / "models" / "second.gguf"
    os.link(builtin, second)
    backend = RecordingBackend()
    window = create_window(data_dir, backend=backend)
    qtbot.addWidget(window.window)
    try:
        qtbot.waitUntil(lambda: window.controller.model is not None)
        compare: ComparePanel = window.compare
        assert window.window.pages.tabText(window.window.pages.indexOf(compare)) == "Compare"
        window.controller.settings.for_model(second).system_prompt = "The other model's own system prompt"
        window.controller.settings.for_model(second).sampling_preset = "Creative"
        window.controller.settings.for_model(second).template = "chatml"
        window.window.system_prompt.set_text("My system prompt")
        window.window.sampling.temperature.setValue(0.33)
        template_text = window.window.template_combo.currentText()
        preset_text = window.window.sampling.preset.currentText()
        changed: list[object] = []
        window.session.modelChanged.connect(changed.append)
        qtbot.waitUntil(lambda: compare.library_paths() != [])
        compare.refresh_models()
        choose_model(compare, 1, second.resolve())
        compare.prompt_edit.setPlainText("Hello")
        with qtbot.waitSignal(compare.busyChanged, check_params_cb=lambda busy: busy):
            compare.run_button.click()
        assert not window.window.send_button.isEnabled()  # the chat waits for the shared worker
        with qtbot.waitSignal(compare.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
            pass
        assert backend.loads[-2:] == ["second.gguf", BUILTIN_FILENAME]
        assert window.controller.model.info.path.name == BUILTIN_FILENAME
        assert window.window.system_prompt.text() == "My system prompt"
        assert window.window.sampling.params().temperature == pytest.approx(0.33)
        assert window.window.template_combo.currentText() == template_text
        assert window.window.sampling.preset.currentText() == preset_text
        assert changed == []
        assert window.controller.settings.last_model is not None
        assert Path(window.controller.settings.last_model).name == BUILTIN_FILENAME
        assert window.window.send_button.isEnabled()
        assert compare.columns[1].text() == REPLY and compare.columns[0].text() == REPLY
    finally:
        window.window.close()


def test_base_vs_instruction_tuned_is_one_click(qtbot: QtBot, session: ModelSession, backend: RecordingBackend,
                                                tmp_path: Path) -> None:
    from desktop.core.models.builtin import BUILTIN_FILENAME, CHAT_FILENAME

    library = [tmp_path / "models" / BUILTIN_FILENAME, tmp_path / "models" / CHAT_FILENAME]
    for path in library:
        path.write_bytes(b"GGUF")
    widget = ComparePanel(session, lambda: CHAT_PARAMS, lambda: library, tmp_path / "experiments",
                          tmp_path / "cache" / "model-hashes.json")
    qtbot.addWidget(widget)
    child(widget, QPushButton, "compareBaseVsInstructButton").click()
    assert widget.prompt_edit.toPlainText() == "List three fruits."
    configs = [column.config() for column in widget.columns]
    assert [Path(c.model or "").name for c in configs] == [BUILTIN_FILENAME, CHAT_FILENAME]
    assert configs[0].params == configs[1].params and configs[0].params.temperature == 0.0
    assert "instruction tuning" in child(widget, QLabel, "compareMessage").text()
    run_to_end(qtbot, widget)
    assert backend.loads[:2] == [BUILTIN_FILENAME, CHAT_FILENAME]
    assert [column.text() for column in widget.columns] == [REPLY, REPLY]


def test_base_vs_instruction_tuned_says_what_is_missing(panel: ComparePanel) -> None:
    assert not panel.base_vs_instruct()
    assert "needs both built-in models" in child(panel, QLabel, "compareMessage").text()
