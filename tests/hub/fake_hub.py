"""A small local stand-in for the Hugging Face Hub, so hub tests never need the internet.

It speaks just the HTTP that huggingface_hub 2.x and desktop.hub use, and can misbehave on demand
(dropped connections, corrupted bytes, ignored Range headers, error statuses, gated repositories).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np

TOKEN = "hf_fake_test_token"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def make_gguf(path: str, name: str = "Tiny", rows: int = 256, file_type: int = 15, seed: int = 0) -> bytes:
    """A small valid GGUF file (llama architecture, one float32 tensor of rows x 512), returned as bytes."""
    import gguf

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name(name)
    writer.add_file_type(file_type)
    writer.add_tensor("tok_embd.weight", np.random.default_rng(seed).random((rows, 512), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with open(path, "rb") as f:
        return f.read()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def git_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeHub:
    """The server's state; tests change the switches between (or during) requests."""

    repos: dict[str, dict[str, bytes]] = field(default_factory=dict)
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)  # downloads / likes / lastModified per repo
    gated: set[str] = field(default_factory=set)
    drop_after: int | None = None  # close the connection after this many body bytes of a file, once
    corrupt: bool = False
    ignore_range: bool = False
    status: int | None = None
    redirect_lfs: bool = False  # answer /resolve/ for .gguf files with a 302 to a "CDN" path, like the real Hub
    listed_extra: int = 0  # file listings claim this many bytes more than the server has (and serves)
    withhold: int = 0  # every file answer promises the whole rest of the file but ends this many bytes short
    hang: bool = False  # accept every request, then never answer (until stop())
    delay: float = 0.0  # seconds every answer waits before it is sent (a slow network)
    requests: list[Request] = field(default_factory=list)
    body_bytes_served: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    released: threading.Event = field(default_factory=threading.Event)  # ends hanging answers
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, repo_id: str, files: dict[str, bytes], downloads: int = 0, likes: int = 0,
            last_modified: str = "2024-09-19T12:00:00.000Z") -> None:
        self.repos[repo_id] = files
        self.meta[repo_id] = {"downloads": downloads, "likes": likes, "lastModified": last_modified}

    def file_requests(self, method: str = "GET") -> list[Request]:
        return [r for r in self.requests if r.method == method and ("/resolve/" in r.path or "/cdn/" in r.path)]

    def start(self) -> FakeHub:
        hub = self

        class Handler(_Handler):
            state = hub

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), name="fake-hub", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.thread is not None:
            self.thread.join(5)
            self.thread = None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up mid-body (pause, cancel) are expected here


_TREE_RE = re.compile(r"^/api/models/(?P<repo>.+?)/tree/(?P<rev>[^/]+)(?:/(?P<path>.*))?$")
_RESOLVE_RE = re.compile(r"^/(?P<repo>.+?)/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")
_CDN_RE = re.compile(r"^/cdn/(?P<repo>.+?)/-/(?P<path>.+)$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: FakeHub

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    # -- plumbing ----------------------------------------------------------------------------------------------------

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        hub = self.state
        with hub.lock:
            hub.requests.append(Request(method, path, query, {k.lower(): v for k, v in self.headers.items()}))
        if hub.hang:
            hub.released.wait(60)
            self.close_connection = True
            return None
        if hub.delay:
            hub.released.wait(hub.delay)
        if hub.status is not None:
            return self._send(hub.status, {"error": f"forced status {hub.status}"})
        if path == "/api/models":
            return self._send(200, self._list(query))
        if m := _TREE_RE.match(path):
            return self._tree(m["repo"], m["path"] or "", query)
        if path.startswith("/api/models/"):
            return self._info(path.removeprefix("/api/models/"), query)
        if m := (_RESOLVE_RE.match(path) or _CDN_RE.match(path)):
            return self._file(method, m["repo"], m["path"], cdn=path.startswith("/cdn/"))
        return self._send(404, {"error": "not found"})

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _repo(self, repo_id: str) -> dict[str, bytes] | None:
        """The repository's files, or None after sending the error answer (missing, or gated without token)."""
        hub = self.state
        if repo_id not in hub.repos:
            self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
            return None
        if repo_id in hub.gated and self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(401, {"error": "Access to this model is restricted"},
                       {"X-Error-Code": "GatedRepo", "X-Error-Message": f"Access to model {repo_id} is restricted."})
            return None
        return hub.repos[repo_id]

    # -- API ---------------------------------------------------------------------------------------------------------

    def _summary(self, repo_id: str) -> dict[str, Any]:
        gguf = any(p.endswith(".gguf") for p in self.state.repos[repo_id])
        return {"_id": repo_id, "id": repo_id, "modelId": repo_id, **self.state.meta.get(repo_id, {}),
                "gated": "manual" if repo_id in self.state.gated else False, "private": False,
                "tags": ["gguf"] if gguf else ["transformers"]}

    def _list(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        search = query.get("search", [""])[0].lower()
        filters = query.get("filter", [])
        items = [self._summary(r) for r in self.state.repos if search in r.lower()]
        items = [i for i in items if all(f in i["tags"] for f in filters)]
        sort = query.get("sort", [""])[0]
        if sort:
            items.sort(key=lambda i: i.get(sort, 0), reverse=True)
        return items[: int(query.get("limit", ["1000"])[0])]

    def _entry(self, path: str, data: bytes) -> dict[str, Any]:
        size = len(data) + self.state.listed_extra
        entry: dict[str, Any] = {"type": "file", "oid": git_oid(data), "size": size, "path": path}
        if path.endswith(".gguf"):
            entry["lfs"] = {"oid": sha256(data), "size": size, "pointerSize": 134}
        return entry

    def _tree(self, repo_id: str, folder: str, query: dict[str, list[str]]) -> None:
        files = self._repo(repo_id)
        if files is None:
            return
        recursive = query.get("recursive", ["false"])[0] == "true"
        prefix = folder.strip("/") + "/" if folder.strip("/") else ""
        entries: list[dict[str, Any]] = []
        folders: set[str] = set()
        for path, data in sorted(files.items()):
            if not path.startswith(prefix):
                continue
            rest = path[len(prefix):]
            if "/" in rest and not recursive:
                folders.add(prefix + rest.split("/")[0])
            else:
                entries.append(self._entry(path, data))
        entries += [{"type": "directory", "oid": git_oid(f.encode()), "size": 0, "path": f} for f in sorted(folders)]
        self._send(200, entries)

    def _info(self, repo_id: str, query: dict[str, list[str]]) -> None:
        files = self._repo(repo_id)
        if files is None:
            return
        blobs = query.get("blobs", ["false"])[0] == "true"
        siblings = []
        for path, data in sorted(files.items()):
            sibling: dict[str, Any] = {"rfilename": path}
            if blobs:
                entry = self._entry(path, data)
                sibling |= {"size": entry["size"], "blobId": entry["oid"]}
                if "lfs" in entry:
                    sibling["lfs"] = {"sha256": entry["lfs"]["oid"], "size": entry["size"], "pointerSize": 134}
            siblings.append(sibling)
        self._send(200, {**self._summary(repo_id), "sha": COMMIT, "siblings": siblings})

    # -- files -------------------------------------------------------------------------------------------------------

    def _file(self, method: str, repo_id: str, path: str, cdn: bool) -> None:
        hub = self.state
        files = self._repo(repo_id)
        if files is None:
            return
        if path not in files:
            return self._send(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})
        data = files[path]
        lfs = path.endswith(".gguf")
        etag = sha256(data) if lfs else git_oid(data)
        headers = {"X-Repo-Commit": COMMIT, "ETag": f'"{etag}"', "Accept-Ranges": "bytes"}
        if lfs and hub.redirect_lfs and not cdn:
            headers |= {"X-Linked-Etag": f'"{etag}"', "X-Linked-Size": str(len(data)),
                        "Location": f"/cdn/{repo_id}/-/{path}?signature=abc"}
            return self._send(302, b"", headers)
        if lfs:
            headers |= {"X-Linked-Etag": f'"{etag}"', "X-Linked-Size": str(len(data))}
        start, status = 0, 200
        m = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if m and not hub.ignore_range:
            start = int(m[1])
            if start >= len(data):
                return self._send(416, b"", {"Content-Range": f"bytes */{len(data)}"})
            status = 206
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        body = bytearray(data[start:])
        if hub.corrupt:
            for offset in range(len(data) // 2, len(data), 4096):  # same bytes whatever the range
                if offset >= start:
                    body[offset - start] ^= 0xFF
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "HEAD":
            return
        with hub.lock:
            limit, hub.drop_after = hub.drop_after, None
        if hub.withhold:
            limit = min(limit if limit is not None else len(body), max(0, len(data) - hub.withhold - start))
        if limit is not None and limit < len(body):
            body = body[:limit]
            self.close_connection = True
        try:
            for i in range(0, len(body), 65536):
                piece = bytes(body[i : i + 65536])
                self.wfile.write(piece)
                with hub.lock:
                    hub.body_bytes_served += len(piece)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
