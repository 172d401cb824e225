"""Searching the Hugging Face Hub for GGUF models and listing their files.

Every failure leaves this module as a HubError whose text the GUI can show as is (desktop.hub.errors), so no
httpx or huggingface_hub exception ever reaches a dialog. Every request has a timeout (desktop.hub.timeouts): a
server that accepts the connection and never answers ends in a message, not a hang. With no network the answer
comes within seconds: requests are made once (huggingface_hub's pagination retries network errors five times with
back-off, 23 s in all, so Parley does not use it), connecting is bounded by HUB_CONNECT_TIMEOUT, and so is the
name lookup, which no socket timeout covers.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version

import httpx2
from huggingface_hub import HfApi, ModelInfo, constants, get_session, get_token, hf_hub_url, hf_raise_for_status
from huggingface_hub._login import _set_active_token
from huggingface_hub.errors import HFValidationError
from huggingface_hub.utils._auth import _save_token
from huggingface_hub.utils._headers import build_hf_headers
from huggingface_hub.utils._validators import validate_repo_id

from desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from desktop.core.os_reason import os_reason
from desktop.hub.errors import TOKENS_PAGE, HubError, OfflineError, short_reason, translate_error, unreachable
from desktop.hub.listing import RepoFile, RepoSummary, make_repo_file
from desktop.hub.names import refusal, unsafe_name_reason
from desktop.hub.timeouts import HUB_CONNECT_TIMEOUT, request_timeout

__all__ = ["RECOMMENDED", "HubClient", "save_token", "stored_token"]

# Parley promises privacy: no telemetry, and no "agent harness" lookup that huggingface_hub
# otherwise sends to huggingface.co the first time it builds a user agent.
constants.HF_HUB_DISABLE_TELEMETRY = True

_LOOKUP_REUSE = 300.0  # seconds a successful name lookup is trusted before the next request checks again
_looked_up: dict[str, float] = {}  # host -> when its name last resolved
_TOKEN_NAME = "parley"
_SORTS = {"downloads": "downloads", "likes": "likes", "updated": "lastModified"}  # the Hub's sort keys

RECOMMENDED: tuple[tuple[str, str], ...] = (
    ("Qwen/Qwen2.5-0.5B-Instruct-GGUF",
     QT_TRANSLATE_NOOP("HubBrowser", "Qwen 2.5 0.5B: tiny and fast, runs on any computer (about 0.5 GB)")),
    ("bartowski/Llama-3.2-1B-Instruct-GGUF",
     QT_TRANSLATE_NOOP("HubBrowser", "Llama 3.2 1B: small general assistant from Meta (about 0.8 GB)")),
    ("bartowski/gemma-2-2b-it-GGUF",
     QT_TRANSLATE_NOOP("HubBrowser", "Gemma 2 2B: Google's small model, good English writing (about 1.7 GB)")),
    ("bartowski/Llama-3.2-3B-Instruct-GGUF",
     QT_TRANSLATE_NOOP("HubBrowser", "Llama 3.2 3B: a capable everyday assistant (about 2 GB)")),
    ("microsoft/Phi-3-mini-4k-instruct-gguf",
     QT_TRANSLATE_NOOP("HubBrowser", "Phi-3 mini 3.8B: strong reasoning for its size (about 2.4 GB)")),
    ("bartowski/Qwen2.5-7B-Instruct-GGUF",
     QT_TRANSLATE_NOOP("HubBrowser", "Qwen 2.5 7B: much stronger, needs 8 GB of memory or more (about 4.7 GB)")),
)


def _parley_version() -> str:
    try:
        return version("parley")
    except PackageNotFoundError:
        return "dev"


def save_token(token: str) -> None:
    """Store an access token where huggingface_hub keeps it (its token file), without a network check or git."""
    token = token.strip()
    if not token:
        raise HubError(translate("HubError", "The access token is empty. Paste a token from {page}.").format(
            page=TOKENS_PAGE))
    try:
        _save_token(token=token, token_name=_TOKEN_NAME)
        _set_active_token(token_name=_TOKEN_NAME, add_to_git_credential=False)
    except OSError as e:
        raise HubError(translate("HubError", "Parley could not save the access token ({error}). Check that your "
                                 "home folder is writable.").format(error=os_reason(e))) from e


def stored_token() -> str | None:
    """The token huggingface_hub would send: HF_TOKEN from the environment, else the saved one."""
    return get_token()


class HubClient:
    """Read-only access to the Hub, shaped for Parley: GGUF repositories and their files only."""

    def __init__(self, endpoint: str | None = None, token: str | None = None, offline: bool = False) -> None:
        # huggingface_hub reads HF_ENDPOINT once at import; read it again so a later setting still counts.
        self.endpoint: str = (endpoint or os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")
        self.offline = offline
        self._token = token
        self._api = HfApi(endpoint=self.endpoint, token=token, library_name="parley",
                          library_version=_parley_version())

    # -- queries ---------------------------------------------------------------------------------------------------

    def search(self, query: str, sort: str = "downloads", limit: int = 30) -> list[RepoSummary]:
        """GGUF repositories matching `query` (all GGUF repositories when it is empty), best first."""
        if sort not in _SORTS:
            raise ValueError(f"sort must be one of {sorted(_SORTS)}, not {sort!r}")
        params: dict[str, str | int | list[str]] = {
            "filter": ["gguf"], "sort": _SORTS[sort], "limit": max(1, limit),
            "expand": ["downloads", "likes", "lastModified", "gated"]}
        if query.strip():
            params["search"] = query.strip()
        with self._errors(translate("HubError", "search Hugging Face")):
            # HfApi.list_models sends no timeout and retries timeouts five times, so the request is made here
            response = get_session().get(f"{self.endpoint}/api/models", params=params, headers=self.headers(),
                                         timeout=request_timeout())
            hf_raise_for_status(response)
            items = response.json()
            if not isinstance(items, list):
                raise ValueError("not a list of models")
            models = [ModelInfo(**item) for item in items[: max(1, limit)]]  # type: ignore[no-untyped-call]
            return [
                RepoSummary(repo_id=m.id, downloads=m.downloads or 0, likes=m.likes or 0,
                            last_modified=m.last_modified, gated=bool(m.gated))
                for m in models
            ]

    def gguf_files(self, repo_id: str) -> list[RepoFile]:
        """Every .gguf file in the repository whose name Parley accepts, with its size and SHA-256, in name order."""
        return self.list_gguf(repo_id)[0]

    def list_gguf(self, repo_id: str) -> tuple[list[RepoFile], list[tuple[str, str]]]:
        """The .gguf files Parley can download, and (path, reason) for those whose names it refuses
        (desktop.hub.names): a HubError when there is no file of either kind, or only refused ones."""
        repo_id = self._valid_repo_id(repo_id)
        with self._errors(translate("HubError", "list the files of {repo}").format(repo=repo_id), repo_id):
            info = self._api.model_info(repo_id, files_metadata=True,
                                        timeout=request_timeout())  # type: ignore[arg-type]  # passed on to httpx
        files, refused = [], []
        for sibling in info.siblings or []:
            if not sibling.rfilename.lower().endswith(".gguf"):
                continue
            if reason := unsafe_name_reason(sibling.rfilename):
                refused.append((sibling.rfilename, reason))
                continue
            lfs = sibling.lfs
            size = sibling.size if sibling.size is not None else (lfs.size if lfs is not None else 0)
            files.append(make_repo_file(sibling.rfilename, size, lfs.sha256 if lfs is not None else None))
        if not files and refused:
            path, reason = refused[0]
            others = len(refused) - 1
            more = translate("HubError", " (and {count} more)").format(count=others) if others else ""
            raise HubError(translate("HubError", "{repo} lists only GGUF files whose names Parley refuses{more}. "
                                     "{refusal}").format(repo=repo_id, more=more,
                                                         refusal=refusal(path, repo_id, reason)))
        if not files:
            raise HubError(translate("HubError", "{repo} has no GGUF files; Parley runs GGUF models only. Search for "
                                     "a GGUF version of this model (its name usually ends in -GGUF).").format(
                repo=repo_id))
        return sorted(files, key=lambda f: f.path.lower()), sorted(refused)

    def model_card(self, repo_id: str) -> str:
        """The repository's README.md (its model card), or "" when it has none."""
        repo_id = self._valid_repo_id(repo_id)
        with self._errors(translate("HubError", "read the model card of {repo}").format(repo=repo_id), repo_id):
            response = get_session().get(self.file_url(repo_id, "README.md"), headers=self.headers(),
                                         timeout=request_timeout())
            if response.status_code == 404 and response.headers.get("X-Error-Code") != "RepoNotFound":
                return ""
            hf_raise_for_status(response)
            return response.text

    def file_url(self, repo_id: str, path: str, revision: str = "main") -> str:
        """The resolve URL of one file on this client's endpoint."""
        return hf_hub_url(repo_id, path, revision=revision, endpoint=self.endpoint)

    def headers(self) -> dict[str, str]:
        """Authorization (explicit token, else the stored one) and Parley's user agent, for the downloader."""
        return build_hf_headers(token=self._token, library_name="parley", library_version=_parley_version())

    # -- helpers ---------------------------------------------------------------------------------------------------

    def check_online(self) -> None:
        """Raise OfflineError before any request when Parley or huggingface_hub is in offline mode."""
        if self.offline or constants.is_offline_mode():
            raise OfflineError(translate("HubError", "Parley is in offline mode, so it cannot reach Hugging Face. "
                                         "Turn off offline mode (and unset HF_HUB_OFFLINE) to browse and download "
                                         "models."), offline_mode=True)

    def _valid_repo_id(self, repo_id: str) -> str:
        repo_id = repo_id.strip().removeprefix(self.endpoint + "/").removeprefix("https://huggingface.co/").strip("/")
        try:
            validate_repo_id(repo_id)
        except HFValidationError:
            raise HubError(translate("HubError", "\"{repo}\" is not a Hugging Face repository name. Names look like "
                                     "\"owner/model-name\", for example \"Qwen/Qwen2.5-0.5B-Instruct-GGUF\".").format(
                repo=repo_id)) from None
        return repo_id

    @contextmanager
    def _errors(self, action: str, repo_id: str | None = None) -> Iterator[None]:
        """Check offline mode first, then turn every library or network exception into a HubError."""
        self.check_online()
        try:
            _look_up(self.endpoint, action)
            yield
        except HubError:
            raise
        except Exception as e:  # boundary: huggingface_hub and httpx raise many types; each becomes a message
            raise translate_error(e, action, self.endpoint, repo_id) from e


def _look_up(endpoint: str, action: str) -> None:
    """Resolve the endpoint's host name within HUB_CONNECT_TIMEOUT, or raise OfflineError.

    A resolver that does not answer (a stale DNS server, a network that is not there) holds getaddrinfo for tens
    of seconds, and no socket timeout covers it; so the lookup runs on a daemon thread that is left to finish on
    its own. Skipped behind a proxy (the proxy resolves the name) and for a name that resolved a moment ago."""
    host = httpx2.URL(endpoint).host
    if not host or urllib.request.getproxies():
        return
    last = _looked_up.get(host)
    if last is not None and time.monotonic() - last < _LOOKUP_REUSE:
        return
    done = threading.Event()
    failure: list[BaseException] = []

    def resolve() -> None:
        try:
            socket.getaddrinfo(host, None)
        except (OSError, UnicodeError) as e:  # gaierror, or a name IDNA cannot encode
            failure.append(e)
        finally:
            done.set()

    threading.Thread(target=resolve, name="parley-hub-lookup", daemon=True).start()
    if not done.wait(HUB_CONNECT_TIMEOUT):
        why = translate("HubError", "looking up {host} took longer than {seconds:g} s").format(
            host=host, seconds=HUB_CONNECT_TIMEOUT)
        raise OfflineError(unreachable(action, endpoint, why))
    if failure:
        raise OfflineError(unreachable(action, endpoint, short_reason(failure[0])))
    _looked_up[host] = time.monotonic()
