"""A fake GetStream Chat API speaking what the real `stream-chat` server client sends.

`channel.send_message(message, user_id)` is `POST /channels/{type}/{id}/message?api_key=…`
with a JSON body `{"message": {…, "user_id": …}}` and a server-side JWT in `Authorization`.
The fake answers `201 {"message": {…}}`, keeps every accepted message, refuses a message id
it already has the way GetStream does (400, code 4, "… already exists"), and can be told to
fail a channel's next N sends with a 500 so retries can be watched.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

_SEND = re.compile(r"^/channels/(?P<type>[^/]+)/(?P<id>[^/]+)/message$")


@dataclass
class FakeStreamServer:
    api_key: str = "test-key"
    messages: list[dict[str, Any]] = field(default_factory=list)
    attempts: Counter[str] = field(default_factory=Counter)
    _failures: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def fail_next(self, cid: str, times: int = 1) -> None:
        """Answer the next `times` sends to channel `cid` (`type:id`) with HTTP 500."""
        with self._lock:
            self._failures[cid] += times

    def sent_to(self, cid: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["cid"] == cid]

    def handle_send(self, cid: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        message = dict(body.get("message") or {})
        with self._lock:
            self.attempts[cid] += 1
            if self._failures[cid] > 0:
                self._failures[cid] -= 1
                return 500, {"code": -1, "message": "internal error (injected)"}
            if any(m["id"] == message.get("id") for m in self.messages):
                return 400, {
                    "code": 4,
                    "message": f"message with id {message['id']} already exists",
                }
            message["cid"] = cid
            self.messages.append(message)
        return 201, {"message": message, "duration": "1ms"}


def _handler(server: FakeStreamServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if f"api_key={server.api_key}" not in url.query or not self.headers.get(
                "Authorization"
            ):
                self._reply(401, {"code": 2, "message": "api_key or token missing"})
                return
            match = _SEND.match(url.path)
            if match is None:
                self._reply(404, {"code": 404, "message": f"no route {url.path}"})
                return
            self._reply(*server.handle_send(f"{match['type']}:{match['id']}", body))

    return Handler


@pytest.fixture
def stream_server() -> Iterator[FakeStreamServer]:
    fake = FakeStreamServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
