"""Load generator of the heartbeat benchmark: a separate process, loopback only, bounded in count and time.

    python -m tests.benchmarks.heartbeat_load MODE SETUP.json PORT SECONDS [CONCURRENCY]

* ``paced`` — every learner of SETUP.json plays its lessons' videos and POSTs a heartbeat every
  10 s (the player's rhythm), starting at staggered offsets; one request in flight per learner.
  It first plays the short video of lesson 1 to its end, then the long video of lesson 2.
* ``ceiling-bare`` / ``ceiling-heartbeat`` — CONCURRENCY clients send as fast as the server answers
  (to ``/bench/bare/`` or the heartbeat endpoint, each client cycling over its own learners).

A minimal HTTP/1.1 client on asyncio streams (one connection per request, as gunicorn's sync
workers close each connection), so the generator costs little CPU next to the server on a small
machine. Prints one JSON object: counts, statuses, rate, latency percentiles and, for ``paced``,
each learner's heartbeats with send/receive times (for the credit check).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

HOST = "127.0.0.1"  # loopback only
HEARTBEAT = "/learn/api/heartbeat/"
BARE = "/bench/bare/"
INTERVAL = 10.0
TIMEOUT = 30.0
MAX_REQUESTS = 1_000_000  # hard bound whatever the duration


async def post(port: int, path: str, body: dict, learner: dict) -> tuple[int, bytes]:
    payload = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nX-CSRFToken: {learner['csrf']}\r\n"
        f"Cookie: sessionid={learner['session']}; csrftoken={learner['csrf']}\r\nConnection: close\r\n\r\n"
    )
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), TIMEOUT)
    try:
        writer.write(head.encode() + payload)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), TIMEOUT)  # until the server closes
    finally:
        writer.close()
    status_line, _, rest = raw.partition(b"\r\n")
    _, _, body_bytes = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), body_bytes


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def summary(latencies: list[float], statuses: dict, elapsed: float) -> dict:
    ok = statuses.get("200", 0)
    return {
        "requests": sum(statuses.values()),
        "ok": ok,
        "statuses": statuses,
        "elapsed": elapsed,
        "rate": ok / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


async def paced(setup: dict, port: int, seconds: float) -> dict:
    learners = setup["learners"]
    lessons, media, durations = setup["lessons"], setup["media"], setup["durations"]
    latencies, statuses, records = [], {}, []
    began = time.monotonic()
    deadline = began + seconds

    async def player(i: int, learner: dict) -> None:
        beats = []
        records.append({"person": learner["person"], "beats": beats})
        await asyncio.sleep(INTERVAL * i / len(learners))  # staggered start
        lesson, position, tick = 0, 0.0, time.monotonic()
        while time.monotonic() + 0.001 < deadline:
            end = min(position + INTERVAL, durations[lesson])
            body = {"lesson": lessons[lesson], "media": media[lesson], "start": position, "end": end}
            sent = time.monotonic()
            try:
                status, _ = await post(port, HEARTBEAT, body, learner)
            except (OSError, TimeoutError, ValueError, IndexError):
                status = 0
            received = time.monotonic()
            latencies.append(received - sent)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            beats.append({"lesson": lessons[lesson], "seg": end - position, "sent": sent - began,
                          "recv": received - began, "status": status})  # fmt: skip
            position = end
            if position >= durations[lesson] and lesson + 1 < len(lessons):
                lesson, position = lesson + 1, 0.0
            tick += INTERVAL
            await asyncio.sleep(max(0.0, tick - time.monotonic()))

    await asyncio.gather(*(player(i, learner) for i, learner in enumerate(learners)))
    result = summary(latencies, statuses, seconds)
    result["offered_rate"] = len(learners) / INTERVAL
    result["learners"] = records
    return result


async def ceiling(setup: dict, port: int, seconds: float, concurrency: int, bare: bool) -> dict:
    learners = setup["learners"]
    latencies, statuses = [], {}
    began = time.monotonic()
    deadline = began + seconds
    sent_total = 0

    async def client(c: int) -> None:
        nonlocal sent_total
        mine = learners[c::concurrency] or learners[:1]
        n, position = 0, 0.0
        while time.monotonic() < deadline and sent_total < MAX_REQUESTS:
            learner = mine[n % len(mine)]
            if n and n % len(mine) == 0:
                position += INTERVAL
            body = {"lesson": setup["lessons"][1], "media": setup["media"][1], "start": position,
                    "end": position + INTERVAL}  # fmt: skip
            sent_total += 1
            t0 = time.monotonic()
            try:
                status, _ = await post(port, BARE if bare else HEARTBEAT, body, learner)
            except (OSError, TimeoutError, ValueError, IndexError):
                status = 0
            latencies.append(time.monotonic() - t0)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            n += 1

    await asyncio.gather(*(client(c) for c in range(concurrency)))
    return summary(latencies, statuses, time.monotonic() - began)


def main() -> None:
    mode, setup_file, port, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    concurrency = int(sys.argv[5]) if len(sys.argv) > 5 else 16
    with open(setup_file) as fh:
        setup = json.load(fh)
    if mode == "paced":
        result = asyncio.run(paced(setup, port, seconds))
    else:
        result = asyncio.run(ceiling(setup, port, seconds, concurrency, bare=mode == "ceiling-bare"))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
