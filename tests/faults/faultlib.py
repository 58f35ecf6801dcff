"""Shared pieces of the fault scripts: the service process, a loopback load client that
records every answered request, a log reader that tolerates a cut last member, and checks.

Everything talks to 127.0.0.1 only. Every load is bounded by a request count and a time.
"""

import glob
import gzip
import http.client
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CATALOGUE = os.path.join(HERE, "catalogue.json")
SECRET = "faults-plain-secret-0123"
SIGNED_SECRET = "faults-signed-secret-0123"
HMAC_SECRET = "faults-hmac-key-0123456789"
WINDOWED_SECRET = "faults-windowed-secret-01"
WINDOWED_HMAC_SECRET = "faults-windowed-key-012345"


def executable():
    """Returns the clicktrail binary: $CLICKTRAIL, else the release build, else the debug one."""
    candidates = [os.environ.get("CLICKTRAIL", "")] + [
        os.path.join(ROOT, ".build", kind, "clicktrail") for kind in ("release", "debug")
    ]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    sys.exit("error: no clicktrail binary; run 'swift build -c release' or set CLICKTRAIL")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# MARK: - Results


class Checks:
    """Collects named pass/fail outcomes and prints them as `PASS name: detail`."""

    def __init__(self, title):
        self.title = title
        self.results = []

    def check(self, name, passed, detail=""):
        self.results.append((name, bool(passed), detail))
        print(f"{'PASS' if passed else 'FAIL'} {self.title}: {name}" + (f": {detail}" if detail else ""),
              flush=True)
        return passed

    def known(self, name, holds, detail=""):
        """Records a known weakness: prints KNOWN while it is there, without failing the run."""
        print(f"{'PASS' if holds else 'KNOWN'} {self.title}: {name}" + (f": {detail}" if detail else ""),
              flush=True)
        return holds

    def note(self, text):
        print(f"     {self.title}: {text}", flush=True)

    def finish(self):
        failed = [name for name, passed, _ in self.results if not passed]
        print(f"{self.title}: {len(self.results) - len(failed)} passed, {len(failed)} failed", flush=True)
        return 1 if failed else 0


# MARK: - The service


class Service:
    """One `clicktrail serve` process on a free loopback port, its standard error in a file."""

    def __init__(self, log_root, work, flush_ms=1000, threads=2, extra_env=None, catalogue=CATALOGUE,
                 extra_args=()):
        self.log_root = log_root
        self.port = free_port()
        self.stderr_path = os.path.join(work, f"serve-{self.port}.stderr")
        env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
        env.update(extra_env or {})
        self.stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            [executable(), "serve", "--config", catalogue, "--logs", log_root,
             "--listen", f"127.0.0.1:{self.port}", "--threads", str(threads),
             "--flush-interval", str(flush_ms), "--ip-privacy", "full", *extra_args],
            stdout=subprocess.DEVNULL, stderr=self.stderr, env=env)
        self.wait_ready()

    def wait_ready(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}: {self.errors()}")
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("serve did not answer /healthz within 20 s")

    def signal(self, number):
        self.process.send_signal(number)

    def wait(self, timeout=30):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def stop(self):
        if self.process.poll() is None:
            self.signal(signal.SIGTERM)
        status = self.wait()
        self.stderr.close()
        return status

    def errors(self):
        self.stderr.flush()
        with open(self.stderr_path, "rb") as file:
            return file.read().decode("utf-8", "replace")

    def metrics(self):
        status, _, body = get(self.port, "/metrics")
        values = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values


def get(port, target, headers=None, method="GET", body=None, timeout=10):
    """Sends one request on a new connection and returns (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


# MARK: - Load


class Load:
    """Sends distinct visits (`/c/faults?fid=N`) and, every tenth request, a postback with
    `txid=fN`, from several keep-alive connections, until `count` requests, `seconds` or
    `stop()`. Records, for each answered request, its id, kind, status and the wall time
    (`time.time()`, CLOCK_REALTIME) at which the whole answer had arrived."""

    def __init__(self, port, count, seconds, connections=4, first=0, pace=0.0):
        self.port = port
        self.count = count
        self.deadline = time.time() + seconds
        self.connections = connections
        self.next = first
        self.last = first + count
        self.pace = pace
        self.lock = threading.Lock()
        self.answered = []  # (fid, kind, status, sent, answered)
        self.failed = []  # (fid, kind, error text, sent)
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(connections)]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.stopped.set()

    def join(self):
        for thread in self.threads:
            thread.join()
        return self

    def take(self):
        with self.lock:
            if self.next >= self.last or self.stopped.is_set() or time.time() > self.deadline:
                return None
            fid = self.next
            self.next += 1
            return fid

    @staticmethod
    def target(fid):
        if fid % 10 == 9:
            return "postback", (f"/postback?cid=FaultClick{fid:010d}&txid=f{fid}&payout=1.5"
                                f"&secret={SECRET}")
        return "visit", f"/c/faults?fid={fid}&gender=x"

    def run(self):
        connection = None
        while True:
            fid = self.take()
            if fid is None:
                break
            kind, target = self.target(fid)
            sent = time.time()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("GET", target, headers={"User-Agent": "faults-load/1"})
                response = connection.getresponse()
                response.read()
                answered = time.time()
                with self.lock:
                    self.answered.append((fid, kind, response.status, sent, answered))
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                with self.lock:
                    self.failed.append((fid, kind, type(error).__name__, sent))
                if connection is not None:
                    connection.close()
                connection = None
                if self.stopped.is_set():
                    break
                time.sleep(0.01)
            if self.pace:
                time.sleep(self.pace)
        if connection is not None:
            connection.close()

    def answered_ids(self, kind, status):
        return {fid: when for fid, k, s, _, when in self.answered if k == kind and s == status}


# MARK: - Reading logs


def read_members(path):
    """Walks a log file member by member by the `CT` lengths and returns (lines, cut) where
    lines are the complete text lines, header included, and cut is True when the file ends
    inside a member. Lines of a cut member are kept up to its last LF, as the reader does."""
    data = open(path, "rb").read()
    offset = 0
    lines = []
    cut = False
    while offset < len(data):
        header = data[offset:offset + 24]
        if len(header) < 24 or header[:4] != b"\x1f\x8b\x08\x04" or header[12:14] != b"CT":
            cut = True
            break
        length = struct.unpack("<I", header[16:20])[0]
        member = data[offset:offset + length]
        inflater = zlib.decompressobj(31)
        try:
            text = inflater.decompress(member)
        except zlib.error:
            cut = True
            break
        if len(member) < length or not inflater.eof:
            cut = True
            text = text[:text.rfind(b"\n") + 1]
        lines.extend(text.split(b"\n")[:-1] if text.endswith(b"\n") else text.split(b"\n"))
        if cut:
            break
        offset += length
    return lines, cut


def log_files(root, stream):
    return sorted(glob.glob(os.path.join(root, stream, "*", f"{stream}-*.tsv.gz")))


def read_stream(root, stream):
    """Returns the rows of every file of `stream` as dicts, and the paths of cut files."""
    rows = []
    cut_files = []
    for path in log_files(root, stream):
        lines, cut = read_members(path)
        if cut:
            cut_files.append(path)
        if not lines:
            continue
        names = lines[0].decode().split("\t")
        for line in lines[1:]:
            if line == lines[0]:
                continue
            row = dict(zip(names, line.decode("utf-8", "replace").split("\t")))
            row["_file"] = path
            rows.append(row)
    return rows, cut_files


def logged_ids(root):
    """Returns the fids logged as visits and as postbacks, each as {fid: count}."""
    visits = {}
    for row in read_stream(root, "clicks")[0]:
        fid = urllib.parse.parse_qs(row.get("params", "")).get("fid")
        if fid and row["event"] == "visit":
            visits[int(fid[0])] = visits.get(int(fid[0]), 0) + 1
    postbacks = {}
    for row in read_stream(root, "postbacks")[0]:
        if row.get("txid", "").startswith("f"):
            fid = int(row["txid"][1:])
            postbacks[fid] = postbacks.get(fid, 0) + 1
    return visits, postbacks


def verify(root):
    """Runs `clicktrail verify --json` and returns (exit status, parsed document)."""
    result = subprocess.run([executable(), "verify", "--json", root], capture_output=True, text=True,
                            timeout=120)
    try:
        document = json.loads(result.stdout)
    except json.JSONDecodeError:
        document = {}
    return result.returncode, document


def problem_messages(document):
    return [problem.get("message", "") for file in document.get("files", [])
            for problem in file.get("problem_list", [])]


def work_folder(name):
    return tempfile.mkdtemp(prefix=f"clicktrail-{name}-")


def run_quietly(command):
    return subprocess.run(command, capture_output=True, text=True)
