"""One resumable, verified GGUF download into Parley's models folder.

Plain Python with callbacks (no Qt), so the GUI can run it on a worker thread and a script can run it
directly. Bytes go to a hidden partial file first; only a file whose SHA-256 and GGUF header check out
is moved into the library, so the library never shows a half-downloaded or damaged model.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import httpx2
from huggingface_hub import get_session, hf_raise_for_status

from desktop.core.gguf_file import GGUFError, read_model_info
from desktop.hub.client import HubClient, HubError, OfflineError, RepoFile, auth_required, translate_error

__all__ = ["PARTIAL_DIR", "Download", "DownloadProgress", "DownloadState", "pending_downloads"]

PARTIAL_DIR = ".downloads"  # inside the models folder; hidden, so the library scan never lists partial files
CHUNK_SIZE = 1 << 20
PROGRESS_INTERVAL = 0.1  # seconds between progress callbacks (at most ~10 a second)
DISK_MARGIN = 64 << 20  # keep this much free beyond the file, so the system is not left with a full disk
_SPEED_WINDOW = 3.0  # seconds of history behind the bytes-per-second figure
_MAX_BACKOFF = 30.0
_TIMEOUT = httpx2.Timeout(30.0, connect=15.0)  # the shared session has no timeout; a stalled read must end


class DownloadState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    VERIFYING = "verifying"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DownloadProgress:
    """Bytes on disk so far, the file size, and the recent transfer speed."""

    done: int
    total: int
    bytes_per_second: float

    @property
    def seconds_left(self) -> float | None:
        """Estimated time to finish at the current speed; None while the speed is unknown."""
        if self.done >= self.total:
            return 0.0
        return (self.total - self.done) / self.bytes_per_second if self.bytes_per_second > 0 else None


class _StoppedError(Exception):
    """Internal: pause() or cancel() was called; unwinds the transfer loop."""


class _TransientError(Exception):
    """Internal: a transient failure; the loop waits and continues from the bytes on disk."""

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable  # the server could not be connected to at all


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
        self.target: Path = self.models_dir / self.name
        self.partial: Path = self.models_dir / PARTIAL_DIR / f"{repo_id.replace('/', '--')}--{self.name}.part"
        self.sidecar: Path = self.partial.with_suffix(".json")
        self.url = client.file_url(repo_id, file.path)
        self.state = DownloadState.QUEUED
        self._lock = threading.Lock()
        self._pause = threading.Event()
        self._cancel = threading.Event()
        self._wake = threading.Event()  # interrupts a backoff wait
        self._samples: deque[tuple[float, int]] = deque()
        self._done = 0
        self._hasher = hashlib.sha256()
        self._last_emit = 0.0

    def pause(self) -> None:
        """Stop within one chunk and keep the partial file; run() again (or a new Download) continues it."""
        self._pause.set()
        self._wake.set()

    def cancel(self) -> None:
        """Stop and delete the partial file and its sidecar."""
        with self._lock:
            self._cancel.set()
            self._wake.set()
            if self.state in (DownloadState.RUNNING, DownloadState.VERIFYING, DownloadState.DONE):
                return  # the running loop cleans up; a finished file stays in the library
            self.state = DownloadState.CANCELLED
        self._discard()

    def run(self) -> Path:
        """Blocking: download, verify and move into the library; returns the target path."""
        with self._lock:
            if self.state is DownloadState.DONE:
                return self.target
            if self._cancel.is_set() or self.state is DownloadState.CANCELLED:
                self.state = DownloadState.CANCELLED
                raise HubError(f"The download of {self.name} was cancelled.")
            if self.state in (DownloadState.RUNNING, DownloadState.VERIFYING):
                raise HubError(f"{self.name} is already downloading.")
            if self.state is DownloadState.PAUSED:
                self._pause.clear()  # run() after a pause resumes
            self._wake.clear()
            self.state = DownloadState.RUNNING
        try:
            path = self._run()
        except _StoppedError:
            with self._lock:
                cancelled = self._cancel.is_set()
                self.state = DownloadState.CANCELLED if cancelled else DownloadState.PAUSED
            if cancelled:
                self._discard()
                raise HubError(f"The download of {self.name} was cancelled.") from None
            raise HubError(f"Download paused: {self.name} will continue where it stopped.") from None
        except (HubError, OSError) as e:
            with self._lock:
                self.state = DownloadState.CANCELLED if self._cancel.is_set() else DownloadState.FAILED
            if self.state is DownloadState.CANCELLED:
                self._discard()
            if isinstance(e, HubError):
                raise
            raise HubError(f"Parley could not write {self.name} to {self.models_dir} ({e.strerror or e}). "
                           "Check that the models folder exists and is writable.") from e
        with self._lock:
            self.state = DownloadState.DONE
        return path

    def _run(self) -> Path:
        size, expected = self.file.size, (self.file.sha256 or "").lower() or None
        if self.target.exists():
            if self._same_file(self.target):
                self._emit(size, force=True)
                return self.target
            raise self._name_taken()
        self.client.check_online()
        done = self._usable_partial()
        remaining = size - done
        free = shutil.disk_usage(_existing_parent(self.partial)).free
        if free < remaining + DISK_MARGIN:
            raise HubError(f"Not enough disk space for {self.name}: it needs {_fmt(remaining + DISK_MARGIN)} "
                           f"(including a {_fmt(DISK_MARGIN)} safety margin) but only {_fmt(free)} is free in "
                           f"{self.models_dir}. Free up space or choose a smaller file.")
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        self._write_sidecar()
        self._hasher, self._done = _hash_file(self.partial, done, self._check_stop), done  # resume: hash what is there
        self._samples.clear()
        self._samples.append((time.monotonic(), done))
        self._emit(done, force=True)
        failures = 0
        while self._done < size:
            self._check_stop()
            before = self._done
            try:
                self._fetch()
                if self._done < size:
                    raise _TransientError("the connection closed early")
            except _TransientError as e:
                failures = 1 if self._done > before else failures + 1
                if failures > self.retries:
                    error = OfflineError if e.unreachable else HubError
                    raise error(f"The download of {self.name} keeps failing ({e}). Check your internet connection "
                                "and try again; it will continue where it stopped.") from None
                self._wake.wait(min(_MAX_BACKOFF, self.backoff * 2 ** (failures - 1)))
        self._check_stop()
        self.state = DownloadState.VERIFYING
        self._emit(size, force=True)
        if expected is not None and self._hasher.hexdigest() != expected:
            self._discard()
            raise HubError(f"{self.name} arrived damaged: its checksum does not match the one Hugging Face lists. "
                           "The partial file was deleted; download it again.")
        self._check_header()
        if self.target.exists():  # appeared while we downloaded
            if self._same_file(self.target):
                self._discard()
                return self.target
            raise self._name_taken()
        os.replace(self.partial, self.target)
        self.sidecar.unlink(missing_ok=True)
        return self.target

    def _restart(self) -> None:
        """Forget the bytes on disk: the next write starts the file from byte 0."""
        self._truncate()
        self._done, self._hasher = 0, hashlib.sha256()
        self._samples.clear()
        self._samples.append((time.monotonic(), 0))

    def _fetch(self) -> None:
        """One HTTP request from byte self._done, appending to the partial file and the running hash."""
        headers = {**self.client.headers(), "Accept-Encoding": "identity"}
        if self._done:
            headers["Range"] = f"bytes={self._done}-"
        try:
            with get_session().stream("GET", self.url, headers=headers, timeout=_TIMEOUT) as response:
                status = response.status_code
                if status == 416:  # our partial is longer than the file: start again
                    self._restart()
                if status in (408, 416, 429) or status >= 500:
                    raise _TransientError(f"the server answered HTTP {status}")
                if status >= 400:
                    response.read()
                    raise self._http_error(response)
                if self._done and status == 200:  # Range ignored: the body is the whole file again
                    self._restart()
                elif self._done and not response.headers.get("Content-Range", "").startswith(f"bytes {self._done}-"):
                    self._restart()
                    raise _TransientError("the server sent a different part of the file than asked for")
                with open(self.partial, "ab" if self._done else "wb") as out:
                    try:
                        for chunk in response.iter_bytes(CHUNK_SIZE):
                            if self._done + len(chunk) > self.file.size:
                                self._discard()
                                raise HubError(f"Hugging Face sent more data for {self.name} than the "
                                               f"{_fmt(self.file.size)} it lists. Refresh the file list and try again.")
                            out.write(chunk)
                            self._hasher.update(chunk)
                            self._done += len(chunk)
                            self._emit(self._done)
                            self._check_stop()
                    finally:
                        out.flush()
                        os.fsync(out.fileno())
        except (httpx2.TransportError, httpx2.StreamError) as e:
            raise _TransientError(str(e) or type(e).__name__, isinstance(e, httpx2.ConnectError)) from e
        except ConnectionError as e:  # huggingface_hub's OfflineModeIsEnabled
            raise translate_error(e, f"download {self.name}", self.client.endpoint, self.repo_id) from e

    def _http_error(self, response: httpx2.Response) -> HubError:
        action = f"download {self.name}"
        if response.status_code in (401, 403):  # the repository was listed, so this is about permission
            return auth_required(action, f"{self.client.endpoint}/{self.repo_id}", self.repo_id)
        try:
            hf_raise_for_status(response)
        except Exception as e:
            return translate_error(e, action, self.client.endpoint, self.repo_id)
        return HubError(f"Could not {action}: Hugging Face answered HTTP {response.status_code}. Try again later.")

    def _check_stop(self) -> None:
        if self._cancel.is_set() or self._pause.is_set():
            raise _StoppedError

    def _check_header(self) -> None:
        first_shard = (self.file.shard_index or 1) == 1  # only shard 1 of a split model names its architecture
        try:
            read_model_info(self.partial, require_architecture=first_shard)
        except GGUFError as e:
            self._discard()
            raise HubError(f"{self.name} from {self.repo_id} downloaded completely but is not a usable GGUF model: "
                           f"{e.problem}. The file was deleted. {e.hint}") from None

    def _same_file(self, path: Path) -> bool:
        if path.stat().st_size != self.file.size:
            return False
        return not self.file.sha256 or _hash_file(path, self.file.size).hexdigest() == self.file.sha256.lower()

    def _name_taken(self) -> HubError:
        return HubError(f'A different file named "{self.name}" is already in your models folder ({self.models_dir}). '
                        "Rename or move that file, then download again.")

    def _usable_partial(self) -> int:
        """Bytes of a partial file that belongs to this exact file version (else 0, and it is cleared)."""
        try:
            meta = json.loads(self.sidecar.read_text(encoding="utf-8"))
            size = self.partial.stat().st_size
        except (OSError, ValueError):
            return 0
        same = meta.get("size") == self.file.size and meta.get("sha256") == self.file.sha256
        if same and size <= self.file.size:
            return size
        self._truncate()
        return 0

    def _write_sidecar(self) -> None:
        meta = {"repo": self.repo_id, "path": self.file.path, "size": self.file.size, "sha256": self.file.sha256,
                "url": self.url}
        tmp = self.sidecar.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        os.replace(tmp, self.sidecar)

    def _truncate(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.truncate(self.partial, 0)

    def _discard(self) -> None:
        for path in (self.partial, self.sidecar):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

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


def pending_downloads(models_dir: Path) -> list[dict[str, object]]:
    """Unfinished downloads (their sidecars in .downloads), with the bytes already on disk, for resuming."""
    found: list[dict[str, object]] = []
    folder = Path(models_dir) / PARTIAL_DIR
    for sidecar in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(meta, dict) or not {"repo", "path", "size"} <= meta.keys():
            continue
        partial = sidecar.with_suffix(".part")
        meta["partial"] = str(partial)
        meta["done"] = partial.stat().st_size if partial.exists() else 0
        found.append(meta)
    return found


def _hash_file(path: Path, length: int, check: Callable[[], None] | None = None) -> hashlib._Hash:
    """SHA-256 of the first `length` bytes of a file; `check` runs between blocks (so pause works here too)."""
    hasher, count = hashlib.sha256(), 0
    if length:
        with open(path, "rb") as f:
            while count < length and (block := f.read(min(CHUNK_SIZE, length - count))):
                hasher.update(block)
                count += len(block)
                if check is not None:
                    check()
    return hasher


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _fmt(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n:,} bytes"
