#!/usr/bin/env python3
"""SIGTERM `clicktrail serve` under load and check that the answered requests and the
logged events are the same set, exactly: every 302 visit and 200 postback is logged once,
and nothing else is (503 answers and cut connections are not).

Usage: graceful.py [RUNS] (default 3). Each run sends at most 200,000 requests for at most 30 s.
"""

import random
import signal
import sys
import time

import faultlib as lib


def run(checks, number):
    work = lib.work_folder("graceful")
    root = f"{work}/logs"
    service = lib.Service(root, work)
    load = lib.Load(service.port, count=200_000, seconds=30, connections=6).start()
    time.sleep(1.5 + random.random() * 2.0)
    stopped_at = time.time()
    service.signal(signal.SIGTERM)
    status = service.wait()
    load.stop()
    load.join()
    stop_seconds = time.time() - stopped_at
    checks.check(f"run {number}: exits 0 after SIGTERM", status == 0,
                 f"status {status}, {stop_seconds:.2f} s after the signal")
    visits, postbacks = lib.logged_ids(root)
    unavailable = sum(1 for answer in load.answered if answer[2] == 503)
    others = sorted({answer[2] for answer in load.answered} - {302, 200, 503})
    for stream, kind, status_code, logged in [
        ("clicks", "visit", 302, visits), ("postbacks", "postback", 200, postbacks)
    ]:
        answered = set(load.answered_ids(kind, status_code))
        checks.check(f"run {number} {stream}: answered equals logged", answered == set(logged),
                     f"{len(answered)} answered, {len(logged)} logged, "
                     f"{len(answered - set(logged))} answered but not logged, "
                     f"{len(set(logged) - answered)} logged but not answered")
        checks.check(f"run {number} {stream}: no event logged twice",
                     all(count == 1 for count in logged.values()))
    checks.note(f"run {number}: {unavailable} answers were 503, {len(load.failed)} requests "
                f"failed on a closed connection, other statuses {others}")
    code, document = lib.verify(root)
    checks.check(f"run {number}: verify finds no problem", code == 0 and document.get("problems") == 0,
                 f"exit {code}, {document.get('events')} events in {len(document.get('files', []))} files")
    errors = service.errors()
    checks.check(f"run {number}: logs stopping and stopped",
                 "clicktrail.serve: stopping" in errors and "clicktrail.serve: stopped" in errors)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    checks = lib.Checks("graceful")
    for number in range(1, runs + 1):
        run(checks, number)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
