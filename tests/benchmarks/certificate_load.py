"""Load generator of the verify benchmark: a separate process, loopback only, bounded in count and time.

    python -m tests.benchmarks.certificate_load MODE SETUP.json PORT SECONDS [CONCURRENCY | RATE]

* ``ceiling-verify`` — CONCURRENCY anonymous clients send ``GET /api/v1/certificates/verify/<payload>`` as
  fast as the server answers, each cycling over its own share of the valid certificates of SETUP.json;
* ``ceiling-bare-get`` — the same clients and URLs of the same length against ``GET /bench/bare-get/<payload>``
  (``bench_urls_verify``): the same middleware, an immediate JSON answer;
* ``steady-verify`` (the last argument is a rate, requests/s) — verify requests sent at that steady rate whatever
  the answers' latency (open loop), for the latency of scans under a given load rather than at saturation.

The client is ``heartbeat_load``'s (one connection per request, as gunicorn's sync workers close each one;
its percentiles and summary); this module adds GET. Besides the summary it counts the answers whose body says
``"status": "valid"`` (every certificate of the pool is valid, so all 200 answers of the verify API must).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from tests.benchmarks.heartbeat_load import HOST, MAX_REQUESTS, TIMEOUT, summary

VERIFY = "/api/v1/certificates/verify/"
BARE_GET = "/bench/bare-get/"
VALID = b'"status": "valid"'


async def get(port: int, path: str) -> tuple[int, bytes]:
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), TIMEOUT)
    try:
        writer.write(head.encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), TIMEOUT)  # until the server closes
    finally:
        writer.close()
    status_line, _, rest = raw.partition(b"\r\n")
    _, _, body = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), body


async def ceiling(payloads: list[str], port: int, seconds: float, concurrency: int, prefix: str) -> dict:
    latencies, statuses = [], {}
    valid = 0
    began = time.monotonic()
    deadline = began + seconds
    sent_total = 0

    async def client(c: int) -> None:
        nonlocal sent_total, valid
        mine = payloads[c::concurrency] or payloads[:1]
        n = 0
        while time.monotonic() < deadline and sent_total < MAX_REQUESTS:
            sent_total += 1
            t0 = time.monotonic()
            try:
                status, body = await get(port, prefix + mine[n % len(mine)])
            except (OSError, TimeoutError, ValueError, IndexError):
                status, body = 0, b""
            latencies.append(time.monotonic() - t0)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            valid += VALID in body
            n += 1

    await asyncio.gather(*(client(c) for c in range(concurrency)))
    result = summary(latencies, statuses, time.monotonic() - began)
    result["valid"] = valid
    return result


async def steady(payloads: list[str], port: int, seconds: float, rate: float) -> dict:
    """Open loop: one verify request every 1/``rate`` s whatever the answers' latency (as scans arrive from many
    inspectors), cycling over the pool; the latency of each is measured from its scheduled start."""
    latencies, statuses = [], {}
    valid = 0
    began = time.monotonic()
    total = min(int(seconds * rate), MAX_REQUESTS)

    async def one(i: int) -> None:
        nonlocal valid
        scheduled = began + i / rate
        await asyncio.sleep(max(0.0, scheduled - time.monotonic()))
        try:
            status, body = await get(port, VERIFY + payloads[i % len(payloads)])
        except (OSError, TimeoutError, ValueError, IndexError):
            status, body = 0, b""
        latencies.append(time.monotonic() - scheduled)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        valid += VALID in body

    await asyncio.gather(*(one(i) for i in range(total)))
    result = summary(latencies, statuses, time.monotonic() - began)
    result["valid"] = valid
    return result


def main() -> None:
    mode, setup_file, port, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    knob = float(sys.argv[5]) if len(sys.argv) > 5 else 16  # clients (ceilings) or requests/s (steady)
    with open(setup_file) as fh:
        payloads = [c["payload"] for c in json.load(fh)["certificates"]]
    if mode == "steady-verify":
        json.dump(asyncio.run(steady(payloads, port, seconds, knob)), sys.stdout)
        return
    prefix = {"ceiling-verify": VERIFY, "ceiling-bare-get": BARE_GET}[mode]
    json.dump(asyncio.run(ceiling(payloads, port, seconds, int(knob), prefix)), sys.stdout)


if __name__ == "__main__":
    main()
