"""A deliberately broken OpenAI-compatible server on 127.0.0.1, for the fault tests a real engine cannot play:
malformed JSON, a broken event stream, capabilities it claims but does not have."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODELS = {"object": "list", "data": [{"id": "liar", "object": "model", "owned_by": "me"}]}


class BadServer:
    """mode: "garbage" (every answer is not JSON), "broken-stream" (models fine, completions stream junk),
    "liar" (says it is llama-server, but /tokenize and /completion answer 500 or nonsense)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                server.handle(self, "GET")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                server.handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def handle(self, handler: Any, method: str) -> None:
        path = handler.path.split("?")[0]
        if self.mode == "garbage":
            handler._send(200, b"<html>this is not an API</html>{", "application/json")
            return
        if path == "/v1/models":
            handler._send(200, json.dumps(MODELS).encode())
        elif path == "/props" and self.mode == "liar":
            handler._send(200, json.dumps({"build_info": "b0-liar", "total_slots": 1,
                                           "default_generation_settings": {"n_ctx": 2048}}).encode())
        elif path == "/v1/completions" and self.mode == "broken-stream":
            body = b'data: {"id": "x", "choices": [{"text": "Hel", "index": 0}]}\n\ndata: {not json at all\n\n'
            handler.send_response(200)
            handler.send_header("Content-Type", "text/event-stream")
            handler.end_headers()
            handler.wfile.write(body)
            handler.wfile.flush()
        elif path == "/v1/completions" and self.mode == "liar":
            handler._send(200, json.dumps({"choices": "none"}).encode())
        elif path == "/tokenize" and self.mode == "liar":
            handler._send(500, b'{"error": {"message": "tokenizer exploded"}}')
        else:
            handler._send(404, b'{"error": {"message": "not here"}}')

    def __enter__(self) -> BadServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
