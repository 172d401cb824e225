"""Help → About Parley: versions, the llama.cpp backend of this build, the model's offload, where the data lives.

Everything about llama.cpp arrives as plain data (BuildInfo from desktop.inference through app.py): the UI never
asks llama_cpp itself. "Copy details" puts the same lines on the clipboard for a bug report.
"""

from __future__ import annotations

import platform
import re
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.i18n import translate
from desktop.core.instruments.experiment import parley_version
from desktop.core.paths import DataDirs, resource_dir
from desktop.inference.backend import LoadedModel
from desktop.ui.theme import bar_style
from desktop.ui.widgets import named_button, plain_label

if TYPE_CHECKING:
    from desktop.inference.offload import BuildInfo


def offline_promise() -> str:
    return translate("AboutDialog", "No telemetry. Nothing leaves this computer: Parley only goes online when you "
                                    "search or download models.")


def tagline() -> str:
    return translate("AboutDialog", "Private, offline chat with language models that run on this computer.")


def gpu_layers_text(model: LoadedModel) -> str:
    if model.backend == "CPU":
        return translate("AboutDialog", "none: the CPU runs all {layers} layers (CPU build)").format(
            layers=model.total_layers)
    if model.gpu_layers == 0:
        return translate("AboutDialog", "none: the CPU runs all {layers} layers").format(layers=model.total_layers)
    return translate("AboutDialog", "{on_gpu} of {layers} on the GPU ({backend})").format(
        on_gpu=model.gpu_layers, layers=model.total_layers, backend=model.backend)


def cpu_kernels_text(build: BuildInfo) -> str:
    kernels = build.cpu_kernels
    if kernels is None:
        return translate("AboutDialog", "none of this build's CPU kernels can run on this CPU")
    if not kernels.variant:
        return translate("AboutDialog", "one set, built into llama.cpp")
    if kernels.forced:
        return translate("AboutDialog", "{label} ({variant}, chosen with PARLEY_CPU_VARIANT)").format(
            label=kernels.label, variant=kernels.variant)
    usable, shipped = len(kernels.usable), len(kernels.shipped)
    return translate("AboutDialog", "{label} ({variant}: the fastest of the {usable} of {shipped} in this build that "
                     "run on this CPU)").format(label=kernels.label, variant=kernels.variant, usable=usable,
                                                shipped=shipped)


def _about_rows(build: BuildInfo, model: LoadedModel | None, dirs: DataDirs) -> list[tuple[str, str, str]]:
    """(key, label, value): the key names the row's field (objectName) in every language."""
    rows = [
        ("Parley", "Parley", parley_version()),
        ("llama-cpp-python", "llama-cpp-python", build.llama_cpp_version),
        ("llama.cpp backend", translate("AboutDialog", "llama.cpp backend"), build.description),
        ("CPU kernels", translate("AboutDialog", "CPU kernels"), cpu_kernels_text(build)),
    ]
    if model is None:
        rows.append(("Model", translate("AboutDialog", "Model"), translate("AboutDialog", "none loaded")))
    else:
        rows += [("Model", translate("AboutDialog", "Model"), f"{model.info.name} ({model.info.path.name})"),
                 ("Layers on the GPU", translate("AboutDialog", "Layers on the GPU"), gpu_layers_text(model))]
    rows += [
        ("Qt", "Qt", f"PySide6 {PySide6.__version__}, Qt {qVersion()}"),
        ("Python", "Python", translate("AboutDialog", "{version} on {system} {machine}").format(
            version=platform.python_version(), system=platform.system(), machine=platform.machine())),
        ("Data folder", translate("AboutDialog", "Data folder"), str(dirs.database.parent)),
        ("Settings file", translate("AboutDialog", "Settings file"), str(dirs.settings_file)),
    ]
    return rows


def about_details(build: BuildInfo, model: LoadedModel | None, dirs: DataDirs) -> list[tuple[str, str]]:
    """The dialog's rows, label and value, in order: what a bug report needs."""
    return [(label, value) for _key, label, value in _about_rows(build, model, dirs)]


def details_text(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in rows) + f"\n\n{offline_promise()}\n"


class AboutDialog(QDialog):
    def __init__(self, build: BuildInfo, model: LoadedModel | None, dirs: DataDirs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a fresh one, with the current model, each time
        self.setWindowTitle(translate("AboutDialog", "About Parley"))
        keyed = _about_rows(build, model, dirs)
        self.rows = [(label, value) for _key, label, value in keyed]

        icon = QLabel()
        icon_file = resource_dir() / "icons" / "parley.svg"
        if icon_file.is_file():
            icon.setPixmap(QIcon(str(icon_file)).pixmap(64, 64))
        title = QLabel(f"<h2 style='margin:0'>Parley {parley_version()}</h2><p style='margin:2px 0'>{tagline()}</p>")
        title.setObjectName("aboutTitle")
        header = QHBoxLayout()
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(title, 1)

        form = QFormLayout()
        for key, label, value in keyed:
            field = plain_label(value)  # model names and paths come from files
            field.setObjectName("about" + re.sub(r"\W", "", key.title()))
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(translate("AboutDialog", "{label}:").format(label=label), field)
        promise = QLabel(offline_promise())
        promise.setObjectName("aboutOfflinePromise")
        promise.setWordWrap(True)
        promise.setStyleSheet(bar_style("#aboutOfflinePromise", "success", "8px"))

        self.copy_button = named_button(
            "aboutCopyButton", translate("AboutDialog", "Copy details"),
            translate("AboutDialog", "Copy these details to the clipboard, e.g. for a bug report"))
        self.copy_button.clicked.connect(self.copy_details)
        close = QPushButton(translate("AboutDialog", "Close"))
        close.setObjectName("aboutCloseButton")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(form)
        layout.addWidget(promise)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    def text(self) -> str:
        return details_text(self.rows)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copy_button.setText(translate("AboutDialog", "Copied"))
