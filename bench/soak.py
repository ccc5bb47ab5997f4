"""Soak test of a real deployment on one machine (not part of the test suite).

Starts PostgreSQL, one `sift serve` and `--workers` `sift worker` processes, then for
`--minutes` (default 30):

- sends signed `message.new` webhooks at `--rate` per second (default 3.5, ten times a busy
  creator's 30,000 fan messages a day), Poisson-spaced, each retried on a refused
  connection or a 5xx until acknowledged, as GetStream retries;
- runs `--searchers` loops of public searches (`/?q=` and `/hsds/services?search=`);
- asks `/healthz` four times a second;
- kills (SIGKILL) a worker every `--kill-worker-every` seconds and restarts it, and kills
  the server once, at half time, and restarts it;
- samples the server's and workers' memory every 10 s.

At the end it checks that every acknowledged message is stored exactly once and belongs
to the inbox (one cluster membership, no more than one active), that `/healthz` answered
with p99 under 1 s while the server was up, and that the server's memory stayed flat
after warm-up (its last sample within 15 % + 30 MB of the sample a third of the way into
its run). It prints the figures, one JSON line last with `--json`, and exits 1 when a check
fails. Why it exists: the promises "no message lost or duplicated" and "health stays
fast under load" hold only if they hold while processes die, which no unit test shows.

    .venv/bin/python bench/soak.py --minutes 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from sift import db
from sift.inbox import fans, webhooks
from sift.metrics import percentile

BUSY_CREATOR_PER_DAY = 30_000
SECRET = "soak-webhook-secret"
CREATOR = "soak-creator"
SEARCH_WORDS = [
    "food",
    "meals",
    "tax",
    "help",
    "english",
    "class",
    "shelter",
    "job",
    "legal",
    "clinic",
    "youth",
    "art",
]


@dataclass
class Figures:
    """Everything the threads record; each list is appended to by one thread only."""

    health: list[float] = field(default_factory=list)
    health_failures: int = 0
    webhook: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    acknowledged: set[str] = field(default_factory=set)
    undelivered: list[str] = field(default_factory=list)
    searches: list[float] = field(default_factory=list)
    search_status: Counter[int] = field(default_factory=Counter)
    memory: list[tuple[float, str, int, float]] = field(default_factory=list)
    kills: list[str] = field(default_factory=list)
    server_down_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Fleet:
    """The server and workers as real processes, killed and restarted on demand."""

    def __init__(self, env: dict[str, str], workers: int, port: int, logs: Path) -> None:
        self.env, self.port, self.logs = env, port, logs
        self.url = f"http://127.0.0.1:{port}"
        self.server = self._start("serve", "serve", "--port", str(port))
        self.workers = [
            self._start(f"worker-{i}", "worker", "--id", f"soak-{i}") for i in range(workers)
        ]

    def _start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "sift.cli", *args], env=self.env, stdout=log, stderr=log
        )

    def wait_healthy(self, timeout: float = 180) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.server.poll() is not None:
                raise SystemExit(f"sift serve exited ({self.server.returncode}); see {self.logs}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"sift serve never answered /healthz; see {self.logs}")

    def kill_worker(self, index: int) -> None:
        self.workers[index].send_signal(signal.SIGKILL)
        self.workers[index].wait()
        self.workers[index] = self._start(f"worker-{index}", "worker", "--id", f"soak-{index}")

    def kill_server(self) -> float:
        """Seconds until the restarted server answers again."""
        self.server.send_signal(signal.SIGKILL)
        self.server.wait()
        self.server = self._start("serve", "serve", "--port", str(self.port))
        return self.wait_healthy()

    def stop(self) -> None:
        for process in [self.server, *self.workers]:
            process.terminate()
        for process in [self.server, *self.workers]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database(root: Path, given: str | None) -> str:
    """A fresh database on `given`'s server, or on an embedded one under `root`."""
    admin = db.as_psycopg(given or db._embedded_server(root, cleanup_mode="delete").get_uri())
    name = f"soak_{int(time.time())}"
    db.ensure_database(make_url(admin), name)
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    db.upgrade(url)
    return url


def seed_directory(url: str, posts: int = 60) -> None:
    """Published services for the searches to find (and embed on demand)."""
    import sift.domains  # noqa: F401  (installs the domains' models and services)
    from sift.directory.models import Post, PostStatus
    from sift.directory.registry import service

    db.configure(url)
    rng = random.Random(1)
    with db.session_scope() as session:
        org = service.create_organization(session, name="Soak Community Center")
        for n in range(posts):
            words = rng.sample(SEARCH_WORDS, 3)
            session.add(
                Post(
                    organization_id=org.id,
                    status=PostStatus.active,
                    title=f"{words[0].title()} {words[1]} program {n}",
                    description=f"Free {' '.join(words)} for neighbours, every week.",
                )
            )


def event(n: int, run: str, message: fans.FanMessage) -> bytes:
    return json.dumps(
        {
            "type": "message.new",
            "created_at": datetime.now(UTC).isoformat(),
            "cid": f"messaging:{CREATOR}-{message.channel}",
            "channel": {"creator_id": CREATOR},
            "message": {
                "id": f"{run}-{n}",
                "text": message.text,
                "user": {"id": message.channel, "name": message.visitor},
            },
        }
    ).encode()


def deliver(url: str, body: bytes, message_id: str, figures: Figures, deadline: float) -> None:
    """POST one signed event until it is acknowledged (or its timestamp would go stale)."""
    headers = {"X-Signature": webhooks.sign(SECRET, body), "Content-Type": "application/json"}
    tries = 0
    while time.monotonic() < deadline:
        tries += 1
        started = time.monotonic()
        try:
            answer = httpx.post(f"{url}/webhooks/stream", content=body, headers=headers, timeout=30)
        except httpx.HTTPError:
            answer = None
        if answer is not None and answer.status_code == 200:
            with figures.lock:
                figures.webhook.append(time.monotonic() - started)
                figures.outcomes[str(answer.json().get("outcome"))] += 1
                figures.retries += tries - 1
                figures.acknowledged.add(message_id)
            return
        if answer is not None and answer.status_code < 500:
            with figures.lock:
                figures.outcomes[f"refused {answer.status_code}: {answer.text[:80]}"] += 1
            return
        time.sleep(0.5)
    with figures.lock:
        figures.undelivered.append(message_id)


def send_webhooks(url: str, rate: float, stop: threading.Event, figures: Figures) -> None:
    run = f"soak-{int(time.time())}"
    inbox = fans.fan_inbox(400, 20_000, seed=7)
    rng = random.Random(3)
    with ThreadPoolExecutor(16) as pool:
        n, due = 0, time.monotonic()
        while not stop.is_set():
            due += rng.expovariate(rate)
            if (pause := due - time.monotonic()) > 0:
                stop.wait(pause)
            body = event(n, run, inbox[n % len(inbox)])
            pool.submit(deliver, url, body, f"{run}-{n}", figures, time.monotonic() + 240)
            n += 1


def probe_health(url: str, stop: threading.Event, figures: Figures, down: threading.Event) -> None:
    while not stop.wait(0.25):
        started = time.monotonic()
        try:
            ok = httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            ok = False
        if down.is_set():
            continue  # the server is being killed on purpose: not a health figure
        if ok:
            figures.health.append(time.monotonic() - started)
        else:
            figures.health_failures += 1


def search(
    url: str, stop: threading.Event, figures: Figures, down: threading.Event, seed: int
) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        words = " ".join(rng.sample(SEARCH_WORDS, rng.randint(1, 3)))
        path = rng.choice([f"/?q={words}", f"/hsds/services?search={words}"])
        started = time.monotonic()
        try:
            status = httpx.get(url + path, timeout=30).status_code
        except httpx.HTTPError:
            status = 0
        if down.is_set():
            continue  # the server is being killed on purpose
        with figures.lock:
            figures.searches.append(time.monotonic() - started)
            figures.search_status[status] += 1


def sample_memory(fleet: Fleet, stop: threading.Event, figures: Figures, t0: float) -> None:
    while not stop.wait(10):
        for name, process in [("serve", fleet.server)] + [
            (f"worker-{i}", w) for i, w in enumerate(fleet.workers)
        ]:
            try:
                rss = psutil.Process(process.pid).memory_info().rss / 2**20
            except psutil.Error:
                continue
            figures.memory.append((time.monotonic() - t0, name, process.pid, rss))


def chaos(
    fleet: Fleet,
    args: argparse.Namespace,
    stop: threading.Event,
    down: threading.Event,
    figures: Figures,
    t0: float,
) -> None:
    """A worker killed every `kill_worker_every` s (round robin), the server once at half time."""
    server_at = args.minutes * 60 / 2
    next_worker, victim, server_killed = args.kill_worker_every, 0, False
    while not stop.wait(1):
        now = time.monotonic() - t0
        if fleet.workers and now >= next_worker:
            fleet.kill_worker(victim % len(fleet.workers))
            figures.kills.append(f"{now:.0f}s worker-{victim % len(fleet.workers)}")
            victim, next_worker = victim + 1, next_worker + args.kill_worker_every
        if not server_killed and now >= server_at:
            down.set()
            figures.server_down_s = fleet.kill_server()
            down.clear()
            figures.kills.append(f"{now:.0f}s serve (back in {figures.server_down_s:.1f}s)")
            server_killed = True


def verify_store(url: str, figures: Figures) -> dict[str, int]:
    """What the database holds for the acknowledged messages."""
    db.configure(url)
    with db.session_scope() as session:
        rows = session.execute(
            sa.text(
                """
                SELECT m.external_message_id,
                       count(cm.*) AS memberships,
                       count(cm.*) FILTER (WHERE cm.status = 'active') AS active
                FROM messages m LEFT JOIN cluster_messages cm ON cm.message_id = m.id
                WHERE m.external_message_id LIKE 'soak-%'
                GROUP BY m.id, m.external_message_id
                """
            )
        ).all()
    stored = Counter(row[0] for row in rows)
    return {
        "acknowledged": len(figures.acknowledged),
        "stored": len(stored),
        "lost": len(figures.acknowledged - set(stored)),
        "duplicated": sum(1 for count in stored.values() if count > 1),
        "without_cluster": sum(1 for row in rows if row[1] == 0),
        "in_two_active_clusters": sum(1 for row in rows if row[2] > 1),
        "undelivered": len(figures.undelivered),
    }


def memory_verdict(figures: Figures) -> dict[str, Any]:
    """The server's RSS over its longest life, after a third of it (models load, caches fill)."""
    serve = [(t, pid, rss) for t, name, pid, rss in figures.memory if name == "serve"]
    lives = Counter(pid for _, pid, _ in serve)
    if not lives:
        return {"flat": False, "reason": "no samples"}
    pid = lives.most_common(1)[0][0]
    series = [(t, rss) for t, p, rss in serve if p == pid]
    warm = series[len(series) // 3]
    last = series[-1]
    workers = [rss for _, name, _, rss in figures.memory if name.startswith("worker")]
    return {
        "serve_mb_peak": round(max(rss for _, rss in series), 1),
        "serve_mb_after_warmup": round(warm[1], 1),
        "serve_mb_last": round(last[1], 1),
        "serve_growth_mb_per_min": round(
            (last[1] - warm[1]) / max((last[0] - warm[0]) / 60, 1e-9), 2
        ),
        "workers_mb_max": round(max(workers), 1) if workers else None,
        "flat": last[1] <= warm[1] * 1.15 + 30,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument(
        "--rate",
        type=float,
        default=10 * BUSY_CREATOR_PER_DAY / 86_400,
        help="webhooks per second (default: 10 x a busy creator's 30,000 a day)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--searchers", type=int, default=2)
    parser.add_argument("--kill-worker-every", type=float, default=180, help="seconds")
    parser.add_argument("--database-url", help="a PostgreSQL server to create the database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="sift-soak-"))
    url = database(root, args.database_url)
    seed_directory(url)
    db.dispose()
    port = free_port()
    env = {
        **os.environ,
        "SIFT_DATABASE_URL": url,
        "SIFT_DATA_DIR": str(root / "data"),
        "SIFT_WEBHOOK_SECRET": SECRET,
        "SIFT_WEBHOOK_MAX_AGE_S": "300",
        "SIFT_LOG_LEVEL": "warning",
    }
    print(
        f"soak: {args.minutes:g} min, {args.rate:.2f} webhooks/s, {args.workers} workers, "
        f"{args.searchers} searchers; logs in {root}",
        flush=True,
    )
    fleet = Fleet(env, args.workers, port, root)
    figures, stop, down = Figures(), threading.Event(), threading.Event()
    try:
        print(f"server up in {fleet.wait_healthy():.1f} s", flush=True)
        t0 = time.monotonic()
        threads = [
            threading.Thread(target=send_webhooks, args=(fleet.url, args.rate, stop, figures)),
            threading.Thread(target=probe_health, args=(fleet.url, stop, figures, down)),
            threading.Thread(target=sample_memory, args=(fleet, stop, figures, t0)),
            threading.Thread(target=chaos, args=(fleet, args, stop, down, figures, t0)),
            *[
                threading.Thread(target=search, args=(fleet.url, stop, figures, down, seed))
                for seed in range(args.searchers)
            ],
        ]
        for thread in threads:
            thread.start()
        stop.wait(args.minutes * 60)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - t0
        store = verify_store(url, figures)
    finally:
        fleet.stop()
        db.dispose()

    memory = memory_verdict(figures)
    result = {
        "minutes": round(elapsed / 60, 2),
        "webhooks_per_s": round(len(figures.webhook) / elapsed, 2),
        "webhook_p50_s": round(percentile(figures.webhook, 50), 3),
        "webhook_p99_s": round(percentile(figures.webhook, 99), 3),
        "webhook_retries": figures.retries,
        "outcomes": dict(figures.outcomes),
        **store,
        "healthz_count": len(figures.health),
        "healthz_p50_s": round(percentile(figures.health, 50), 3),
        "healthz_p99_s": round(percentile(figures.health, 99), 3),
        "healthz_max_s": round(max(figures.health, default=float("nan")), 3),
        "healthz_failures": figures.health_failures,
        "searches": len(figures.searches),
        "search_p50_s": round(percentile(figures.searches, 50), 3),
        "search_p99_s": round(percentile(figures.searches, 99), 3),
        "search_status": {str(k): v for k, v in figures.search_status.items()},
        "kills": figures.kills,
        "memory": memory,
    }
    checks = {
        "no message lost": store["lost"] == 0 and store["undelivered"] == 0,
        "no message duplicated": store["duplicated"] == 0 and store["in_two_active_clusters"] == 0,
        "every message clustered": store["without_cluster"] == 0,
        "healthz p99 < 1 s": result["healthz_p99_s"] < 1.0 and figures.health_failures == 0,
        "memory flat": bool(memory["flat"]),
        "no 5xx on searches": not any(s >= 500 for s in figures.search_status),
    }
    result["checks"] = checks
    for name, value in result.items():
        if name != "checks":
            print(f"{name:>24}: {value}")
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    if args.json:
        print(json.dumps(result))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
