"""A fake Apify API speaking the wire format the real `apify-client` (3.x) uses.

What the client sends for `client.actor(id).call(run_input=…, logger=None)` followed by
`client.dataset(run.default_dataset_id).list_items(…)`:

- `POST /v2/actors/{user~actor}/runs` — the run input as the body (gzip-compressed by the
  client once it is large enough), answered `201 {"data": <Run>}`. Client 3.x says
  `/actors/`; the API docs and older clients say `/acts/`, so both are served;
- `GET /v2/actor-runs/{runId}?waitForFinish=…` — polled until the run's status is
  terminal, answered `{"data": <Run>}`;
- `GET /v2/datasets/{datasetId}/items?clean=true&limit=…` — a bare JSON list, with the
  `X-Apify-Pagination-*` headers the client reads;
- `POST /v2/actors/{user~actor}/run-sync-get-dataset-items` — the one-call variant.

The token travels as `Authorization: Bearer …` (or `?token=`); a wrong one gets the API's
401 `{"error": {"type": "token-not-valid", …}}`. Runs always finish at once with
`run_status` (SUCCEEDED by default). Requests are recorded with their decoded JSON bodies.
"""

from __future__ import annotations

import gzip
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest


@dataclass(frozen=True)
class ApifyCall:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


def _actor_key(actor_id: str) -> str:
    return unquote(actor_id).replace("~", "/")


class FakeApifyServer:
    """Actors answer with the items a test sets through `set_items(actor_id, items)`."""

    def __init__(self, token: str = "test-apify-token") -> None:
        self.token = token
        self.items_by_actor: dict[str, list[dict[str, Any]]] = {}
        self.run_status = "SUCCEEDED"
        self.status_message: str | None = None
        self.calls: list[ApifyCall] = []
        self._runs: dict[str, dict[str, Any]] = {}
        self._datasets: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def set_items(self, actor_id: str, items: list[dict[str, Any]]) -> None:
        self.items_by_actor[_actor_key(actor_id)] = items

    def run_inputs(self, actor_id: str) -> list[Any]:
        key = actor_id.replace("/", "~")
        return [
            c.body
            for c in self.calls
            if c.method == "POST"
            and (c.path.startswith(f"/v2/actors/{key}/") or c.path.startswith(f"/v2/acts/{key}/"))
        ]

    # -- API objects --

    def _start_run(self, actor: str) -> dict[str, Any]:
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        run_id, dataset_id = uuid.uuid4().hex[:17], uuid.uuid4().hex[:17]
        run = {
            "id": run_id,
            "actId": actor.replace("/", "~"),
            "userId": "fakeUser",
            "startedAt": now,
            "finishedAt": now,
            "status": self.run_status,
            "statusMessage": self.status_message,
            "meta": {"origin": "API", "userAgent": "fake"},
            "stats": {"inputBodyLen": 0, "restartCount": 0, "resurrectCount": 0},
            "options": {
                "build": "latest",
                "timeoutSecs": 300,
                "memoryMbytes": 1024,
                "diskMbytes": 2048,
            },
            "buildId": "fakeBuild",
            "buildNumber": "0.0.1",
            "exitCode": 0 if self.run_status == "SUCCEEDED" else 1,
            "defaultKeyValueStoreId": uuid.uuid4().hex[:17],
            "defaultDatasetId": dataset_id,
            "defaultRequestQueueId": uuid.uuid4().hex[:17],
        }
        with self._lock:
            self._runs[run_id] = run
            self._datasets[dataset_id] = list(self.items_by_actor.get(actor, []))
        return run

    # -- serving --

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms stalls between header and body writes

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(
                self, status: int, payload: Any, headers: dict[str, str] | None = None
            ) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _error(self, status: int, kind: str, message: str) -> None:
                self._send(status, {"error": {"type": kind, "message": message}})

            def _body(self) -> Any:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Encoding", "").lower() == "gzip":
                    raw = gzip.decompress(raw)
                return json.loads(raw) if raw else None

            def _authorised(self, query: dict[str, list[str]]) -> bool:
                header = self.headers.get("Authorization", "")
                token = header.removeprefix("Bearer ").strip() if header else ""
                token = token or (query.get("token") or [""])[0]
                return token == fake.token

            def _handle(self, method: str) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                body = self._body() if method == "POST" else None
                with fake._lock:
                    fake.calls.append(ApifyCall(method, parts.path, query, body))
                if not self._authorised(query):
                    self._error(401, "token-not-valid", "Authentication token is not valid.")
                    return
                segments = [s for s in parts.path.split("/") if s]
                if segments[:1] != ["v2"]:
                    self._error(404, "page-not-found", "Unknown API version.")
                    return
                self._route(method, segments[1:], query)

            def _route(self, method: str, seg: list[str], query: dict[str, list[str]]) -> None:
                if method == "POST" and len(seg) == 3 and seg[0] in ("acts", "actors"):
                    actor = _actor_key(seg[1])
                    if actor not in fake.items_by_actor:
                        self._error(404, "record-not-found", f"Actor {actor} was not found.")
                        return
                    run = fake._start_run(actor)
                    if seg[2] == "runs":
                        self._send(201, {"data": run})
                        return
                    if seg[2] == "run-sync-get-dataset-items":
                        self._send(201, fake._datasets[run["defaultDatasetId"]])
                        return
                if method == "GET" and len(seg) == 2 and seg[0] == "actor-runs":
                    run = fake._runs.get(seg[1])
                    if run is None:
                        self._error(404, "record-not-found", "Actor run was not found.")
                    else:
                        self._send(200, {"data": run})
                    return
                if method == "GET" and len(seg) == 3 and seg[0] == "datasets" and seg[2] == "items":
                    self._items(seg[1], query)
                    return
                self._error(404, "page-not-found", f"No fake for {method} /v2/{'/'.join(seg)}")

            def _items(self, dataset_id: str, query: dict[str, list[str]]) -> None:
                items = fake._datasets.get(dataset_id)
                if items is None:
                    self._error(404, "record-not-found", "Dataset was not found.")
                    return
                offset = int((query.get("offset") or ["0"])[0])
                limit = int((query.get("limit") or ["999999999999"])[0])
                chosen = items[offset : offset + limit]
                if (query.get("clean") or ["false"])[0] in ("true", "1"):
                    chosen = [item for item in chosen if item]
                headers = {
                    "X-Apify-Pagination-Total": str(len(items)),
                    "X-Apify-Pagination-Offset": str(offset),
                    "X-Apify-Pagination-Count": str(len(chosen)),
                    "X-Apify-Pagination-Limit": str(limit),
                    "X-Apify-Pagination-Desc": "false",
                }
                self._send(200, chosen, headers)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        return Handler

    def start(self) -> FakeApifyServer:
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeApifyServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def apify_server() -> Iterator[FakeApifyServer]:
    with FakeApifyServer() as server:
        yield server
