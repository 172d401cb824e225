"""The Models page, the Hugging Face page (with its download queue) and Settings › Engines under the Chinese
interface show no English but names."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import Parley
from desktop.core.engines.config import EngineConfig
from desktop.core.engines.keys import KeyStore
from desktop.core.settings import Settings
from desktop.hub.download import DownloadState
from desktop.inference.backend import EngineCapabilities
from desktop.inference.remote.client import EngineProbe, RemoteModel
from desktop.ui.engines.dialog import EnginesDialog
from desktop.ui.engines.directory import EngineDirectory
from desktop.ui.models.download_manager import state_text
from tests.ui.language.conftest import OpenWindow
from tests.ui.language.visible_text import english, texts, untranslated


@pytest.fixture
def chinese(open_chinese: OpenWindow) -> Parley:
    return open_chinese()


EXAMPLES = ("gpu-box", "--api-key", "vllm serve", "Qwen3-32B", "b6000")  # a host, commands, a model, a build


def dialog_english(dialog: EnginesDialog) -> list[str]:
    """The dialog's English but names and examples; the key's storage note (engineKeyWhere) is core's text
    (KeyStore.where), the core area's to translate."""
    found = []
    for where, text in texts(dialog):
        plain = text
        for example in EXAMPLES:
            plain = plain.replace(example, "")
        if english(plain) and not where.startswith("engineKeyWhere"):
            found.append(f"{where}: {text!r}")
    return found


def served(config: EngineConfig) -> EngineProbe:
    capabilities = EngineCapabilities(
        name=f"{config.name} (llama-server)", tokenizes=True, token_probabilities=True, post_sampling_probs=True,
        applies_template=True, grammar=False, reproducible=True, sampling=frozenset({"temperature", "seed"}))
    return EngineProbe(config, "llama-server", "b6000", (RemoteModel("Qwen3-32B", 32768),), capabilities)


def test_the_models_page_is_chinese(qtbot: QtBot, chinese: Parley) -> None:
    page = chinese.library_page
    chinese.window.pages.setCurrentWidget(page)
    page.refresh()
    page.wait_idle()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 1, timeout=5000)
    page.table.selectRow(0)
    assert page.settings_panel.isEnabled()
    assert not untranslated(page), untranslated(page)
    row = [str(page.model.index(0, c).data() or "") for c in range(page.model.columnCount())]
    assert "（内置）" in row[0]
    for cell in (row[6], row[9]):  # chat template, memory fit
        assert cell and not english(cell), row
    assert "可用模型" in page.summary.text()
    panel = page.settings_panel
    combos = [panel.gpu.itemText(i) for i in range(panel.gpu.count())]
    combos += [panel.preset.itemText(i) for i in range(panel.preset.count())]
    assert not [t for t in combos if english(t)], combos
    panel.gpu.setCurrentIndex(2)
    assert not english(panel.estimate.text()), panel.estimate.text()


def test_the_hugging_face_page_is_chinese(chinese: Parley) -> None:
    hub = chinese.hub_browser
    chinese.window.pages.setCurrentWidget(hub)
    assert not untranslated(hub), untranslated(hub)
    for row in range(hub.results.count()):
        description = hub.results.item(row).text().split("\n", 1)[1]
        assert not english(description.replace("Meta", "").replace("Google", "").replace("Phi", "")
                           .replace("mini", "")), description
    assert not [s for s in DownloadState if english(state_text(s))]


def test_the_engines_dialog_is_chinese(qtbot: QtBot, chinese: Parley, tmp_path: Path) -> None:
    directory = EngineDirectory(Settings(), KeyStore(tmp_path / "keys.json", use_keychain=False),
                                lambda config, _key: served(config))
    dialog = EnginesDialog(directory)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "引擎"
    assert not dialog_english(dialog), dialog_english(dialog)
    local = [t for t in dialog.capability_texts() if english(t)]
    assert not local, local
    dialog.name_edit.setText("gpu-box")
    dialog.url_edit.setText("http://127.0.0.1:8080")
    with qtbot.waitSignal(directory.probed, timeout=5000):
        dialog.save_engine()
    qtbot.waitUntil(lambda: not directory.is_probing("gpu-box"), timeout=5000)
    lines = dialog.capability_texts()
    assert any("对话" in t for t in lines), lines
    remote = [t for t in lines if english(t.replace("Qwen3-32B", "").replace("b6000", ""))]
    assert not remote, remote
    assert not dialog_english(dialog), dialog_english(dialog)
    directory.wait_idle()
