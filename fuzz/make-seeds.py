#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds from SampleLogs and hand-made inputs.

Run from the repository root: python3 fuzz/make-seeds.py
"""
import gzip, hashlib, hmac, os, struct, zlib
from urllib.parse import quote

ROOT = "fuzz/seeds"
CLICKS = "ts\tevent\tclick_id\tcampaign\tsource\tlander\toffer\tparams\tvisitor\tip\tua\treferrer\n"
POSTBACKS = "ts\tclick_id\ttxid\tstatus\tpayout\tcurrency\tnetwork\taccepted\treject_reason\tip\tparams\n"
VISIT = ("1762333200000\tvisit\tAaGq9B3Jna43-WcFGEWn\tspring\tgateway\tquiz\t\tgender=male&age=25-34"
         "\tAaGq9B3JTqXCVhFk3EgR\t198.51.100.0\tMozilla/5.0 (Linux; Android 12)\thttps://t.co/x\\ty\n")
POSTBACK = ("1762333260000\tAaGq9B3Jna43-WcFGEWn\ttx-1\tapproved\t2.5\tUSD\tplain\ttrue\t\t"
            "203.0.113.9\tsub=a%20b\n")
REJECTED = "1762333270000\tbad id\t\t\t\t\t\tfalse\tbad_secret\t203.0.113.9\t\n"


def write(target, name, data):
    os.makedirs(f"{ROOT}/{target}", exist_ok=True)
    with open(f"{ROOT}/{target}/{name}", "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def member(text, stream=1, version=1):
    """Returns a member as the writer makes it: a gzip header with the CT subfield."""
    raw = text.encode() if isinstance(text, str) else text
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = compressor.compress(raw) + compressor.flush()
    length = 24 + len(deflated) + 8
    header = bytes([0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 3, 12, 0, 0x43, 0x54, 8, 0])
    header += struct.pack("<IBBBB", length, version, stream, 0, 0)
    return header + deflated + struct.pack("<II", zlib.crc32(raw), len(raw) & 0xFFFFFFFF)


def log_reader():
    # The first byte picks the file name: 0 none of the layout, 1 clicks, 2 postbacks.
    samples = [
        (1, "SampleLogs/logs/clicks/2026-11-05/clicks-2026-11-05T09-sim-1-000.tsv.gz"),
        (2, "SampleLogs/logs/postbacks/2026-11-03/postbacks-2026-11-03T09-sim-1-000.tsv.gz"),
    ]
    for selector, path in samples:
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= 8192:
            write("log-reader", os.path.basename(path), bytes([selector]) + data)
    one = member(CLICKS + VISIT)
    two = member(VISIT * 3)
    post = member(POSTBACKS + POSTBACK + REJECTED, stream=2)
    write("log-reader", "members", b"\x01" + one + two)
    write("log-reader", "postbacks", b"\x02" + post)
    write("log-reader", "plain-tsv", b"\x00" + (CLICKS + VISIT + "not\ta\tline\n").encode())
    write("log-reader", "truncated", b"\x01" + one + two[: len(two) // 2])
    broken = bytearray(two)
    broken[-6] ^= 0xFF
    write("log-reader", "crc-mismatch", b"\x01" + one + bytes(broken) + one)
    write("log-reader", "zero-padding", b"\x01" + one + bytes(40) + two + bytes(8))
    write("log-reader", "leading-garbage", b"\x01" + b"junk\x1f\x8b" + one)
    write("log-reader", "wrong-length", b"\x01" + one[:16] + b"\x05\x00\x00\x00" + one[20:] + two)
    write("log-reader", "plain-gzip", b"\x00" + gzip.compress((CLICKS + VISIT).encode(), mtime=0))
    write("log-reader", "version-2", b"\x01" + one + member(VISIT, version=2))
    write("log-reader", "stream-mismatch", b"\x02" + one + member(VISIT, stream=2))


def log_line():
    write("log-line", "visit", VISIT.rstrip("\n"))
    write("log-line", "postback", POSTBACK.rstrip("\n"))
    write("log-line", "rejected", REJECTED.rstrip("\n"))
    write("log-line", "header", CLICKS.rstrip("\n"))
    fields = ["1762333200000", "AaGq9B3Jna43", "spring", "gateway", "quiz", "", "a=b&c=%20",
              "visitor", "::1", "UA\twith tab", "ref\\erer\n", "pb", "cid-1", "tx", "1.250000",
              "EUR", "net", "", "ip", "p=1"]
    write("log-line", "fields", "\xff".encode("latin-1").join(f.encode() for f in fields))


def requests():
    secret, signed, key = "plain-secret-0123456789", "signed-secret-0123456789", \
        "hmac-key-0123456789abcdef"
    items = [("cid", "@cid"), ("txid", "t1"), ("payout", "3.5"), ("secret", signed)]
    canonical = "&".join(f"{quote(n, safe='-._~')}={quote(v, safe='-._~')}"
                         for n, v in sorted(items))
    # @cid is replaced before the request is handled, so this signature matches only the
    # literal; the fuzzer can still reach the comparison.
    signature = hmac.new(key.encode(), canonical.encode(), hashlib.sha256).hexdigest()
    sep = b"\xff"
    visit = b"GET /k7Qx2?city=Paris+Nord&utm=%F0%9F%94%92\nuser-agent: Mozilla/5.0 (iPhone)\nreferer: https://t.co/\n\n"
    campaign = b"GET /c/spring?gender=female&age=REPLACE&x=%0d%0a\ncookie: ct_vid=AaGq9B3JTqXCVhFk3EgR\n\n"
    click = b"GET /click?cid=@cid\ncookie: ct_visit=@cid.spring.quiz; ct_vid=@vid\n\n"
    click_cookie = b"GET /click\ncookie: ct_visit=@cid.spring.story\n\n"
    postback = f"GET /postback?cid=@cid&txid=tx-9&status=hold&payout=1.25&currency=usd&secret={secret}&sub=a\n\n".encode()
    signed_pb = ("GET /postback?" + "&".join(f"{n}={v}" for n, v in items) + f"&sig={signature}\n\n").encode()
    form = f"POST /postback\ncontent-type: application/x-www-form-urlencoded\nclient: 203.0.113.5\n\ncid=@cid&token=fenced-secret-0123456789&amount=-2&status=3".encode()
    preview = b"HEAD /c/direct?age=18-24\npurpose: prefetch\nuser-agent: facebookexternalhit/1.1\n\n"
    write("requests", "visit-click-postback", sep.join([visit, click, postback]))
    write("requests", "campaign-click-cookie", sep.join([campaign, click_cookie, signed_pb]))
    write("requests", "form-postback", sep.join([visit, form, preview]))
    write("requests", "other", sep.join([b"GET /healthz\n\n", b"GET /metrics\n\n",
                                          b"DELETE /c/spring\n\n", b"GET /nope/x\n\n"]))


def catalogue():
    with open("docs/catalogue.example.json", "rb") as f:
        write("catalogue", "example.json", f.read())
    sep = "\xff".encode("latin-1")
    write("catalogue", "template", sep.join([
        b"https://lp.example.org/q/{param:a}?cid={clickid}&c={campaign}#{offer}", b"AaGq9",
        b"spring", b"gate way", b"quiz", b"o/../x", b"http://evil.example/?", b"\r\nX: y"]))
    write("catalogue", "template-port", sep.join([
        b"http://[::1]:8080/{source}/{lander}", b"id", b"@evil.example", b"%2F%2F"]))


def sends():
    with gzip.open("SampleLogs/gateway-export.csv.gz", "rb") as f:
        lines = f.read().split(b"\n")
    export = b"\n".join(lines[:6]) + b"\n"
    write("sends", "export.csv", export)
    write("sends", "export.csv.gz", gzip.compress(export, mtime=0))
    write("sends", "aggregated.csv",
          "campaign,segment,delivered,cost,currency\nspring,gender=male&age=25-34,120,1.44,EUR\n"
          "spring,\"gender=female\",3,0.5,EUR\ndirect,,7,0,\n")


def report():
    click = VISIT.replace("\tvisit\t", "\tclick\t").replace("\tquiz\t\t", "\tquiz\ttrial\t")
    direct = ("1762333300000\tvisit\tAaGq9B3Jna43-WcFGEWm\tdirect\tgateway\t\tannual\tage=18-24"
              "\t\t2001:db8::\tcurl/8.0\t\n")
    pending = POSTBACK.replace("approved", "pending").replace("tx-1", "tx-2")
    late = "1762333900000\tAaGq9B3Jna43-WcFGEWm\ttx-3\tdeclined\t\t\tplain\ttrue\t\t::1\t\n"
    write("report", "joined", (VISIT + click + direct).encode() + b"\xff"
          + (POSTBACK + pending + REJECTED + late).encode())


log_reader()
log_line()
report()
requests()
catalogue()
sends()
