"""What can go wrong talking to the Hub, as messages a person can act on.

Every failure leaves desktop.hub as a HubError whose text the GUI can show as is, so no httpx or huggingface_hub
exception ever reaches a dialog: translate_error turns each library or network exception into one.
"""

from __future__ import annotations

import logging

import httpx2
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    OfflineModeIsEnabled,
)

from desktop.core.errors import ParleyError
from desktop.core.i18n import translate
from desktop.hub.timeouts import HUB_CONNECT_TIMEOUT

log = logging.getLogger(__name__)

__all__ = [
    "TOKENS_PAGE",
    "AuthRequired",
    "HubError",
    "OfflineError",
    "auth_required",
    "http_status_error",
    "short_reason",
    "translate_error",
    "unreachable",
]

TOKENS_PAGE = "https://huggingface.co/settings/tokens"  # where messages send a person for an access token


class HubError(ParleyError):
    """str() is a complete user-facing message: what went wrong and what to do."""


class AuthRequired(HubError):  # noqa: N818 - the name is part of the agreed API
    """Gated or private repository (401/403): the message says to accept the licence on the model page and enter an
    access token."""


class OfflineError(HubError):
    """Offline mode is on, or the network is unreachable."""

    def __init__(self, message: str, offline_mode: bool = False) -> None:
        super().__init__(message)
        self.offline_mode = offline_mode  # Parley's or huggingface_hub's offline mode, not a network failure


def translate_error(e: Exception, action: str, endpoint: str, repo_id: str | None = None) -> HubError:
    """A user-facing HubError for an exception raised while talking to the Hub."""
    page = f"{endpoint}/{repo_id}" if repo_id else endpoint
    if isinstance(e, OfflineModeIsEnabled):
        return OfflineError(translate("HubError", "huggingface_hub's offline mode is on (HF_HUB_OFFLINE), so Parley "
                                      "cannot reach Hugging Face. Unset HF_HUB_OFFLINE to browse and download "
                                      "models."), offline_mode=True)
    if isinstance(e, httpx2.ConnectTimeout):
        why = translate("HubError", "no connection within {seconds:g} s").format(seconds=HUB_CONNECT_TIMEOUT)
        return OfflineError(unreachable(action, endpoint, why))
    if isinstance(e, httpx2.TimeoutException):
        return HubError(translate("HubError", "Could not {action}: Hugging Face did not answer in time. Check your "
                                  "internet connection and try again.").format(action=action))
    if isinstance(e, httpx2.TransportError):
        return OfflineError(unreachable(action, endpoint, short_reason(e)))
    if isinstance(e, HfHubHTTPError):
        return _http_error(e, action, page, repo_id)
    if isinstance(e, HFValidationError):
        return HubError(translate("HubError", "Could not {action}: {error}.").format(action=action,
                                                                                     error=short_reason(e)))
    if isinstance(e, (ValueError, KeyError, TypeError)):  # undecodable JSON or an unexpected answer
        return HubError(translate("HubError", "Could not {action}: Hugging Face sent an answer Parley does not "
                                  "understand. Try again later; if it keeps happening, update Parley.").format(
            action=action))
    log.warning("Unexpected error while trying to %s", action, exc_info=e)
    return HubError(translate("HubError", "Could not {action}: {error}. Try again later.").format(
        action=action, error=short_reason(e)))


def unreachable(action: str, endpoint: str, why: str) -> str:
    """The message for a Hub that cannot be reached at all (no network, no name lookup, no connection)."""
    return translate("HubError", "Could not {action}: {endpoint} cannot be reached ({why}). Check your internet "
                     "connection, or use Parley offline with the models you have.").format(
        action=action, endpoint=endpoint, why=why)


def _http_error(e: HfHubHTTPError, action: str, page: str, repo_id: str | None) -> HubError:
    status = e.response.status_code
    code = e.response.headers.get("X-Error-Code")
    what = repo_id or translate("HubError", "this repository")
    if isinstance(e, GatedRepoError) or code == "GatedRepo" or (status in (401, 403) and code != "RepoNotFound"):
        return auth_required(action, page, what)
    if code == "RepoNotFound" or (status in (401, 404) and code is None and repo_id is not None):
        return HubError(translate("HubError", "Hugging Face has no model named {repo}. Check the spelling; if it is "
                                  "a private repository, enter an access token that can read it.").format(repo=what))
    if code in ("EntryNotFound", "RevisionNotFound") or status == 404:
        return HubError(translate("HubError", "Could not {action}: the file is no longer in {repo} (it may have been "
                                  "renamed or removed). Refresh the file list and choose again.").format(
            action=action, repo=what))
    if status == 429:
        return HubError(translate("HubError", "Could not {action}: Hugging Face is limiting requests right now. Wait "
                                  "a few minutes and try again.").format(action=action))
    if status >= 500:
        return HubError(translate("HubError", "Could not {action}: Hugging Face has a server problem (HTTP {status}). "
                                  "Try again later.").format(action=action, status=status))
    return http_status_error(action, status)


def http_status_error(action: str, status: int) -> HubError:
    """Any other HTTP status from the Hub."""
    return HubError(translate("HubError", "Could not {action}: Hugging Face answered HTTP {status}. Try again "
                              "later.").format(action=action, status=status))


def auth_required(action: str, page: str, what: str) -> AuthRequired:
    """The message for a gated or private repository: accept the licence, then enter a token."""
    return AuthRequired(translate("HubError", "{repo} is gated or private, so Hugging Face needs your permission to "
                                  "{action}. Open {page} in your browser, sign in and accept the licence, then create "
                                  "an access token at {tokens} and enter it in Parley.").format(
        repo=what, action=action, page=page, tokens=TOKENS_PAGE))


def short_reason(e: BaseException) -> str:
    """The first line of an exception's text (at most 200 characters), or its type's name when it has none."""
    text = str(e).strip().splitlines()
    return text[0][:200] if text else type(e).__name__
