#!/usr/bin/env python3
"""Security checks against a real `clicktrail serve` on loopback and the reports built from
its logs, each with a PASS or FAIL line:

- open redirects: hostile values in every token position of the lander and offer templates;
- header injection through arguments, tokens, cookies and header fields;
- CSV formula and HTML injection from the user agent, referrer, arguments and postback fields
  into `clicktrail report` and `clicktrail compare` (CSV and HTML);
- postbacks without the secret, with a wrong HMAC signature, tampered or replayed;
- oversized requests, and slow or idle clients against the connection limit and timeouts.

Usage: security.py [--slow] (the slow-client checks take about 40 s and run only with --slow).
Every load is bounded: at most a few thousand requests and connections.
"""

import csv
import glob
import hashlib
import hmac
import html.parser
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse

import faultlib as lib

ALLOWED_HOSTS = {"lp.example.org", "offers.example.net"}
MARK = "CTX9"  # marks every hostile value so that any reflection can be found


def raw_request(port, data, timeout=10, read_all=True):
    """Sends raw bytes and returns the raw answer, b"" when the server closed without one."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early and closed; its answer may still be readable
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if not read_all and b"\r\n\r\n" in b"".join(chunks):
                    break
        except (ConnectionResetError, socket.timeout):
            pass
        return b"".join(chunks)


def parse_answer(answer):
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith(b"HTTP/") else 0
    headers = [tuple(part.strip() for part in line.decode("latin-1").split(":", 1))
               for line in lines[1:] if b":" in line]
    return status, headers, body


def get_raw(port, target, extra=b""):
    request = (b"GET " + target.encode("latin-1") + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               + extra + b"Connection: close\r\n\r\n")
    return parse_answer(raw_request(port, request))


def location_problem(headers):
    """Returns why the answer's headers are unsafe, or None."""
    locations = [value for name, value in headers if name.lower() == "location"]
    if len(locations) != 1:
        return f"{len(locations)} Location fields"
    location = locations[0]
    parts = urllib.parse.urlsplit(location)
    if parts.scheme != "https" or parts.hostname not in ALLOWED_HOSTS or parts.username or parts.port:
        return f"Location leaves the catalogue's hosts: {location}"
    if re.search(r"[\s\\\x00-\x1f\x7f]", location):
        return f"Location holds a space, backslash or control character: {location!r}"
    for name, value in headers:
        if MARK.lower() in name.lower():
            return f"injected header field {name}"
        if name.lower() == "set-cookie" and not value.startswith(("ct_visit=", "ct_vid=")):
            return f"unexpected cookie {value}"
        if name.lower() == "set-cookie" and MARK in value:
            return f"request value reflected in a cookie: {value}"
    return None


# MARK: - Redirects and headers

HOSTILE_VALUES = [
    "https://evil.example/" + MARK, "//evil.example/" + MARK, "\\\\evil.example\\" + MARK,
    "/\\evil.example/" + MARK, "https:evil.example", "javascript:alert('" + MARK + "')",
    "@evil.example", "evil.example%2F" + MARK, "%2F%2Fevil.example", "%252F%252Fevil.example",
    "\r\nLocation: https://evil.example/" + MARK, "\r\nSet-Cookie: " + MARK + "=1",
    "x\r\n\r\n<script>" + MARK + "</script>", "\u2215\u2215evil.example", "\uff0fevil.example",
    "..%2F..%2F" + MARK, "../../" + MARK, "#" + MARK, "?next=//evil.example", "\x00" + MARK,
]


def redirect_checks(checks, port):
    targets = []
    for value in HOSTILE_VALUES:
        encoded = urllib.parse.quote(value, safe="")
        for campaign in ("faults", "pathy", "direct"):
            for name in ("next", "gender", "fid", "campaign", "clickid", "cid"):
                targets.append(f"/c/{campaign}?{name}={encoded}")
        targets.append(f"/fLt01?next={encoded}&gender={encoded}")
        targets.append(f"/click?cid=Abc_123&campaign=faults&next={encoded}")
    failures = []
    statuses = {}
    for target in targets:
        status, headers, _ = get_raw(port, target)
        statuses[status] = statuses.get(status, 0) + 1
        problem = location_problem(headers) if status == 302 else f"status {status}"
        if problem:
            failures.append(f"{target}: {problem}")
    checks.check("open redirect: hostile values in every token position stay on the catalogue's "
                 "hosts, with no injected field", not failures,
                 f"{len(targets)} requests, statuses {statuses}; " + "; ".join(failures[:3]))

    # Values that change the campaign, the click's campaign or the path itself.
    odd = ["//evil.example/", "/c/%2F%2Fevil.example", "/c/faults%2F..%2F..%2Fevil",
           "/click?cid=Abc_123&campaign=%2F%2Fevil.example", "/%2F%2Fevil.example",
           "/c/faults/../../evil", "/\\evil.example"]
    bad = []
    for target in odd:
        status, headers, _ = get_raw(port, target)
        if status == 302 and location_problem(headers):
            bad.append(f"{target}: {location_problem(headers)}")
        elif status not in (302, 400, 404):
            bad.append(f"{target}: status {status}")
    checks.check("open redirect: paths and campaign names never redirect off the catalogue",
                 not bad, "; ".join(bad))

    # Raw CR, LF and NUL bytes in the request line or a field value never reach a response.
    raw_cases = {
        "CRLF in the target": b"GET /c/faults?next=a\r\nX-CTX9: 1 HTTP/1.1\r\nHost: x\r\n\r\n",
        "bare LF in the target": b"GET /c/faults?next=a\nX-CTX9: 1 HTTP/1.1\r\nHost: x\r\n\r\n",
        "NUL in the target": b"GET /c/faults?next=a\x00CTX9 HTTP/1.1\r\nHost: x\r\n\r\n",
        "obs-fold in User-Agent": b"GET /c/faults HTTP/1.1\r\nHost: x\r\nUser-Agent: a\r\n X-CTX9: 1\r\n\r\n",
    }
    problems = []
    for name, data in raw_cases.items():
        answer = raw_request(port, data)
        status, headers, _ = parse_answer(answer)
        if MARK.encode() in answer.split(b"\r\n\r\n")[0]:
            problems.append(f"{name}: reflected in the answer's header")
        if status == 302 and location_problem(headers):
            problems.append(f"{name}: {location_problem(headers)}")
        checks.note(f"header injection: {name}: answered {status or 'nothing'}")
    checks.check("header injection: raw CR, LF and NUL in requests are never reflected",
                 not problems, "; ".join(problems))

    # Cookies and header fields that carry hostile text.
    cookie_cases = [
        b"Cookie: ct_vid=" + MARK.encode() + b"<script>; ct_visit=Abc_123.faults.quiz\r\n",
        b"Cookie: ct_visit=Abc_123.faults.%0d%0aX-CTX9:1\r\n",
        b"Cookie: ct_visit=Abc_123.faults.quiz;ct_vid=aaaa\xff\xfe" + MARK.encode() + b"\r\n",
        b"Cookie: ct_vid=" + b"A" * 3000 + b"\r\n",
        b"Referer: https://evil.example/\"><script>" + MARK.encode() + b"\r\nUser-Agent: ="
        + MARK.encode() + b"\r\n",
    ]
    reflected = []
    for extra in cookie_cases:
        for target in ("/c/faults?gender=m", "/click?cid=Abc_123", "/click"):
            status, headers, body = get_raw(port, target, extra)
            if any(MARK in name or MARK in value for name, value in headers) or MARK.encode() in body:
                reflected.append(f"{target} with {extra[:40]!r}")
            if status == 302 and location_problem(headers):
                reflected.append(f"{target}: {location_problem(headers)}")
    checks.check("header injection: cookies and header fields are never reflected",
                 not reflected, "; ".join(reflected[:3]))


# MARK: - Postbacks


def signature(items, key=None):
    pairs = sorted((urllib.parse.quote(name, safe="-._~"), urllib.parse.quote(value, safe="-._~"))
                   for name, value in items if name not in ("sig", "signature"))
    message = "&".join(f"{name}={value}" for name, value in pairs)
    key = key or lib.HMAC_SECRET
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def postback(port, items, method="GET"):
    query = urllib.parse.urlencode(items)
    if method == "POST":
        return lib.get(port, "/postback", method="POST", body=query,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    return lib.get(port, "/postback?" + query)


def postback_checks(checks, port, click_id):
    """Checks authentication with a fixed click ID, then sends replays and returns the click ID
    they went to."""
    signed = [("cid", click_id), ("txid", "T-signed"), ("status", "approved"), ("payout", "7.5"),
              ("secret", lib.SIGNED_SECRET)]
    good = signed + [("sig", signature(signed))]
    cases = [
        ("no secret", [("cid", click_id), ("txid", "T1")], 403, b"missing_secret"),
        ("empty secret", [("cid", click_id), ("secret", "")], 403, b"missing_secret"),
        ("wrong secret", [("cid", click_id), ("secret", lib.SECRET + "x")], 403, b"bad_secret"),
        ("secret prefix", [("cid", click_id), ("secret", lib.SECRET[:-1])], 403, b"bad_secret"),
        ("secret in another case", [("cid", click_id), ("secret", lib.SECRET.upper())], 403,
         b"bad_secret"),
        ("signed network without sig", signed, 403, b"missing_signature"),
        ("wrong sig", signed + [("sig", "0" * 64)], 403, b"bad_signature"),
        ("sig of other values", signed[:3] + [("payout", "999"), signed[4], good[5]], 403,
         b"bad_signature"),
        ("sig with an added argument", good + [("extra", "1")], 403, b"bad_signature"),
        ("sig in capitals", signed + [("sig", good[5][1].upper())], 200, b"OK"),
        ("valid signature", good, 200, b"OK"),
        ("plain secret under token", [("cid", click_id), ("txid", "T-token"),
                                      ("token", lib.SECRET)], 200, b"OK"),
    ]
    failures = []
    for name, items, status, body in cases:
        got_status, _, got_body = postback(port, items)
        if got_status != status or body not in got_body:
            failures.append(f"{name}: {got_status} {got_body!r}")
    got_status, _, got_body = postback(port, good, method="POST")
    if got_status != 200:
        failures.append(f"POST of a valid signature: {got_status}")
    checks.check("postback: missing, wrong and tampered secrets and signatures are rejected",
                 not failures, f"{len(cases) + 1} cases; " + "; ".join(failures))

    # Replays: the signature covers no time or nonce, so a captured postback is accepted again.
    # They go to a fresh visit of the campaign `direct`, which has no other conversion.
    location = dict(lib.get(port, "/c/direct")[1])["Location"]
    direct_click = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["sub1"][0]

    def signed_postback(txid, status):
        items = [("cid", direct_click), ("txid", txid), ("status", status), ("payout", "3"),
                 ("secret", lib.SIGNED_SECRET)]
        time.sleep(0.01)  # distinct timestamps, so the report's order is the sending order
        return postback(port, items + [("sig", signature(items))])[0]

    answers = [signed_postback("T-dup", "approved"), signed_postback("T-dup", "approved"),
               signed_postback("T-old", "pending"), signed_postback("T-old", "approved"),
               signed_postback("T-old", "pending")]
    checks.note("postback: a signed approval sent twice, then a signed pending, approval and the "
                f"captured pending replayed were answered {answers}")
    windowed_replay_checks(checks, port)
    return direct_click


def windowed_replay_checks(checks, port):
    """Sends the same replays for a network with a signature window, whose postbacks carry a
    signed `ts`, to a fresh visit of the campaign `windowed`."""
    location = dict(lib.get(port, "/c/windowed")[1])["Location"]
    click = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["sub1"][0]
    now = int(time.time())

    def items(txid, status, signed_at):
        fields = [("cid", click), ("txid", txid), ("status", status), ("payout", "3"),
                  ("ts", str(signed_at)), ("secret", lib.WINDOWED_SECRET)]
        return fields + [("sig", signature(fields, lib.WINDOWED_HMAC_SECRET))]

    dup = items("T-dup", "approved", now)
    old_pending = items("T-old", "pending", now - 20)
    sent = [dup, dup, old_pending, items("T-old", "approved", now), old_pending]
    answers = []
    for fields in sent:
        time.sleep(0.01)
        status, _, body = postback(port, fields)
        answers.append((status, body.decode(errors="replace").strip()))
    expected = [(200, "OK"), (200, "OK: already received"), (200, "OK"), (200, "OK"),
                (200, "OK: already received")]
    checks.check("postback: with a signature window, each signature is accepted once and a "
                 "repeat is answered 200", answers == expected, f"answers {answers}")
    stale = items("T-stale", "approved", now - 301)
    fresh = [("cid", click), ("txid", "T-unsigned-ts"), ("secret", lib.WINDOWED_SECRET)]
    fresh = fresh + [("sig", signature(fresh, lib.WINDOWED_HMAC_SECRET)), ("ts", str(now))]
    results = [postback(port, fields) for fields in (stale, fresh)]
    got = [(status, body.decode(errors="replace").strip()) for status, _, body in results]
    checks.check("postback: with a signature window, an old or unsigned time is rejected",
                 got == [(403, "Rejected: stale_timestamp"), (403, "Rejected: bad_signature")],
                 f"answers {got}")


def report_replay_checks(checks, report, click_id):
    problems = read_csv(os.path.join(report, "postback-problems.csv"))
    header, rows = problems[0], problems[1:]
    listed = [(row[header.index("txid")], row[header.index("problem")]) for row in rows
              if row[header.index("click_id")] == click_id]
    campaigns = read_csv(os.path.join(report, "campaigns.csv"))
    names = campaigns[0]
    direct = next(dict(zip(names, row)) for row in campaigns[1:] if row[0] == "direct")
    checks.check("postback: an identical replay counts once and is listed as a duplicate",
                 direct["conversions"] == "2" and listed == [("T-dup", "duplicate")],
                 f"{direct['conversions']} conversions, listed {listed}")
    checks.known("postback: without a signature window, a replayed older status cannot "
                 "override a newer one", direct["conversions_approved"] == "2",
                 f"approved {direct['conversions_approved']}, pending "
                 f"{direct['conversions_pending']}: the replayed pending postback turned T-old "
                 "back to pending; a replayed approval could likewise undo a decline; a network "
                 "with signature_window_seconds is protected (checked next)")
    windowed = next(dict(zip(names, row)) for row in campaigns[1:] if row[0] == "windowed")
    checks.check("postback: with a signature window, a replayed older status cannot override a "
                 "newer one", windowed["conversions"] == "2"
                 and windowed["conversions_approved"] == "2",
                 f"{windowed['conversions']} conversions, {windowed['conversions_approved']} "
                 "approved")


# MARK: - Reports


HOSTILE_TEXTS = [
    "=HYPERLINK(\"https://evil.example\",\"" + MARK + "\")", "+" + MARK + "+1", "-" + MARK + "-1",
    "@SUM(" + MARK + ")", "\t=" + MARK, "\r=" + MARK, " =" + MARK, "\uff1d" + MARK,
    "\"=" + MARK, ",=" + MARK, "\n=" + MARK, "<script>alert('" + MARK + "')</script>",
    "\"><img src=x onerror=alert('" + MARK + "')>", "</script><script>" + MARK + "</script>",
    "<!--" + MARK, "javascript:" + MARK, "<svg onload=" + MARK + ">", "&lt;" + MARK + "&gt;",
    "'><iframe src=//evil.example>",
]
FORMULA_START = tuple("=+-@\t\r")


def feed_hostile_logs(port):
    """Visits, clicks and postbacks whose free-text fields carry every hostile text."""
    click_id = None
    for index, text in enumerate(HOSTILE_TEXTS):
        query = urllib.parse.urlencode({"gender": text, "next": text, text: "v", "fid": str(index)})
        agent = ("Mozilla/5.0 (" + text.replace("\r", "").replace("\n", "") + ")").encode()
        status, headers, _ = lib.get(port, "/c/faults?" + query,
                                     headers={"User-Agent": agent,
                                              "Referer": b"https://ref.example/" + text.encode()
                                              .replace(b"\r", b"").replace(b"\n", b"")})
        location = dict(headers).get("Location", "")
        click_id = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("cid", [""])[0]
        lib.get(port, f"/click?cid={click_id}", headers={"User-Agent": text.encode()
                                                         .replace(b"\r", b"").replace(b"\n", b"")})
        # Rejected postbacks need no secret, so anyone can put text in the problems table.
        postback(port, [("cid", text), ("txid", text), ("status", text), ("payout", text),
                        ("currency", text), ("secret", "wrong"), ("note", text)])
        postback(port, [("cid", click_id), ("txid", text), ("status", "pending"),
                        ("secret", lib.SECRET), (text, text)])
    return click_id


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


class ElementCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.scripts = []
        self.in_script = False

    def handle_starttag(self, tag, attributes):
        self.elements.append((tag, attributes))
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts.append(data)


def check_csv_folder(checks, name, folder):
    unsafe = []
    cells = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.csv"))):
        for row in read_csv(path)[1:]:
            for cell in row:
                cells += 1
                if cell.startswith(FORMULA_START) and not re.fullmatch(r"-?[0-9.]+(e-?[0-9]+)?", cell):
                    unsafe.append(f"{os.path.basename(path)}: {cell[:40]!r}")
                # Leading spaces, quotes or full-width signs are not formulas in Excel,
                # LibreOffice or Google Sheets; they are listed for the record only.
    reached = sum(1 for path in glob.glob(os.path.join(folder, "*.csv"))
                  if MARK in open(path, encoding="utf-8").read())
    checks.check(f"{name} CSV: no cell starts a formula", not unsafe and reached > 0,
                 f"{cells} cells in {len(glob.glob(os.path.join(folder, '*.csv')))} files, "
                 f"{reached} files hold hostile text; " + "; ".join(unsafe[:3]))


def check_html(checks, name, path):
    text = open(path, encoding="utf-8").read()
    collector = ElementCollector()
    collector.feed(text)
    scripts = [tag for tag, _ in collector.elements if tag == "script"]
    handlers = [(tag, key) for tag, attributes in collector.elements for key, _ in attributes
                if key.startswith("on")]
    foreign = [tag for tag, _ in collector.elements if tag in ("img", "iframe", "object", "embed")]
    links = [value for _, attributes in collector.elements for key, value in attributes
             if key in ("href", "src") and value and not value.startswith("#")]
    marked_scripts = [script for script in collector.scripts if MARK in script]
    checks.check(f"{name} HTML: hostile text stays text",
                 len(scripts) == 1 and not handlers and not foreign and not links
                 and not marked_scripts and MARK in text,
                 f"{len(scripts)} script elements, {len(handlers)} event handler attributes, "
                 f"{len(foreign)} img/iframe/object elements, {len(links)} external links, "
                 f"{text.count(MARK)} escaped occurrences of the marker")


def check_in_browser(checks, name, folder):
    """Opens the page in headless Chromium with scripts/check-html, when Chromium is there."""
    if not shutil.which("chromium"):
        checks.note(f"{name} HTML in Chromium: skipped, chromium is not installed")
        return
    result = subprocess.run([os.path.join(lib.ROOT, "scripts", "check-html"), folder,
                             folder + ".png"], capture_output=True, text=True, timeout=300)
    checks.check(f"{name} HTML in Chromium: no console error, script error or remote load",
                 result.returncode == 0, (result.stdout + result.stderr).strip()[-300:])


def report_checks(checks, root, work, click_id):
    binary = lib.executable()
    report = os.path.join(work, "report")
    result = subprocess.run([binary, "report", root, "--catalogue", lib.CATALOGUE, "--by",
                             "gender,next", "--out", report], capture_output=True, text=True,
                            timeout=300)
    checks.check("report runs on hostile logs", result.returncode == 0,
                 f"exit {result.returncode} {result.stderr[-300:]}")
    if result.returncode != 0:
        return
    check_csv_folder(checks, "report", report)
    check_html(checks, "report", os.path.join(report, "index.html"))
    check_in_browser(checks, "report", report)
    report_replay_checks(checks, report, click_id)
    day = time.strftime("%Y-%m-%d", time.gmtime())
    compare = os.path.join(work, "compare")
    result = subprocess.run([binary, "compare", root, "--catalogue", lib.CATALOGUE, "--a",
                             f"{day}..{day}", "--b", f"{day}..{day}", "--by", "gender,next",
                             "--out", compare], capture_output=True, text=True, timeout=300)
    checks.check("compare runs on hostile logs", result.returncode == 0,
                 f"exit {result.returncode} {result.stderr[-300:]}")
    if result.returncode == 0:
        check_csv_folder(checks, "compare", compare)
        check_html(checks, "compare", os.path.join(compare, "index.html"))
        check_in_browser(checks, "compare", compare)


# MARK: - Oversized requests


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def oversize_checks(checks, service):
    port = service.port
    time.sleep(1.0)  # lets the writer flush the events of the earlier checks
    rss_before = rss_kib(service.process.pid)
    written_before = service.metrics().get("clicktrail_log_events_written_total", 0)
    many_arguments = "&".join(f"a{index}=b" for index in range(3000))
    many_fields = b"".join(b"X-Field-%d: %s\r\n" % (index, b"v" * 200) for index in range(400))
    cases = {
        "target of 5 KB": (b"GET /c/faults?next=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", {414}),
        "target of 100 KB": (b"GET /c/faults?next=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                             {414, 431, 0}),
        "3,000 arguments": (b"GET /c/faults?" + many_arguments.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                            {414, 0}),
        "400 header fields of 200 bytes": (b"GET /c/faults HTTP/1.1\r\nHost: x\r\n" + many_fields + b"\r\n",
                                           {431, 413, 400, 0}),
        "one header field of 70 KB": (b"GET /c/faults HTTP/1.1\r\nHost: x\r\nUser-Agent: "
                                      + b"u" * 70_000 + b"\r\n\r\n", {431, 413, 400, 0}),
        "body of 1 MB": (b"POST /postback HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         b"application/x-www-form-urlencoded\r\nContent-Length: 1048576\r\n\r\n"
                         + b"a" * 1_048_576, {413}),
        "chunked body of 1 MB": (b"POST /postback HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                 b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                                 + b"".join(b"10000\r\n" + b"a" * 65536 + b"\r\n" for _ in range(16))
                                 + b"0\r\n\r\n", {413}),
        "Content-Length of 10 GB without a body": (
            b"POST /postback HTTP/1.1\r\nHost: x\r\nContent-Length: 10737418240\r\n\r\nab", {413}),
    }
    failures = []
    for name, (data, expected) in cases.items():
        try:
            answer = raw_request(port, data, timeout=20)
        except OSError as error:
            answer = b""
            checks.note(f"oversized: {name}: {type(error).__name__}")
        status = parse_answer(answer)[0] if answer else 0
        checks.note(f"oversized: {name}: answered {status or 'nothing (connection closed)'}")
        if status not in expected:
            failures.append(f"{name}: {status}")
        if lib.get(port, "/healthz")[0] != 200:
            failures.append(f"{name}: /healthz failed afterwards")
    time.sleep(1.2)
    written_after = service.metrics().get("clicktrail_log_events_written_total", 0)
    rss_after = rss_kib(service.process.pid)
    checks.check("oversized: every oversized request is refused and nothing is logged",
                 not failures and written_after == written_before,
                 f"{len(cases)} cases; events written {written_before:.0f} -> {written_after:.0f}; "
                 f"RSS {rss_before} -> {rss_after} KiB; " + "; ".join(failures))


# MARK: - Slow clients


def slow_checks(checks, service):
    port = service.port
    # Idle connections are closed after the 15 s idle timeout.
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
    # Slowloris: a request header that never ends, one byte every 5 s.
    drip = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
    for sock in drip:
        sock.sendall(b"GET /c/faults HTTP/1.1\r\nHost: x\r\n")
    started = time.time()
    healthy = True
    while time.time() - started < 24:
        time.sleep(5)
        for sock in drip:
            try:
                sock.sendall(b"X")
            except OSError:
                pass
        healthy = healthy and lib.get(port, "/healthz", timeout=5)[0] == 200
    closed_idle = 0
    for sock in idle:
        sock.settimeout(0.2)
        try:
            closed_idle += sock.recv(1) == b""
        except (socket.timeout, ConnectionResetError):
            closed_idle += 0
        sock.close()
    open_drip = 0
    for sock in drip:
        sock.settimeout(0.2)
        try:
            open_drip += sock.recv(1) != b""
        except socket.timeout:
            open_drip += 1
        except ConnectionResetError:
            pass
        sock.close()
    checks.check("slow clients: idle connections are closed after the idle timeout",
                 closed_idle == len(idle), f"{closed_idle} of {len(idle)} closed after 24 s")
    checks.check("slow clients: the service answers while slow clients hold connections", healthy)
    checks.known("slow clients: a request header that trickles in is cut off", open_drip == 0,
                 f"{open_drip} of {len(drip)} connections that send one header byte every 5 s "
                 "are still open after 24 s, because libmicrohttpd 0.9.75 has only an idle "
                 "timeout and no deadline for a whole request")

    # The connection limit: fill it with idle connections, then try one more request.
    limit = 4096
    held = []
    try:
        for _ in range(limit + 50):
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    except OSError as error:
        checks.note(f"connection limit: connect failed after {len(held)}: {error}")
    time.sleep(0.5)
    try:
        refused = lib.get(port, "/healthz", timeout=3)[0] != 200
    except (OSError, Exception):
        refused = True
    for sock in held:
        sock.close()
    time.sleep(1.0)
    recovered = lib.get(port, "/healthz")[0] == 200
    checks.known("connection limit: one address cannot take every connection", not refused,
                 f"with {len(held)} idle connections from 127.0.0.1 open, a new request is "
                 f"{'refused' if refused else 'answered'}; there is no per-address limit, since "
                 "carriers put many visitors behind one address")
    checks.check("connection limit: the service recovers once the connections close", recovered)


def main():
    slow = "--slow" in sys.argv
    # The connection-limit check holds 4,146 sockets here and as many in the service, which
    # inherits this limit.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 10_000:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(10_000, hard), hard))
    checks = lib.Checks("security")
    work = lib.work_folder("security")
    root = os.path.join(work, "logs")
    service = lib.Service(root, work, flush_ms=200, threads=2)
    redirect_checks(checks, service.port)
    feed_hostile_logs(service.port)
    click_id = postback_checks(checks, service.port, "AuthCheck_0001")
    oversize_checks(checks, service)
    if slow:
        slow_checks(checks, service)
    status = service.stop()
    checks.check("service stops cleanly after the checks", status == 0, f"status {status}")
    secrets = [lib.SECRET, lib.SIGNED_SECRET, lib.HMAC_SECRET]
    leaked = [path for path in glob.glob(os.path.join(root, "*", "*", "*.tsv.gz"))
              if any(secret.encode() in b"\n".join(lib.read_members(path)[0]) for secret in secrets)]
    checks.check("no secret reaches the logs", not leaked, ", ".join(leaked))
    report_checks(checks, root, work, click_id)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
