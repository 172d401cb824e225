"""The interface language: Parley's own translations (resources/translations/*.qm, compiled from the .ts sources by
`make`) and Qt's for its own dialogs and buttons, chosen from the settings (View › Language) or the system locale.

The language is applied at start, before any widget is built; a change in View › Language takes effect the next
time Parley starts (the window says so), since every page builds its texts once.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.core.i18n import set_number_format, set_translator
from desktop.core.paths import resource_dir

SYSTEM = ""  # follow the system locale
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "\u7b80\u4f53\u4e2d\u6587"}  # code -> its own name
TRANSLATIONS = resource_dir() / "translations"
TRANSLATOR_NAME = "parleyTranslator"


def chosen_language(setting: str, locale: QLocale | None = None) -> str:
    """The language to show: the person's choice, else the system's when Parley has it, else English.
    PARLEY_LANGUAGE (en, zh_CN) overrides both, for scripts and screenshots."""
    forced = os.environ.get("PARLEY_LANGUAGE", "")
    if forced in LANGUAGES:
        return forced
    if setting in LANGUAGES:
        return setting
    system = locale or QLocale.system()
    if system.language() == QLocale.Language.Chinese and system.script() != QLocale.Script.TraditionalHanScript:
        return "zh_CN"
    return "en"


def qm_file(language: str, folder: Path = TRANSLATIONS) -> Path:
    return folder / f"parley_{language}.qm"


def install_language(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Parley's and Qt's translators for `language` into `app` (nothing for English), replacing those an
    earlier call installed, and route core's messages through them. A missing .qm leaves English."""
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.setParent(None)
        old.deleteLater()
    set_translator(_qt_translate)
    locale = QLocale(language if language != "en" else "en_US")
    QLocale.setDefault(locale)
    set_number_format(lambda value, decimals: locale.toString(float(value), "f", decimals))
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_folder), (f"qt_{language}", qt_folder)):
        translator = QTranslator(app)
        translator.setObjectName(TRANSLATOR_NAME)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
            break  # qtbase is what the widgets use; qt_ is the older catalogue that includes it
    ours = QTranslator(app)
    ours.setObjectName(TRANSLATOR_NAME)
    if ours.load(str(qm_file(language))):
        app.installTranslator(ours)
        installed.append(ours)
    return installed


def _qt_translate(context: str, text: str, n: int) -> str:
    return QCoreApplication.translate(context, text, None, n)  # %n replaced by Qt when n >= 0
