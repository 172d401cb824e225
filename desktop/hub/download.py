"""One resumable, verified GGUF download into Parley's models folder.

Plain Python with callbacks (no Qt), so the GUI can run it on a worker thread and a script can run it
directly. Bytes go to a hidden partial file first (desktop.hub.partial_file), which one Download at a time owns
(an OS lock, so a second window or process is refused); only a file whose size, SHA-256 (hashed from the file on
disk, not from the network) and GGUF header check out is moved into the library, so the library never shows a
half-downloaded or damaged model. File names from the server are checked before anything touches the disk
(desktop.hub.names).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import httpx2
from huggingface_hub import get_session, hf_raise_for_status
from huggingface_hub.errors import HfHubHTTPError

from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason
from desktop.hub.client import HubClient
from desktop.hub.download_files import (
    PARTIAL_DIR,
    DownloadProgress,
    DownloadState,
    existing_parent,
    fmt,
    hash_file,
    partial_name,
    pending_downloads,
    total_size,
)
from desktop.hub.errors import HubError, OfflineError, auth_required, http_status_error, translate_error
from desktop.hub.listing import RepoFile
from desktop.hub.names import refusal, shown_name, unsafe_name_reason
from desktop.hub.partial_file import PartialFile
from desktop.hub.partial_lock import LockedError

__all__ = ["PARTIAL_DIR", "Download", "DownloadProgress", "DownloadState", "pending_downloads"]

CHUNK_SIZE = 1 << 20
PROGRESS_INTERVAL = 0.1  # seconds between progress callbacks (at most ~10 a second)
DISK_MARGIN = 64 << 20  # keep this much free beyond the file, so the system is not left with a full disk
_SPEED_WINDOW = 3.0  # seconds of history behind the bytes-per-second figure
_MAX_BACKOFF = 30.0
DOWNLOAD_TIMEOUT = 30.0  # seconds without a byte before a request counts as failed (the session has no timeout)


class _StoppedError(Exception):
    """Internal: pause() or cancel() was called; unwinds the transfer loop."""


class _TransientError(Exception):
    """Internal: a transient failure; the loop waits and continues from the bytes on disk."""

    def __init__(self, message: str, unreachable: bool = False, cut: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable  # the server could not be connected to at all
        self.cut = cut  # an answer started, then ended before the file did


class Download:
    """One GGUF file: continues from the bytes on disk (HTTP Range), also after a crash; verifies SHA-256 before an
    atomic move into the library."""

    def __init__(self, client: HubClient, repo_id: str, file: RepoFile, models_dir: Path,
                 on_progress: Callable[[DownloadProgress], None] | None = None,
                 retries: int = 4, backoff: float = 1.0) -> None:
        self.client = client
        self.repo_id = repo_id
        self.file = file
        self.models_dir = Path(models_dir)
        self.on_progress = on_progress
        self.retries = retries
        self.backoff = backoff
        self.name = file.path.rsplit("/", 1)[-1]
        reason = unsafe_name_reason(file.path)
        self._refused = refusal(file.path, repo_id, reason) if reason else None  # then nothing touches the disk
        safe = "refused.gguf" if reason else self.name
        self.target: Path = self.models_dir / safe
        self._part = PartialFile(self.models_dir / PARTIAL_DIR / partial_name(repo_id, safe))
        self.partial: Path = self._part.path
        self.sidecar: Path = self._part.sidecar
        self.url = client.file_url(repo_id, file.path)
        self.state = DownloadState.QUEUED
        self._lock = threading.Lock()
        self._pause = threading.Event()
        self._cancel = threading.Event()
        self._wake = threading.Event()  # interrupts a backoff wait
        self._samples: deque[tuple[float, int]] = deque()
        self._done = 0
        self._last_emit = 0.0

    def pause(self) -> None:
        """Stop within one chunk and keep the partial file; run() again (or a new Download) continues it."""
        self._pause.set()
        self._wake.set()

    def cancel(self) -> None:
        """Stop and delete the partial file and its sidecar (unless another Download is writing them)."""
        with self._lock:
            self._cancel.set()
            self._wake.set()
            if self.state in (DownloadState.RUNNING, DownloadState.VERIFYING, DownloadState.DONE):
                return  # the running loop cleans up; a finished file stays in the library
            self.state = DownloadState.CANCELLED
        self._discard_if_free()

    def run(self) -> Path:
        """Blocking: download, verify and move into the library; returns the target path."""
        with self._lock:
            if self.state is DownloadState.DONE:
                return self.target
            if self._cancel.is_set() or self.state is DownloadState.CANCELLED:
                self.state = DownloadState.CANCELLED
                raise HubError(translate("HubError", "The download of {name} was cancelled.").format(name=self.name))
            if self.state in (DownloadState.RUNNING, DownloadState.VERIFYING):
                raise HubError(translate("HubError", "{name} is already downloading.").format(name=self.name))
            if self.state is DownloadState.PAUSED:
                self._pause.clear()  # run() after a pause resumes
            self._wake.clear()
            self.state = DownloadState.RUNNING
        try:
            path = self._run_owned()
        except _StoppedError:
            with self._lock:
                cancelled = self._cancel.is_set()
                self.state = DownloadState.CANCELLED if cancelled else DownloadState.PAUSED
            if cancelled:
                self._discard_if_free()  # a cancel that came after the run let go of the partial file
                raise HubError(translate("HubError", "The download of {name} was cancelled.").format(
                    name=self.name)) from None
            raise HubError(translate("HubError", "Download paused: {name} will continue where it stopped.").format(
                name=self.name)) from None
        except (HubError, OSError) as e:
            with self._lock:
                self.state = DownloadState.CANCELLED if self._cancel.is_set() else DownloadState.FAILED
            if self.state is DownloadState.CANCELLED:
                self._discard_if_free()
            if isinstance(e, HubError):
                raise
            raise HubError(translate("HubError", "Parley could not write {name} to {folder} ({error}). Check that the "
                                     "models folder exists and is writable.").format(
                name=self.name, folder=self.models_dir, error=os_reason(e))) from e
        with self._lock:
            self.state = DownloadState.DONE
        return path

    def _run_owned(self) -> Path:
        """Checks that need no partial file, then the transfer while this Download holds the partial's lock."""
        if self._refused is not None:
            raise HubError(self._refused)
        size = self.file.size
        if self.target.exists():
            if self._same_file(self.target):
                self._emit(size, force=True)
                return self.target
            raise self._name_taken()
        self.client.check_online()
        remaining = size - (self._part.matching(self.file) or 0)
        free = shutil.disk_usage(existing_parent(self.partial)).free
        if free < remaining + DISK_MARGIN:
            raise HubError(translate("HubError", "Not enough disk space for {name}: it needs {needed} (including a "
                                     "{margin} safety margin) but only {free} is free in {folder}. Free up space or "
                                     "choose a smaller file.").format(
                name=self.name, needed=fmt(remaining + DISK_MARGIN), margin=fmt(DISK_MARGIN), free=fmt(free),
                folder=self.models_dir))
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._part.lock.acquire()
        except LockedError:
            raise HubError(translate("HubError", "{name} is already being downloaded into {folder} (by another Parley "
                                     "window or a `parley models download`). Let that download finish, or pause it "
                                     "there, then try again.").format(
                name=shown_name(self.name), folder=self.models_dir)) from None
        try:
            return self._run()
        except BaseException:
            if self._cancel.is_set() or self._part.size() == 0:
                self._part.discard()  # nothing worth resuming: no stale sidecar is left behind
            raise
        finally:
            self._part.lock.release()

    def _run(self) -> Path:
        size = self.file.size
        self._done = self._part.usable(self.file)
        self._write_sidecar()
        self._samples.clear()
        self._samples.append((time.monotonic(), self._done))
        self._emit(self._done, force=True)
        failures = 0
        while self._done < size:
            self._check_stop()
            before = self._done
            try:
                self._fetch()
                if self._done < size:
                    raise _TransientError(translate("HubError", "the connection closed early"), cut=True)
            except _TransientError as e:
                failures = 1 if self._done > before else failures + 1
                if failures > self.retries:
                    if e.cut and self._done == before:
                        raise HubError(translate(
                            "HubError", "The server keeps cutting {name} short: every answer ends at byte {done:,} of "
                            "the {size:,} bytes Hugging Face lists ({error}). The file on the server may be smaller "
                            "than listed; try again later, it will continue where it stopped.").format(
                            name=self.name, done=self._done, size=size, error=e)) from None
                    error = OfflineError if e.unreachable else HubError
                    raise error(translate("HubError", "The download of {name} keeps failing ({error}). Check your "
                                          "internet connection and try again; it will continue where it "
                                          "stopped.").format(name=self.name, error=e)) from None
                self._wake.wait(min(_MAX_BACKOFF, self.backoff * 2 ** (failures - 1)))
        self._check_stop()
        self.state = DownloadState.VERIFYING
        self._emit(size, force=True)
        self._part.verify(self.file, self.name, self._check_stop)
        self._part.check_header(self.file, self.name, self.repo_id)
        if self.target.exists():  # appeared while we downloaded
            if self._same_file(self.target):
                self._part.discard()
                return self.target
            raise self._name_taken()
        os.replace(self.partial, self.target)
        self.sidecar.unlink(missing_ok=True)
        return self.target

    def _mismatch(self, served: int) -> HubError:
        self._part.discard()
        return HubError(translate("HubError", "{name} on the server is not the size Hugging Face lists: the listing "
                                  "says {size:,} bytes, the server has {served:,}. The partial file was deleted. "
                                  "Refresh the file list and try again later; if it keeps happening, the repository "
                                  "is broken.").format(name=self.name, size=self.file.size, served=served))

    def _restart(self) -> None:
        """Forget the bytes on disk: the next write starts the file from byte 0."""
        self._part.truncate()
        self._done = 0
        self._samples.clear()
        self._samples.append((time.monotonic(), 0))

    def _fetch(self) -> None:
        """One HTTP request from byte self._done, appending to the partial file; a size the answer states that
        differs from the listed one is a mismatch (fatal), not a reason to start again."""
        headers = {**self.client.headers(), "Accept-Encoding": "identity"}
        if self._done:
            headers["Range"] = f"bytes={self._done}-"
        timeout = httpx2.Timeout(DOWNLOAD_TIMEOUT, connect=min(15.0, DOWNLOAD_TIMEOUT))
        started = False
        try:
            with get_session().stream("GET", self.url, headers=headers, timeout=timeout) as response:
                status = response.status_code
                total = total_size(response)
                if status == 416 and self._done:  # the server has no byte at self._done, fewer than it lists
                    raise self._mismatch(total if total is not None else self._done)
                if status < 300 and total is not None and total != self.file.size:
                    raise self._mismatch(total)
                if status in (408, 416, 429) or status >= 500:
                    raise _TransientError(translate("HubError", "the server answered HTTP {status}").format(
                        status=status))
                if status >= 400:
                    response.read()
                    raise self._http_error(response)
                if self._done and status == 200:  # Range ignored: the body is the whole file again
                    self._restart()
                elif self._done and not response.headers.get("Content-Range", "").startswith(f"bytes {self._done}-"):
                    self._restart()
                    raise _TransientError(translate("HubError", "the server sent a different part of the file than "
                                                    "asked for"))
                started = True
                with open(self.partial, "ab" if self._done else "wb") as out:
                    try:
                        for chunk in response.iter_bytes(CHUNK_SIZE):
                            if self._done + len(chunk) > self.file.size:
                                self._part.discard()
                                raise HubError(translate(
                                    "HubError", "Hugging Face sent more data for {name} than the {size} it lists. "
                                    "Refresh the file list and try again.").format(
                                    name=self.name, size=fmt(self.file.size)))
                            out.write(chunk)
                            self._done += len(chunk)
                            self._emit(self._done)
                            self._check_stop()
                    finally:
                        out.flush()
                        os.fsync(out.fileno())
        except (httpx2.TransportError, httpx2.StreamError) as e:
            cut = started and not isinstance(e, httpx2.TimeoutException)
            raise _TransientError(str(e) or type(e).__name__, isinstance(e, httpx2.ConnectError), cut) from e
        except ConnectionError as e:  # huggingface_hub's OfflineModeIsEnabled
            raise translate_error(e, self._action(), self.client.endpoint, self.repo_id) from e

    def _http_error(self, response: httpx2.Response) -> HubError:
        action = self._action()
        if response.status_code in (401, 403):  # the repository was listed, so this is about permission
            return auth_required(action, f"{self.client.endpoint}/{self.repo_id}", self.repo_id)
        try:
            hf_raise_for_status(response)
        except HfHubHTTPError as e:
            return translate_error(e, action, self.client.endpoint, self.repo_id)
        return http_status_error(action, response.status_code)

    def _action(self) -> str:
        """What failed, for "Could not …" messages."""
        return translate("HubError", "download {name}").format(name=self.name)

    def _check_stop(self) -> None:
        if self._cancel.is_set() or self._pause.is_set():
            raise _StoppedError

    def _same_file(self, path: Path) -> bool:
        if path.stat().st_size != self.file.size:
            return False
        return not self.file.sha256 or hash_file(path, self.file.size).hexdigest() == self.file.sha256.lower()

    def _name_taken(self) -> HubError:
        return HubError(translate("HubError", "A different file named \"{name}\" is already in your models folder "
                                  "({folder}). Rename or move that file, then download again.").format(
            name=self.name, folder=self.models_dir))

    def _write_sidecar(self) -> None:
        self._part.write_sidecar({"repo": self.repo_id, "path": self.file.path, "size": self.file.size,
                                  "sha256": self.file.sha256, "url": self.url})

    def _discard_if_free(self) -> None:
        """Delete the partial file unless another Download owns it (or the name was refused: nothing was written)."""
        if self._refused is None:
            self._part.discard_if_free()

    def _emit(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if self.on_progress is None or (not force and now - self._last_emit < PROGRESS_INTERVAL):
            return
        self._last_emit = now
        samples = self._samples
        samples.append((now, done))
        while len(samples) > 2 and now - samples[0][0] > _SPEED_WINDOW:
            samples.popleft()
        elapsed = now - samples[0][0]
        speed = (done - samples[0][1]) / elapsed if elapsed > 0 else 0.0
        self.on_progress(DownloadProgress(done=done, total=self.file.size, bytes_per_second=max(0.0, speed)))

