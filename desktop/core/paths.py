"""Where Parley keeps the person's data: one folder for everything, or platformdirs' folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop.core.errors import ParleyError
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason

APP_NAME = "Parley"
DATA_DIR_ENV = "PARLEY_DATA_DIR"


def resource_dir() -> Path:
    """The shipped `resources/` folder: inside a PyInstaller bundle (sys._MEIPASS), else beside the source tree.

    The one place that knows the layout, so icons and sample templates are found frozen and from a checkout alike.
    """
    bundle_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle_root:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


@dataclass(frozen=True)
class DataDirs:
    """All user data locations; `root` alone decides them when the person names a data folder."""

    models: Path
    settings_file: Path
    database: Path
    metadata_cache: Path
    templates: Path  # the person's few-shot templates
    experiments: Path  # saved Compare experiments
    runs: Path  # few-shot batch runs, each saved as a replayable record
    logs: Path  # parley.log (rotated) and crash.log (native crashes, from faulthandler)
    engine_keys: Path  # engines' API keys where there is no system keychain (owner-only)

    @classmethod
    def under(cls, root: str | Path) -> DataDirs:
        base = Path(root).expanduser().resolve()
        return cls(
            models=base / "models",
            settings_file=base / "settings.json",
            database=base / "parley.sqlite3",
            metadata_cache=base / "cache" / "model-metadata.json",
            templates=base / "templates",
            experiments=base / "experiments",
            runs=base / "runs",
            logs=base / "logs",
            engine_keys=base / "engine-keys.json",
        )

    @classmethod
    def default(cls) -> DataDirs:
        data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
        return cls(
            models=data / "models",
            settings_file=config / "settings.json",
            database=data / "parley.sqlite3",
            metadata_cache=cache / "model-metadata.json",
            templates=data / "templates",
            experiments=data / "experiments",
            runs=data / "runs",
            logs=data / "logs",
            engine_keys=config / "engine-keys.json",
        )

    @classmethod
    def resolve(cls, data_dir: str | Path | None) -> DataDirs:
        """--data-dir wins, then PARLEY_DATA_DIR, then the platform's folders."""
        chosen = data_dir or os.environ.get(DATA_DIR_ENV)
        return cls.under(chosen) if chosen else cls.default()

    def create(self) -> None:
        """Make the folders; DataFolderError (an OSError whose text names the folder and says why) otherwise."""
        for folder in (self.models, self.settings_file.parent, self.database.parent, self.metadata_cache.parent):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DataFolderError(_cannot_create(folder, exc)) from exc


class DataFolderError(ParleyError, OSError):
    """A data folder cannot be made (a file in the way, a read-only or full disk); str() is fit to show, put into
    words when asked for (the folders are made before the interface language is installed)."""

    def __init__(self, message: str | Callable[[], str]) -> None:
        super().__init__(message if isinstance(message, str) else message())
        self._message = message

    def __str__(self) -> str:
        return self._message if isinstance(self._message, str) else self._message()


def _cannot_create(folder: Path, exc: OSError) -> Callable[[], str]:
    for part in (folder, *folder.parents):  # a file where a folder should be: name it
        if part.exists() and not part.is_dir():
            blocker = part
            return lambda: translate(
                "DataFolderError", "Parley cannot use {folder} as a data folder: {part} is a file, not a folder."
            ).format(folder=folder, part=blocker)
    error = os_reason(exc)
    return lambda: translate("DataFolderError", "Parley cannot create the folder {folder}: {error}.").format(
        folder=folder, error=error)
