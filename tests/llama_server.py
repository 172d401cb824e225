"""A real llama-server for the engine tests: the binary `make` builds from the same llama.cpp source as the pinned
llama-cpp-python (packaging/build-llama-server.sh), started on 127.0.0.1 on a free port and stopped afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

START_TIMEOUT = 120.0  # seconds: loading the built-in model takes a second or two; a loaded machine more


def server_binary() -> Path | None:
    """PARLEY_LLAMA_SERVER, else the one `make` linked into the virtual environment, else one on PATH."""
    named = os.environ.get("PARLEY_LLAMA_SERVER")
    if named:
        return Path(named)
    beside = Path(sys.prefix) / "bin" / "llama-server"
    if beside.exists():
        return beside
    found = shutil.which("llama-server")
    return Path(found) if found else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaServer:
    """One llama-server process serving `model`; `start()` waits until /health answers 200."""

    def __init__(self, binary: Path, model: Path, log: Path, *extra: str, port: int | None = None,
                 alias: str = "gemma-3-270m") -> None:
        self.binary, self.model, self.log, self.extra, self.alias = binary, model, log, extra, alias
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LlamaServer:
        command = [str(self.binary), "-m", str(self.model), "--host", "127.0.0.1", "--port", str(self.port),
                   "-c", "2048", "--parallel", "1", "-t", "2", "--alias", self.alias, "--no-warmup", *self.extra]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama-server exited with {self.process.returncode}; see {self.log}:\n"
                                   + self.log.read_text(errors="replace")[-3000:])
            try:
                if httpx.get(self.url + "/health", timeout=2, trust_env=False).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama-server did not become healthy within {START_TIMEOUT:g} s; see {self.log}")

    def kill(self) -> None:
        """Dies at once, as a crashed server would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None
