"""Load run against a real desk server on 127.0.0.1: requests/s, latency percentiles, errors, articles lost.

    .venv/bin/python bench/web_load.py                      # 50 clients for 60 s, a fresh store
    .venv/bin/python bench/web_load.py --clients 20 --seconds 20

Starts `newsdigest serve` in a child process on a free loopback port with a
fresh store, then runs N asyncio clients (httpx) for a bounded time: each
loops over a mix of reads (story list, a story, search, an article, the index
page) and posts (a small batch of new articles, one in five requests). Every
posted article id is checked afterwards: "lost" counts ids the API does not
return. Bounded by count and time; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
WORDS = (
    "council river bridge budget vote mayor harbour factory school storm power outage hospital rail strike "
    "court ruling election turnout museum festival airport runway police inquiry water supply farmers drought"
).split()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def article(rng: random.Random, n: int) -> dict:
    topic = rng.sample(WORDS, 4)
    text = " ".join(
        f"The {topic[0]} {topic[1]} report number {n} said {rng.randint(2, 900)} people were affected on Monday near the {topic[2]}."
        for _ in range(3)
    ) + f" Officials said the {topic[3]} would reopen soon."
    return {"id": f"load-{n}", "source": f"Outlet {n % 11}", "title": f"{topic[0].title()} {topic[1]} {n}", "text": text}


async def client_loop(base: str, deadline: float, rng: random.Random, counter, latencies, errors, posted) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.monotonic() < deadline:
            kind = rng.random()
            started = time.perf_counter()
            try:
                if kind < 0.2:
                    batch = [article(rng, next(counter)) for _ in range(3)]
                    r = await http.post("/api/articles", json=batch)
                    if r.status_code == 201:
                        posted.extend(a["id"] for a in batch)
                elif kind < 0.45:
                    r = await http.get("/api/stories", params={"limit": 20})
                elif kind < 0.6:
                    r = await http.get("/api/stories", params={"q": rng.choice(WORDS)})
                elif kind < 0.75:
                    listing = (await http.get("/api/stories", params={"limit": 5})).json()["stories"]
                    r = await http.get(f"/api/stories/{listing[0]['id']}") if listing else await http.get("/healthz")
                elif kind < 0.9:
                    r = await http.get("/")
                else:
                    r = await http.get("/healthz")
                ok = r.status_code < 400
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            if not ok:
                errors.append(kind)


async def run(base: str, clients: int, seconds: float) -> dict:
    import itertools

    counter = itertools.count()
    latencies: list[float] = []
    errors: list[float] = []
    posted: list[str] = []
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*(
        client_loop(base, deadline, random.Random(k), counter, latencies, errors, posted) for k in range(clients)
    ))
    elapsed = time.monotonic() - started
    lost = 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for article_id in posted:
            if (await http.get(f"/api/articles/{article_id}")).status_code != 200:
                lost += 1
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "errors": len(errors),
        "articles_posted": len(posted),
        "articles_lost": lost,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.sqlite"
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        server = subprocess.Popen(
            [sys.executable, "-m", "newsdigest", "serve", "--db", str(db), "--port", str(port), "--host", "127.0.0.1"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start")
            result = asyncio.run(run(base, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("| clients | seconds | requests | requests/s | p50 ms | p95 ms | p99 ms | errors | articles posted | articles lost |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("| " + " | ".join(str(result[k]) for k in (
        "clients", "seconds", "requests", "requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors",
        "articles_posted", "articles_lost")) + " |")


if __name__ == "__main__":
    main()
