"""Settings › Engines as a widget: adding, probing (a stand-in probe here; the integration tests probe a real
llama-server), failures kept with their reason, offline mode, the plain-http warning, removing, and the engines'
models on the Models page and in the sampling settings."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.engines.config import EngineConfig, is_remote, offline_message
from desktop.core.engines.keys import KeyStore
from desktop.core.fewshot.template import sample_templates_dir
from desktop.core.settings import Settings
from desktop.inference.backend import EngineCapabilities, InferenceError, LoadedModel
from desktop.inference.remote.client import EngineProbe, RemoteModel
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.engines.dialog import EnginesDialog
from desktop.ui.engines.directory import EngineDirectory
from desktop.ui.fewshot.page import FewShotPage
from desktop.ui.models.library_page import LibraryPage
from desktop.ui.sampling.panel import SamplingPanel
from tests.fakes import FakeBackend

DOWN = "Parley cannot reach gpu-box at http://127.0.0.1:9: the server is not running."


def served(config: EngineConfig) -> EngineProbe:
    capabilities = EngineCapabilities(
        name=f"{config.name} (llama-server)", tokenizes=True, token_probabilities=True, post_sampling_probs=True,
        applies_template=True, grammar=False, reproducible=False,
        reproducible_note=f"{config.name} runs 4 slots in parallel.", sampling=frozenset({"temperature", "seed"}))
    return EngineProbe(config, "llama-server", "b6000", (RemoteModel("Qwen3-32B", 32768),), capabilities)


class FakeProbe:
    """Answers like a llama-server, or fails like a server that is down; records what it was asked, and on
    which thread."""

    def __init__(self) -> None:
        self.calls: list[tuple[EngineConfig, str | None]] = []
        self.threads: set[int] = set()
        self.down = False

    def __call__(self, config: EngineConfig, key: str | None) -> EngineProbe:
        self.calls.append((config, key))
        self.threads.add(threading.get_ident())
        if self.down:
            raise InferenceError(DOWN)
        return served(config)


@pytest.fixture
def probe() -> FakeProbe:
    return FakeProbe()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def keys(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "keys.json", use_keychain=False)


@pytest.fixture
def dialog(qtbot: QtBot, settings: Settings, keys: KeyStore, probe: FakeProbe) -> Iterator[EnginesDialog]:
    directory = EngineDirectory(settings, keys, probe)
    dialog = EnginesDialog(directory)
    qtbot.addWidget(dialog)
    yield dialog
    directory.wait_idle()


def message(dialog: EnginesDialog) -> str:
    label = dialog.findChild(QLabel, "engineMessage")
    assert label is not None
    return label.text()


def add(dialog: EnginesDialog, name: str, url: str, key: str = "") -> None:
    dialog.name_edit.setText(name)
    dialog.url_edit.setText(url)
    dialog.key_edit.setText(key)
    dialog.add_button.click()


def rows(dialog: EnginesDialog) -> list[str]:
    engines = dialog.engine_list
    assert engines is dialog.findChild(QListWidget, "engineList")
    return [engines.item(i).text() for i in range(engines.count())]


def test_this_computer_is_first_and_stays(dialog: EnginesDialog) -> None:
    assert dialog.objectName() == "enginesDialog"
    for name in ("engineNameEdit", "engineUrlEdit", "engineKeyEdit", "engineCapabilities", "engineTimeoutSpin"):
        assert dialog.findChild(QWidget, name) is not None, name
    for name in ("engineAddButton", "engineProbeButton", "engineRemoveButton"):
        assert dialog.findChild(QPushButton, name) is not None, name
    assert rows(dialog) == ["This computer \u2014 in-process llama.cpp"]
    assert dialog.selected_engine() == ""
    assert not dialog.remove_button.isEnabled()
    lines = dialog.capability_texts()
    assert "\u2713  Chat" in lines and "\u2713  Token probabilities with top alternatives" in lines
    assert "\u2717  Grammar / JSON schema" in lines


def test_add_probes_in_the_background_and_keeps_the_key_out_of_settings(
        qtbot: QtBot, dialog: EnginesDialog, settings: Settings, keys: KeyStore, probe: FakeProbe,
        tmp_path: Path) -> None:
    with qtbot.waitSignal(dialog.probed, timeout=5000) as probed:
        add(dialog, "gpu-box", "http://127.0.0.1:8080", "sekrit-key")
    assert isinstance(probed.args[0], EngineProbe) and probed.args[0].engine.name == "gpu-box"
    assert probe.calls == [(EngineConfig("gpu-box", "http://127.0.0.1:8080"), "sekrit-key")]
    assert threading.get_ident() not in probe.threads  # never on the GUI thread
    assert settings.engines == {"gpu-box": "http://127.0.0.1:8080"}
    assert keys.get("gpu-box") == "sekrit-key"
    settings.save(tmp_path / "settings.json")
    assert "sekrit" not in (tmp_path / "settings.json").read_text(encoding="utf-8")
    assert rows(dialog)[1] == "gpu-box \u2014 http://127.0.0.1:8080"
    assert dialog.selected_engine() == "gpu-box"
    lines = dialog.capability_texts()
    assert lines[0] == "llama-server, version b6000"
    assert "\u2713  Probabilities after the sampler chain" in lines and "\u2717  Grammar / JSON schema" in lines
    assert "\u2717  Identical output for identical input" in lines
    assert any("Qwen3-32B" in line and "32,768" in line for line in lines)
    text = message(dialog)
    assert "a llama-server serving 1 model" in text and "4 slots" in text
    assert str(tmp_path / "keys.json") in text  # where the key went: no keychain here
    assert "unencrypted" not in text  # loopback: nothing travels


def test_invalid_url_says_why_and_adds_nothing(dialog: EnginesDialog, settings: Settings, probe: FakeProbe) -> None:
    add(dialog, "gpu-box", "gpu-box:8080")
    assert "must start with http://" in message(dialog)
    add(dialog, "", "http://127.0.0.1:8080")
    assert "Give the engine a name" in message(dialog)
    add(dialog, "This computer", "http://127.0.0.1:8080")
    assert "already an engine" in message(dialog)
    assert settings.engines == {} and probe.calls == [] and len(rows(dialog)) == 1


def test_a_server_that_is_down_is_kept_with_the_reason(qtbot: QtBot, dialog: EnginesDialog, settings: Settings,
                                                       probe: FakeProbe) -> None:
    probe.down = True
    with qtbot.waitSignal(dialog.directory.failed, timeout=5000):
        add(dialog, "gpu-box", "http://127.0.0.1:9")
    assert settings.engines == {"gpu-box": "http://127.0.0.1:9"}
    text = message(dialog)
    assert DOWN in text and "keeps gpu-box in the list" in text
    assert dialog.message.property("kind") == "error"
    assert dialog.capability_texts() == ["Not reachable when last probed."]
    assert dialog.directory.entries() == []
    probe.down = False  # the server is up now
    with qtbot.waitSignal(dialog.probed, timeout=5000):
        dialog.probe_button.click()
    assert "serving 1 model" in message(dialog) and len(dialog.directory.entries()) == 1


def test_offline_mode_blocks_servers_elsewhere_but_not_loopback(qtbot: QtBot, dialog: EnginesDialog,
                                                                settings: Settings, probe: FakeProbe) -> None:
    settings.offline = True
    add(dialog, "gpu-box", "https://gpu-box.example:8080")
    assert probe.calls == []
    assert offline_message("gpu-box") in message(dialog)
    assert settings.engines == {"gpu-box": "https://gpu-box.example:8080"}  # kept for when offline mode is off
    with qtbot.waitSignal(dialog.probed, timeout=5000):
        add(dialog, "local-server", "http://localhost:8080")
    assert [c.name for c, _key in probe.calls] == ["local-server"]


def test_plain_http_to_another_machine_warns(qtbot: QtBot, dialog: EnginesDialog) -> None:
    with qtbot.waitSignal(dialog.probed, timeout=5000):
        add(dialog, "gpu-box", "http://10.0.0.5:8080")
    assert "travel unencrypted" in message(dialog)
    assert dialog.message.property("kind") == "warning"


def test_select_edit_and_remove(qtbot: QtBot, dialog: EnginesDialog, settings: Settings, keys: KeyStore,
                                probe: FakeProbe) -> None:
    with qtbot.waitSignal(dialog.probed, timeout=5000):
        add(dialog, "gpu-box", "http://127.0.0.1:8080", "old-key")
    dialog.select("")
    assert dialog.name_edit.text() == "" and dialog.add_button.text() == "Add and probe"
    dialog.select("gpu-box")
    assert dialog.url_edit.text() == "http://127.0.0.1:8080" and dialog.key_edit.text() == "old-key"
    assert dialog.add_button.text() == "Save and probe"
    dialog.key_edit.setText("new-key")
    with qtbot.waitSignal(dialog.probed, timeout=5000):
        dialog.add_button.click()
    assert keys.get("gpu-box") == "new-key" and probe.calls[-1][1] == "new-key" and len(rows(dialog)) == 2
    with qtbot.waitSignal(dialog.enginesChanged, timeout=1000):
        dialog.remove_button.click()
    assert settings.engines == {} and keys.get("gpu-box") is None
    assert len(rows(dialog)) == 1 and dialog.directory.entries() == []
    assert "removed" in message(dialog)


def test_timeout_is_a_setting(dialog: EnginesDialog, settings: Settings) -> None:
    assert dialog.timeout_spin.objectName() == "engineTimeoutSpin"
    assert dialog.timeout_spin.value() == round(settings.engine_timeout)
    dialog.timeout_spin.setValue(300)
    assert settings.engine_timeout == 300.0


def test_models_page_lists_remote_entries_after_local_ones(qtbot: QtBot) -> None:
    page = LibraryPage(lambda: [], ram_bytes=8 << 30)
    qtbot.addWidget(page)
    page.refresh()
    page.wait_idle()
    entries = served(EngineConfig("gpu-box", "http://127.0.0.1:8080")).entries()
    page.set_remote_entries(entries)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert row[0] == "Qwen3-32B on gpu-box" and row[4] == "remote" and row[9] == "on the server"
    assert row[5] == "32768"
    assert "served by the engine gpu-box" in page.model.index(0, 0).data(3)  # the tooltip
    page.table.selectRow(0)
    assert not page.remove_button.isEnabled() and not page.reveal_button.isEnabled()
    with qtbot.waitSignal(page.loadRequested, timeout=1000) as load:
        page.load_button.click()
    assert is_remote(load.args[0])
    page.set_remote_entries([])
    assert page.model.rowCount() == 0


def test_sampling_settings_an_engine_ignores_are_greyed_with_the_reason(qtbot: QtBot) -> None:
    panel = SamplingPanel()
    qtbot.addWidget(panel)
    capabilities = served(EngineConfig("gpu-box", "http://127.0.0.1:8080")).capabilities
    panel.set_capabilities(capabilities)
    assert panel.temperature.isEnabled() and panel.seed.isEnabled()
    assert not panel.top_k.isEnabled() and not panel.min_p.isEnabled()
    assert "does not accept this setting" in panel.top_k.toolTip()
    panel.set_capabilities(None)  # back on this computer
    assert panel.top_k.isEnabled() and "most likely tokens" in panel.top_k.toolTip()


def test_fewshot_page_says_when_the_engine_cannot_promise_identical_output(qtbot: QtBot, tmp_path: Path) -> None:
    session = ModelSession(InferenceClient(FakeBackend(reply="positive")), Settings())
    try:
        with qtbot.waitSignal(session.modelChanged) as blocker:
            session.load(Path("fake.gguf"))
        local: LoadedModel = blocker.args[0]
        page = FewShotPage(session, sample_templates_dir(), runs_dir=tmp_path / "runs")
        qtbot.addWidget(page)
        note = page.findChild(QLabel, "engineReproducibilityNote")
        assert note is not None and note.isHidden()
        capabilities = served(EngineConfig("gpu-box", "http://127.0.0.1:8080")).capabilities
        page.set_model(replace(local, capabilities=capabilities, engine="gpu-box"), None)
        assert not note.isHidden() and "4 slots" in note.text()
        page.set_model(local, None)
        assert note.isHidden()
    finally:
        session.client.shutdown()
