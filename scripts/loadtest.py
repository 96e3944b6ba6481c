#!/usr/bin/env python3
"""Bounded load test of `storyguard serve`: N clients for M seconds against a server it starts itself.

    python scripts/loadtest.py --clients 8 --duration 20            # rules only
    python scripts/loadtest.py --clients 8 --duration 20 --model    # with the classifier

The server is spawned on 127.0.0.1 with a free port and a random token, and stopped at the
end; nothing else is contacted. Reports requests/s, p50/p95/max latency, errors and the
server process's peak RSS (Linux VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).absolute().parents[1]  # absolute(): a symlinked checkout stays itself
MAX_CLIENTS, MAX_DURATION = 64, 300  # a load test, not a stress weapon

DRAFTS = [
    {"format": "markdown", "lang": "auto", "content": (
        "# Winter appeal\n\nShare to save little Emma Johnson, 7, from Maple Village School! This poor orphan "
        "spends every night in ward 5 of St Mary's hospital. Her mum's number is 07700 900123.\n\n"
        "Your gift of £20 buys a winter coat. We work with 40 schools across the region and publish our accounts "
        "every year. Children we support tell their own stories, with consent, and names are changed.\n" * 3
    )},
    {"format": "text", "lang": "auto", "content": (
        "转发救救可怜的留守儿童王小明，8岁，住在石桥村，就读于石桥村小学，父亲电话13812345678。"
        "我们的项目覆盖全省40所学校，每年公开财务报告。孩子的故事经本人和监护人同意后发布，文中均为化名。\n" * 3
    )},
    {"format": "html", "lang": "auto", "content": (
        "<html><head><title>Help Lily</title></head><body><h1>Live now: watch Lily fight for her life</h1>"
        "<p>Every mug you buy helps Lily.</p><img src='lily-chen-ward5.jpg' alt='Lily in her hospital bed'>"
        "<p>We support children and families in 12 districts.</p></body></html>"
    )},
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float | None, error: str | None = None) -> None:
        with self.lock:
            if error is None and seconds is not None:
                self.latencies.append(seconds)
            else:
                self.errors[error or "unknown"] = self.errors.get(error or "unknown", 0) + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, token: str, model: bool) -> subprocess.Popen:
    code = (
        "from cli.server import run; "
        f"run('127.0.0.1', {port}, None, use_model={model!r}, log_level='warning')"
    )
    env = {**os.environ, "STORYGUARD_TOKEN": token, "PYTHONPATH": str(REPO)}
    # Access logs go to the server's stderr; silence them so they do not skew the timing.
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(base: str, server: subprocess.Popen, limit: float = 180.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if server.poll() is not None:
            raise SystemExit(f"server exited with status {server.returncode} before it was ready")
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server not ready in time")


def peak_rss_mib(pid: int) -> float | None:
    """VmHWM: the kernel's record of the process's peak resident set."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def client_loop(base: str, token: str, deadline: float, tally: Tally, offset: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30.0) as client:
        turn = offset
        while time.monotonic() < deadline:
            body = DRAFTS[turn % len(DRAFTS)]
            turn += 1
            started = time.perf_counter()
            try:
                response = client.post("/v1/lint", json=body)
                elapsed = time.perf_counter() - started
                if response.status_code == 200 and response.json()["files"][0]["findings"]:
                    tally.add(elapsed)
                else:
                    tally.add(None, f"HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                tally.add(None, type(exc).__name__)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load after warm-up")
    parser.add_argument("--model", action="store_true", help="run the classifier too (needs the ml extra and weights)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.duration <= MAX_DURATION:
        parser.error(f"clients must be 1..{MAX_CLIENTS} and duration 0..{MAX_DURATION} s")

    port, token = free_port(), secrets.token_urlsafe(24)
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, token, args.model)
    try:
        ready = wait_ready(base, server)
        # One request per draft first: the model and jieba load outside the measured window.
        warm = Tally()
        client_loop(base, token, time.monotonic() + 0.001, warm, 0)
        idle_rss = peak_rss_mib(server.pid)
        # After warm-up, /healthz says whether the classifier really loaded (it falls back to rules).
        model_active = httpx.get(f"{base}/healthz", timeout=5.0).json().get("model")
        tally = Tally()
        deadline = time.monotonic() + args.duration
        started = time.monotonic()
        threads = [threading.Thread(target=client_loop, args=(base, token, deadline, tally, i)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        figures = {
            "model": args.model, "model_active": model_active, "clients": args.clients, "duration_s": round(wall, 2),
            "requests": len(tally.latencies), "errors": sum(tally.errors.values()), "error_kinds": tally.errors,
            "requests_per_s": round(len(tally.latencies) / wall, 2),
            "p50_ms": round(statistics.median(tally.latencies) * 1000, 1) if tally.latencies else None,
            "p95_ms": round(percentile(tally.latencies, 0.95) * 1000, 1) if tally.latencies else None,
            "max_ms": round(max(tally.latencies) * 1000, 1) if tally.latencies else None,
            "startup_s": round(ready, 2), "rss_after_warmup_mib": idle_rss and round(idle_rss, 1),
            "peak_rss_mib": (rss := peak_rss_mib(server.pid)) and round(rss, 1),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    if args.json:
        print(json.dumps(figures))
    else:
        mode = "with model" if figures["model_active"] else ("rules only (model requested but unavailable)" if args.model else "rules only")
        print(f"storyguard serve, {mode}: {figures['clients']} clients x {figures['duration_s']} s")
        print(f"  {figures['requests']} requests, {figures['requests_per_s']} req/s, errors {figures['errors']} {figures['error_kinds'] or ''}")
        print(f"  latency p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms")
        print(f"  server start {figures['startup_s']} s, RSS after warm-up {figures['rss_after_warmup_mib']} MiB, peak {figures['peak_rss_mib']} MiB")
    return 0 if figures["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
