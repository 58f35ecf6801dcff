#!/usr/bin/env python3
"""Write faults under load: a full disk (a small tmpfs as log root), the log root removed
while running, and the log root's file system turned read-only while running (an ext4 image
on a loop device, remounted with `abort`, which makes the kernel refuse every write with
EROFS as it does after a disk error under `errors=remount-ro`).

Checks in each case: redirects keep working, the error is logged at most once per 10 s per
stream, dropped events are counted in /metrics, writing resumes once the fault is gone, and
the files left are readable by `clicktrail verify`.

Needs root for mount(8); a case whose mount fails is reported as SKIP with the error.
Usage: writefaults.py [disk-full|root-removed|read-only ...] (default: all three).
Every load is paced and bounded: at most 20,000 requests and 15 s per phase.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import faultlib as lib

# The writer logs a failed file operation at most this often, per stream.
MESSAGE_INTERVAL = 10.0
ERROR_MESSAGE = "log file operation failed"


def paced_load(port, first, seconds, count=20_000):
    """About 400 requests a second from two connections."""
    return lib.Load(port, count=count, seconds=seconds, connections=2, first=first, pace=0.005)


def mount(command):
    result = lib.run_quietly(command)
    if result.returncode != 0:
        return f"'{' '.join(command)}' failed with status {result.returncode}: {result.stderr.strip()}"
    return None


def error_messages(service):
    """Returns the writer's error lines per stream, and all its lines under `writer`."""
    text = service.errors().splitlines()
    lines = [line for line in text if ERROR_MESSAGE in line]
    messages = {stream: [line for line in lines if f"log.stream={stream}" in line]
                for stream in ("clicks", "postbacks")}
    messages["writer"] = [line for line in text if "clicktrail.writer" in line]
    return messages


def check_fault_phase(checks, case, service, load, seconds, first_error_lines):
    """Checks the answers and the error messages of a load that ran while writes failed."""
    statuses = {}
    for _, kind, status, _, _ in load.answered:
        statuses[(kind, status)] = statuses.get((kind, status), 0) + 1
    total = len(load.answered)
    redirects = statuses.get(("visit", 302), 0) + statuses.get(("postback", 200), 0)
    checks.check(f"{case}: redirects keep working", total > 0 and redirects == total and not load.failed,
                 f"{redirects} of {total} answered 302/200, {len(load.failed)} failed, over {seconds:.1f} s")
    metrics = service.metrics()
    dropped = metrics.get("clicktrail_log_events_dropped_total", 0)
    errors = metrics.get("clicktrail_log_write_errors_total", 0)
    checks.check(f"{case}: dropped events are counted in /metrics", dropped > 0 and errors > 0,
                 f"clicktrail_log_events_dropped_total {dropped:.0f}, "
                 f"clicktrail_log_write_errors_total {errors:.0f}")
    messages = error_messages(service)
    allowed = int(seconds // MESSAGE_INTERVAL) + 1
    for stream in ("clicks", "postbacks"):
        lines = messages[stream]
        new = len(lines) - first_error_lines.get(stream, 0)
        checks.check(f"{case}: {stream} error logged once per interval, not per event",
                     1 <= new <= allowed,
                     f"{new} messages in {seconds:.1f} s (at most {allowed}) for "
                     f"{errors:.0f} failed calls in both streams")
    writer_lines = [line for line in service.errors().splitlines() if "clicktrail.writer" in line]
    new_lines = len(writer_lines) - first_error_lines.get("writer", 0)
    # Per stream: the rate-limited errors, and up to three lines about the file that was open
    # when the fault began (removed, closed, and a last error).
    most = 2 * (allowed + 3)
    checks.check(f"{case}: the writer's log stays quiet while writes fail", new_lines <= most,
                 f"{new_lines} writer lines in {seconds:.1f} s, at most {most}")
    sample = (messages["clicks"] or [""])[-1]
    checks.note(f"{case}: message: {sample.strip()[:300]}")
    return metrics


def check_resumed(checks, case, service, root, first):
    load = paced_load(service.port, first, seconds=3, count=600).start().join()
    time.sleep(1.5)
    visits, postbacks = lib.logged_ids(root)
    answered = set(load.answered_ids("visit", 302))
    checks.check(f"{case}: writing resumes after the fault is gone",
                 answered and answered <= set(visits),
                 f"{len(answered & set(visits))} of {len(answered)} visits answered after the "
                 f"repair are logged")


def check_accounting(checks, case, service):
    """After a SIGTERM, every event handed to the writer is written or counted as dropped."""
    time.sleep(1.2)
    metrics = service.metrics()
    handed = sum(value for name, value in metrics.items() if name.startswith("clicktrail_events_total"))
    written = metrics.get("clicktrail_log_events_written_total", 0)
    dropped = metrics.get("clicktrail_log_events_dropped_total", 0)
    checks.check(f"{case}: events handed to the writer = written + dropped", handed == written + dropped,
                 f"{handed:.0f} handed, {written:.0f} written, {dropped:.0f} dropped")
    status = service.stop()
    checks.check(f"{case}: stops with status 0", status == 0, f"status {status}")
    return written, metrics.get("clicktrail_log_events_unsynced_total", 0)


def check_files(checks, case, root, allowed=()):
    """Runs verify on the root; problems whose message contains one of `allowed` pass."""
    code, document = lib.verify(root)
    unexpected = [message for message in lib.problem_messages(document)
                  if not any(text in message for text in allowed)]
    checks.check(f"{case}: verify finds no damaged file", (code == 0 or allowed) and not unexpected,
                 f"exit {code}, {document.get('events')} events in "
                 f"{len(document.get('files', []))} files, problems: "
                 f"{'; '.join(lib.problem_messages(document))[:300]}")


# MARK: - Cases


def disk_full(checks):
    case = "disk full"
    work = lib.work_folder("diskfull")
    mountpoint = os.path.join(work, "mnt")
    os.mkdir(mountpoint)
    failure = mount(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountpoint])
    if failure:
        checks.note(f"SKIP {case}: {failure}")
        return
    try:
        root = os.path.join(mountpoint, "logs")
        service = lib.Service(root, work, flush_ms=200)
        paced_load(service.port, 0, seconds=1, count=200).start().join()
        time.sleep(0.5)
        filler = os.path.join(mountpoint, "filler")
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
        checks.note(f"{case}: filled the tmpfs: {shutil.disk_usage(mountpoint).free} bytes free")
        before = {stream: len(lines) for stream, lines in error_messages(service).items()}
        started = time.time()
        load = paced_load(service.port, 100_000, seconds=12).start().join()
        check_fault_phase(checks, case, service, load, time.time() - started, before)
        time.sleep(0.5)
        os.unlink(filler)
        check_resumed(checks, case, service, root, 200_000)
        check_accounting(checks, case, service)
        check_files(checks, case, root)
    finally:
        lib.run_quietly(["umount", "-l", mountpoint])


def root_removed(checks):
    """Removes the log root under load. The writer must not recreate a vanished root, since
    it may be an unmounted file system's mount point, so the events are counted as dropped
    until the operator creates the root again, and then writing resumes."""
    case = "root removed"
    work = lib.work_folder("rootremoved")
    root = os.path.join(work, "logs")
    service = lib.Service(root, work, flush_ms=200)
    paced_load(service.port, 0, seconds=1, count=200).start().join()
    time.sleep(0.5)
    shutil.rmtree(root)
    before = {stream: len(lines) for stream, lines in error_messages(service).items()}
    started = time.time()
    load = paced_load(service.port, 100_000, seconds=3, count=1000).start().join()
    time.sleep(0.5)
    metrics = check_fault_phase(checks, case, service, load, time.time() - started, before)
    answered = len(load.answered)
    dropped = metrics.get("clicktrail_log_events_dropped_total", 0)
    checks.check(f"{case}: every answer after the removal is counted as dropped",
                 dropped >= answered and not os.path.exists(root),
                 f"{answered} answered, {dropped:.0f} dropped, root recreated by the service: "
                 f"{os.path.exists(root)}")
    os.mkdir(root)
    check_resumed(checks, case, service, root, 200_000)
    check_accounting(checks, case, service)
    check_files(checks, case, root)


def read_only(checks):
    case = "read-only"
    work = lib.work_folder("readonly")
    image = os.path.join(work, "logs.img")
    mountpoint = os.path.join(work, "mnt")
    os.mkdir(mountpoint)
    with open(image, "wb") as file:
        file.truncate(32 << 20)
    made = lib.run_quietly(["mkfs.ext4", "-q", "-F", image])
    failure = (f"mkfs.ext4 failed: {made.stderr.strip()}" if made.returncode != 0
               else mount(["mount", "-o", "loop", image, mountpoint]))
    if failure:
        checks.note(f"SKIP {case}: {failure}")
        return
    try:
        root = os.path.join(mountpoint, "logs")
        service = lib.Service(root, work, flush_ms=200)
        paced_load(service.port, 0, seconds=1, count=200).start().join()
        time.sleep(0.5)
        failure = mount(["mount", "-o", "remount,abort", mountpoint])
        if failure:
            checks.note(f"SKIP {case}: {failure}")
            service.stop()
            return
        before = {stream: len(lines) for stream, lines in error_messages(service).items()}
        started = time.time()
        load = paced_load(service.port, 100_000, seconds=12).start().join()
        check_fault_phase(checks, case, service, load, time.time() - started, before)
        # The writer closed its files on the first error, so the file system can be unmounted,
        # checked and mounted again at the same place while the service runs.
        failure = (mount(["umount", mountpoint])
                   or (lib.run_quietly(["e2fsck", "-p", image]).returncode > 2 and "e2fsck failed")
                   or mount(["mount", "-o", "loop", image, mountpoint]))
        if not checks.check(f"{case}: the file system is unmounted and mounted again while "
                            f"the service runs", not failure, failure or ""):
            service.stop()
            return
        check_resumed(checks, case, service, root, 200_000)
        written, unsynced = check_accounting(checks, case, service)
        # An aborted ext4 discards the pages not yet on disk, like a power loss: members that
        # write(2) had taken but that were not fsynced before the abort may be gone. The
        # writer counts their events as unsynced when the fsync fails.
        check_files(checks, case, root, allowed=["the file is empty"])
        on_disk = sum(1 for stream in ("clicks", "postbacks") for _ in lib.read_stream(root, stream)[0])
        checks.check(f"{case}: every event missing after the abort is counted as unsynced",
                     written - on_disk <= unsynced,
                     f"{written:.0f} counted as written, {on_disk} on disk, {unsynced:.0f} "
                     f"counted in clicktrail_log_events_unsynced_total")
    finally:
        lib.run_quietly(["umount", "-l", mountpoint])


CASES = {"disk-full": disk_full, "root-removed": root_removed, "read-only": read_only}


def main():
    names = sys.argv[1:] or list(CASES)
    checks = lib.Checks("write faults")
    for name in names:
        CASES[name](checks)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
