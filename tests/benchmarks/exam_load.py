"""Load generator of the exam autosave benchmark: a separate process, loopback only, bounded in count and time.

    python -m tests.benchmarks.exam_load MODE SETUP.json PORT SECONDS CONCURRENCY [RATE]

* ``sitting`` — every candidate of SETUP.json answers its paper in order, one autosave in flight, paced so that
  all candidates together offer RATE saves/s (staggered starts). Like a real page it also sends, per question,
  with 10 % chance a change of mind (a second answer, newer seq) followed by a late copy of the first save (older
  seq: must not overwrite), and with 5 % chance a replay of the save just answered (same seq). Runs until every
  candidate has answered every question (SECONDS only bounds it). Prints, per candidate, the final seq and response
  expected per position and how many saves the server reported as applied.
* ``ceiling-bare`` / ``ceiling-save`` — CONCURRENCY clients as fast as the server answers, each cycling over its
  own candidates and positions (``/bench/bare/`` or the autosave endpoint), for SECONDS.

Uses the heartbeat benchmark's minimal HTTP client (one connection per request, as sync workers close them).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time

from .heartbeat_load import BARE, MAX_REQUESTS, post, summary

CHANGE, REPLAY = 0.10, 0.05


def _url(candidate: dict) -> str:
    return f"/exams/attempts/{candidate['attempt']}/answers"


async def sitting(setup: dict, port: int, seconds: float, rate: float) -> dict:
    candidates = setup["candidates"]
    interval = len(candidates) / rate  # seconds between two saves of one candidate
    latencies, statuses, records = [], {}, []
    began = time.monotonic()
    deadline = began + seconds

    async def send(candidate: dict, body: dict) -> dict:
        t0 = time.monotonic()
        try:
            status, raw = await post(port, _url(candidate), body, candidate)
            data = json.loads(raw) if status == 200 else {}
        except (OSError, TimeoutError, ValueError, IndexError):
            status, data = 0, {}
        latencies.append(time.monotonic() - t0)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        return data

    async def candidate_run(i: int, candidate: dict) -> None:
        rng = random.Random(candidate["attempt"])
        record = {"attempt": candidate["attempt"], "final": {}, "applied": 0, "expected_applied": 0, "stale_ok": 0,
                  "stale_sent": 0}  # fmt: skip
        records.append(record)
        await asyncio.sleep(interval * i / len(candidates))
        tick, seq = time.monotonic(), 0
        for position, (first, second) in enumerate(candidate["answers"], start=1):
            if time.monotonic() > deadline:
                break
            plan = [(first, None)]
            roll = rng.random()
            if roll < CHANGE:
                plan += [(second, None), (first, "stale")]
            elif roll < CHANGE + REPLAY:
                plan += [(first, "replay")]
            sent_first = None
            for response, kind in plan:
                if kind is None:
                    seq += 1
                    body = {"position": position, "response": response, "seq": seq}
                    sent_first = sent_first or body
                    record["expected_applied"] += 1
                    record["final"][str(position)] = [seq, response]
                else:  # the first save again: same seq (replay) or older than the change (stale)
                    body = sent_first
                    record["stale_sent"] += 1
                data = await send(candidate, body)
                if kind is None and data.get("applied") is True:
                    record["applied"] += 1
                if kind is not None and data.get("applied") is False:
                    record["stale_ok"] += 1
                tick += interval
                await asyncio.sleep(max(0.0, tick - time.monotonic()))

    await asyncio.gather(*(candidate_run(i, c) for i, c in enumerate(candidates)))
    result = summary(latencies, statuses, time.monotonic() - began)
    result["offered_rate"] = rate
    result["candidates"] = records
    return result


async def ceiling(setup: dict, port: int, seconds: float, concurrency: int, bare: bool) -> dict:
    candidates = setup["candidates"]
    latencies, statuses = [], {}
    began = time.monotonic()
    deadline = began + seconds
    sent_total = 0

    async def client(c: int) -> None:
        nonlocal sent_total
        mine = candidates[c::concurrency] or candidates[:1]
        n = 0
        while time.monotonic() < deadline and sent_total < MAX_REQUESTS:
            candidate = mine[n % len(mine)]
            rounds = n // len(mine)
            position = rounds % len(candidate["answers"]) + 1
            body = {"position": position, "response": candidate["answers"][position - 1][rounds % 2],
                    "seq": int(time.time() * 1000) * 1000 + n % 1000}  # fmt: skip
            sent_total += 1
            t0 = time.monotonic()
            try:
                status, _ = await post(port, BARE if bare else _url(candidate), body, candidate)
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
    if mode == "sitting":
        result = asyncio.run(sitting(setup, port, seconds, float(sys.argv[6])))
    else:
        result = asyncio.run(ceiling(setup, port, seconds, concurrency, bare=mode == "ceiling-bare"))
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
