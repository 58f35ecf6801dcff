#!/usr/bin/env python3
"""SIGKILL `clicktrail serve` in the middle of a load run, restart it on the same log root
and check, with the answered requests recorded by the client:

- every request answered before the last completed flush of its stream is logged;
- the requests lost were all answered within one flush interval before the kill;
- `clicktrail verify --json` reads the root after the restart, and reports a member cut in
  the middle (made by truncating the last file of a copy, since a SIGKILL lands between two
  write(2) calls of the writer nearly always).

Usage: crash.py [RUNS] (default 3). Each run sends at most 200,000 requests for at most 30 s.
"""

import os
import random
import shutil
import signal
import struct
import sys
import time

import faultlib as lib

FLUSH_MS = 1000
# The time between taking the pending lines and the file's mtime: compressing and writing
# one member, plus the coarse clock that stamps mtime (one jiffy, 4 ms at most).
FLUSH_SLACK = 0.25


def crash_run(checks, number):
    work = lib.work_folder("crash")
    root = os.path.join(work, "logs")
    service = lib.Service(root, work, flush_ms=FLUSH_MS)
    load = lib.Load(service.port, count=200_000, seconds=30, connections=4).start()
    time.sleep(2.0 + random.random() * 2.0)
    before = service.metrics()
    killed_at = time.time()
    service.signal(signal.SIGKILL)
    service.wait()
    load.stop()
    load.join()

    checks.note(f"run {number}: killed after {len(load.answered)} answers, "
                f"{killed_at - load.answered[0][4]:.2f} s into the load")
    visits, postbacks = lib.logged_ids(root)

    streams = [("clicks", "visit", 302, visits), ("postbacks", "postback", 200, postbacks)]
    for stream, kind, status, logged in streams:
        answered = load.answered_ids(kind, status)
        files = lib.log_files(root, stream)
        last_write = max(os.stat(path).st_mtime_ns for path in files) / 1e9 if files else 0
        missing = {fid: when for fid, when in answered.items() if fid not in logged}
        extra = [fid for fid in logged if fid not in answered]
        duplicated = [fid for fid, count in logged.items() if count > 1]
        early = [fid for fid, when in missing.items() if when <= last_write - FLUSH_SLACK]
        checks.check(f"run {number} {stream}: every answer before the last flush is logged",
                     not early,
                     f"{len(answered)} answered, {len(logged)} logged, {len(missing)} lost, "
                     f"{len(early)} lost although answered more than {FLUSH_SLACK} s before "
                     f"the last write" + (f"; the earliest lost answer arrived "
                     f"{1000 * (min(missing.values()) - last_write):+.0f} ms after the last write"
                     if missing else ""))
        if missing:
            window = killed_at - min(missing.values())
            checks.check(f"run {number} {stream}: loss within one flush interval",
                         window <= FLUSH_MS / 1000 + FLUSH_SLACK,
                         f"lost answers span the last {window * 1000:.0f} ms before the kill "
                         f"(interval {FLUSH_MS} ms); last write {1000 * (killed_at - last_write):.0f} ms "
                         f"before the kill")
        checks.check(f"run {number} {stream}: no event logged twice", not duplicated,
                     f"{len(duplicated)} duplicated")
        checks.note(f"run {number} {stream}: {len(extra)} logged events whose answer the "
                    f"client never received (queued when the kill came)")
    code, document = lib.verify(root)
    python_events = sum(len(lib.read_stream(root, stream)[0]) for stream in ("clicks", "postbacks"))
    cut_messages = [message for message in lib.problem_messages(document) if "ends inside" in message]
    checks.check(f"run {number}: verify reads every event the kill left",
                 document.get("events") == python_events
                 and document.get("problems") == len(cut_messages),
                 f"exit {code}, {document.get('events')} events, reader {python_events}, "
                 f"{document.get('problems')} problems, {len(cut_messages)} members cut by the kill")

    written_before = before.get("clicktrail_log_events_written_total", 0)
    checks.note(f"run {number}: /metrics before the kill: {written_before:.0f} written, last "
                f"flush {before.get('clicktrail_log_last_flush_seconds', 0) * 1000:.1f} ms")
    return work, root


def restart_and_verify(checks, work, root):
    service = lib.Service(root, work, flush_ms=FLUSH_MS)
    load = lib.Load(service.port, count=500, seconds=20, connections=2, first=10_000_000)
    load.start().join()
    status = service.stop()
    checks.check("restart: stops with status 0", status == 0, f"status {status}")
    visits, postbacks = lib.logged_ids(root)
    after = {fid for fid in load.answered_ids("visit", 302)}
    checks.check("restart: every answer after the restart is logged",
                 after <= set(visits), f"{len(after - set(visits))} of {len(after)} missing")
    code, document = lib.verify(root)
    names = {os.path.basename(file["path"]).rsplit("-", 2)[-2] for file in document.get("files", [])}
    checks.check("restart: verify reads both processes' files", len(names) >= 2,
                 f"pids in file names: {sorted(names)}")
    python_events = len(lib.read_stream(root, "clicks")[0]) + len(lib.read_stream(root, "postbacks")[0])
    checks.check("restart: verify counts every event the client-side reader finds",
                 document.get("events") == python_events,
                 f"verify {document.get('events')}, reader {python_events}, exit {code}, "
                 f"problems {document.get('problems')}")
    return code, document


def member_offsets(path):
    data = open(path, "rb").read()
    offsets = []
    offset = 0
    while offset + 24 <= len(data):
        offsets.append(offset)
        offset += struct.unpack("<I", data[offset + 16:offset + 20])[0]
    return offsets, len(data)


def cut_member(checks, work, root):
    """Truncates the last clicks file of a copy in the middle of its last member, as a kill
    inside write(2) or a power loss would, and checks what verify reports."""
    copy = os.path.join(work, "cut")
    shutil.copytree(root, copy)
    files = [path for path in lib.log_files(copy, "clicks") if len(member_offsets(path)[0]) >= 2]
    if not checks.check("cut: a clicks file with two members exists", files):
        return
    path = files[-1]
    offsets, size = member_offsets(path)
    cut_at = offsets[-1] + (size - offsets[-1]) // 2
    lines_before = len(lib.read_members(path)[0])
    os.truncate(path, cut_at)
    lines_after, cut = lib.read_members(path)
    code, document = lib.verify(copy)
    entry = next(file for file in document["files"] if file["path"].endswith(os.path.basename(path)))
    messages = [problem["message"] for problem in entry["problem_list"]]
    checks.check("cut: verify exits 2", code == 2, f"exit {code}")
    checks.check("cut: verify reports the cut member", entry["problems"] >= 1, "; ".join(messages))
    checks.check("cut: verify keeps the members before the cut",
                 entry["lines"] == len(lines_after) and entry["members"] >= len(offsets) - 1,
                 f"{lines_before} lines before the cut, {len(lines_after)} after (client-side "
                 f"reader), verify {entry['lines']} lines in {entry['members']} members")


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    checks = lib.Checks("crash")
    work = root = None
    for number in range(1, runs + 1):
        work, root = crash_run(checks, number)
    code, document = restart_and_verify(checks, work, root)
    cut_files = [file["path"] for file in document.get("files", []) if file["problems"]]
    checks.note(f"restart: verify exit {code}, {document.get('files') and len(document['files'])} "
                f"files, {document.get('events')} events, {document.get('problems')} problems "
                f"(files cut by the kill itself: {len(cut_files)})")
    cut_member(checks, work, root)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
