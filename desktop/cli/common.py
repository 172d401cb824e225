"""What every `parley` terminal command shares: the --data-dir option, usage errors, limits, the one answer
to "which model, loaded how?" that the window gives too (app.startup_model), and --engine: which server runs the
model instead of this computer."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from desktop.core.engines.config import (
    LOCAL_ENGINE,
    EngineConfig,
    engine_problem,
    is_remote,
    offline_message,
    remote_label,
    remote_path,
)
from desktop.core.engines.keys import KeyStore
from desktop.core.models.builtin import default_model, ensure_builtin
from desktop.core.paths import DATA_DIR_ENV, DataDirs
from desktop.core.settings import ModelSettings, Settings
from desktop.core.terminal import terminal_safe

if TYPE_CHECKING:  # imported when a model is resolved: `parley chats` need not read the GGUF reader (numpy)
    from desktop.inference.backend import EngineCapabilities, InferenceBackend, LoadedModel, LoadOptions
    from desktop.inference.remote.client import EngineAccess

MIN_CONTEXT = 256  # llama.cpp pads smaller contexts up to this, which llama-cpp-python's buffers do not expect
BUILTIN = "builtin"  # --model builtin: the shipped Gemma 3 270M, whatever the settings say
DATA_DIR_HELP = f"Parley's data folder: models, settings, chats and runs (also ${DATA_DIR_ENV})"


class UsageError(Exception):
    """Input the person gave that cannot work; str() says what to change."""


class EngineChoiceError(UsageError):
    """--engine (or --model on an engine) names something that cannot be used; every command exits 2 for it."""


ENGINE_USAGE = 2  # the exit status for an EngineChoiceError, as for argparse's own usage errors
ENGINE_KEY_ENV = "PARLEY_ENGINE_KEY"  # an API key for --engine that wins over the one kept for the engine
ENGINE_HELP = (f"run on a server instead of this computer: the name of an engine added in Settings \u203a Engines, "
               f"or its URL (http://127.0.0.1:8080); the API key comes from ${ENGINE_KEY_ENV}, else the one kept "
               "for that engine. --model then names the server's model (default: the first it serves). "
               "See docs/engines.md")


def add_data_dir(parser: argparse.ArgumentParser, subcommands: Iterable[argparse.ArgumentParser] = ()) -> None:
    """--data-dir DIR, accepted before the subcommand and after it (`parley chats list --data-dir DIR`)."""
    parser.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    for command in subcommands:
        command.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)


def check_context(context: int | None) -> None:
    if context is not None and context < MIN_CONTEXT:
        raise UsageError(f"--context must be at least {MIN_CONTEXT} tokens; got {context}")


def existing_file(path_text: str | Path, what: str) -> Path:
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise UsageError(f"{what} {path} does not exist" if not path.exists() else f"{what} {path} is not a file")
    return path


def load_settings(dirs: DataDirs) -> Settings:
    """The window's settings, read-only here; a damaged file is set aside and named, as the window would."""
    settings = Settings.load(dirs.settings_file)
    if settings.notice:
        print(f"note: {terminal_safe(settings.notice)}", file=sys.stderr)
    return settings


@dataclass(frozen=True)
class ModelChoice:
    path: Path
    options: LoadOptions  # the remembered context length and GPU layers for this file, --context over them


def resolve_model(requested: str | Path | None, dirs: DataDirs, context: int | None = None) -> ModelChoice:
    """The model a command loads, found as the window finds it: --model PATH first ('builtin' for the shipped
    Gemma 3 270M), then the last model the window used, then the library (the chat built-in first); an empty
    library gets both built-in models and the chat one is used (BuiltinMissingError when neither came with this
    copy of Parley). It loads with what the Models page remembers for that file: context length and GPU layers;
    `context` (--context) wins over the remembered length."""
    named = existing_file(requested, "model file") if requested and str(requested) != BUILTIN else None
    settings = load_settings(dirs)
    if named is not None:
        path = named
    elif requested:
        dirs.create()
        path = ensure_builtin(dirs.models)
    elif settings.last_model and Path(settings.last_model).is_file():
        path = Path(settings.last_model)
    else:
        dirs.create()
        path = default_model(dirs.models)
    from desktop.inference.backend import LoadOptions

    remembered = remembered_for(settings, path)
    n_ctx = context if context is not None else remembered.context_length
    return ModelChoice(path, LoadOptions(n_ctx=n_ctx, n_gpu_layers=remembered.gpu_layers))


def remembered_for(settings: Settings, path: Path) -> ModelSettings:
    """The per-model settings the window keeps by the file's path (as loaded, or absolute)."""
    for key in (str(path), str(path.resolve())):
        if key in settings.models:
            return settings.models[key]
    return ModelSettings()


# --- --engine: a model on a server -------------------------------------------------------------------------------


def add_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", metavar="NAME|URL", help=ENGINE_HELP)


def wants_engine(requested: str | None) -> bool:
    """Whether --engine names a server (\u201cThis computer\u201d, or no --engine, is the in-process llama.cpp)."""
    return bool(requested) and requested != LOCAL_ENGINE


def resolve_engine(requested: str, dirs: DataDirs, settings: Settings | None = None) -> EngineAccess:
    """The server --engine names: an engine from Settings \u203a Engines by name, or a URL. A URL of an engine the
    settings hold is that engine (its name and key); any other URL is an engine named by its host:port for this
    run. The key: $PARLEY_ENGINE_KEY, else the one kept for the engine. Offline mode refuses engines that are not
    on this computer. EngineChoiceError for all of it, before anything is sent."""
    settings = settings if settings is not None else load_settings(dirs)
    requested = requested.strip()
    if "://" in requested:
        config = _engine_by_url(requested, settings.engines)
    elif requested in settings.engines:
        config = EngineConfig(requested, settings.engines[requested])
    else:
        known = ", ".join(sorted(settings.engines))
        raise EngineChoiceError(
            f"there is no engine called {requested!r}; "
            + (f"the engines added in Settings \u203a Engines are {known}. Give --engine one of those names or "
               if known else "no engines have been added in Settings \u203a Engines. Add one there, or give --engine ")
            + "a server's URL, such as http://127.0.0.1:8080")
    if settings.offline and not config.loopback:
        raise EngineChoiceError(offline_message(config.name))
    key = os.environ.get(ENGINE_KEY_ENV) or KeyStore(dirs.engine_keys).get(config.name)

    from desktop.inference.remote.client import EngineAccess

    return EngineAccess(config, key or None, settings.engine_timeout, settings.offline)


def _engine_by_url(url: str, engines: dict[str, str]) -> EngineConfig:
    ad_hoc = EngineConfig(_host_port(url), url.strip())
    for name, known_url in engines.items():
        if EngineConfig(name, known_url).root == ad_hoc.root:
            return EngineConfig(name, known_url)
    problem = engine_problem("server", url)  # the URL's problems only: the name is made from it
    if problem is not None:
        raise EngineChoiceError(f"--engine {url}: {problem}")
    return ad_hoc


def _host_port(url: str) -> str:
    """gpu-box:8080 for http://user@gpu-box:8080/v1: an ad-hoc engine's name, without any credentials."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{host}:{port}" if port is not None else host


def public_url(config: EngineConfig) -> str:
    """The engine's root URL without user:password@, for run records and messages."""
    return config.public_root


def remote_model(access: EngineAccess, requested: str | None) -> Path:
    """The model reference (engine:NAME/MODEL) of --model on the engine, or of the first model it serves; asks the
    server what it serves (InferenceError naming the engine when it cannot be reached)."""
    from desktop.inference.remote.client import EngineClient

    client = EngineClient(access)
    try:
        served = [model.id for model in client.list_models()]
    finally:
        client.close()
    return remote_path(access.config.name, choose_served(access.config.name, served, requested))


def choose_served(engine: str, served: list[str], requested: str | None) -> str:
    if requested is None:
        return served[0]
    if requested not in served:
        raise EngineChoiceError(f"{engine} does not serve a model called {requested!r}; it serves "
                                f"{', '.join(served)}. Give --model one of those")
    return requested


def remote_backend(access: EngineAccess) -> InferenceBackend:
    """The backend that runs models on the one engine this command talks to."""
    from desktop.inference.backend import InferenceError
    from desktop.inference.remote.backend import RemoteBackend

    def resolve(name: str) -> EngineAccess:
        if name != access.config.name:
            raise InferenceError(f"This command talks to {access.config.name} only, not to {name}.")
        return access

    return RemoteBackend(resolve)


def check_no_context(context: int | None) -> None:
    if context is not None:
        raise EngineChoiceError("--context sets the context of a model on this computer; a server's context is "
                                "set where it runs (llama-server -c N, vllm serve --max-model-len N)")


def model_name(path: Path) -> str:
    """How a command names the model it runs: the file's name, or \u201cQwen3-32B on gpu-box\u201d."""
    return remote_label(path) if is_remote(path) else path.name


@dataclass
class OpenedModel:
    """A model a command loaded, on this computer or on a server, and what its run records say about the engine."""

    backend: InferenceBackend
    loaded: LoadedModel
    path: Path  # the GGUF file, or engine:NAME/MODEL
    access: EngineAccess | None = None  # the server, for a model on one

    @property
    def capabilities(self) -> EngineCapabilities:
        return self.loaded.capabilities or self.backend.capabilities

    @property
    def name(self) -> str:
        return model_name(self.path)

    @property
    def record_path(self) -> Path:
        """The model's path as a run record keeps it: absolute for a file, the reference for a remote model."""
        return self.path if self.access is not None else self.path.resolve()

    def environment(self) -> dict[str, Any]:
        """What the run record says about the engine, as the window records it (engine_environment); a server's
        URL without any user:password@ in it."""
        from desktop.inference.environment import engine_environment

        environment = engine_environment(self.loaded)
        if self.access is not None:
            environment["engine_url"] = public_url(self.access.config)
        return environment

    def refuse(self, what: str, missing: str) -> EngineChoiceError:
        """A sentence for a command this engine cannot do: `what` (\u201cscore text\u201d) needs `missing`."""
        capabilities = self.capabilities
        return EngineChoiceError(f"{capabilities.name} cannot {what}: it does not return {missing}. "
                                 "See docs/engines.md for which engines do")


def open_model(engine: str | None, model: str | None, dirs: DataDirs, context: int | None = None) -> OpenedModel:
    """Load the model a command runs: --model on --engine's server, or --model on this computer as resolve_model
    finds it. The caller unloads it (opened.backend.unload())."""
    if engine is not None and wants_engine(engine):
        check_no_context(context)
        access = resolve_engine(engine, dirs)
        return open_remote(access, remote_model(access, model))
    choice = resolve_model(model, dirs, context)
    from desktop.inference.llama.backend import LlamaBackend  # loads llama.cpp: only once the input is known good

    local = LlamaBackend()
    return OpenedModel(local, local.load(choice.path, choice.options), choice.path)


def open_remote(access: EngineAccess, path: Path) -> OpenedModel:
    """Load `path` (engine:NAME/MODEL) on the engine: the server probed, its capabilities known."""
    from desktop.inference.backend import LoadOptions

    backend = remote_backend(access)
    return OpenedModel(backend, backend.load(path, LoadOptions()), path, access)
