#!/usr/bin/env python3
"""Large hostile inputs: every one ends as an output or a DLQ record, and the
worker keeps running.

usage: hostile_inputs_test.py WIREFEED_BINARY [--scale F]

The fuzz targets try small inputs; this feeds `wirefeed run` (default limits:
limits.max_message_bytes 4 MiB, limits.max_output_bytes 2 MiB) through
`wirefeed broker` with 1 to 4.5 MB structured hostile records, built here from
a fixed seed, between ordinary articles:
  numbers        a body dense with amounts ("123456 troops, 98765 million dollars")
  capitals       a body of capitalized words (every token a name candidate)
  quotes         unclosed quotation marks and reporting verbs
  giant_token    one token of 3 MB
  nested_html    100,000 unclosed <div> around the text
  links_html     60,000 links
  nested_json    an unknown field nested 200,000 arrays deep
  many_fields    100,000 unknown fields
  authors        200,000 authors
  bad_utf8_tail  3 MB of text ending in invalid UTF-8
  plain_text     3 MB of plain text (not JSON) with datelines and quotes
  newlines       2 MB of blank lines around one sentence
  over_limit     4.5 MB, over limits.max_message_bytes and the producer limit:
                 it must end as a DLQ reference record (never stuck)
Each hostile record gets its own input, output and DLQ partition (keys chosen
by librdkafka's default partitioner, CRC32 of the key), since the embedded
cluster keeps about 5 MiB per partition.

Checks: every input key is in the output or the DLQ topic (exactly once); no
DLQ reason is `internal` (a bug); outputs parse as JSON and stay within
limits.max_output_bytes; the over-limit record is an oversize_message reference
record; the worker is still running at the end and stops with exit 0 on
SIGTERM; a second worker started afterwards finds every partition's committed
offset at its end (it reports zero lag everywhere having consumed nothing).
Prints one line per record (where it went, its size, the worker's seconds so
far) and "N passed, N failed"; exits 1 on a failure.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import Checks  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--scale", type=float, default=1.0, help="size factor of the hostile bodies")
args = parser.parse_args()
binary = os.path.abspath(args.binary)
check = Checks()
rng = random.Random(20261201)
MAX_OUTPUT = 2 * 1024 * 1024
PARTITIONS = 32


def size(n):
    return int(n * args.scale)


WORDS = ("markets rallied after the central bank held rates while officials said the outlook "
         "for growth and jobs remained uncertain across the region").split()
UNITS = ["troops", "million dollars", "percent", "people", "tonnes", "billion euros", "votes"]


def body_of(n, piece):
    parts, total = [], 0
    while total < n:
        p = piece()
        parts.append(p)
        total += len(p)
    return "".join(parts)


def partition_of(key):
    # librdkafka's default partitioner (consistent_random): CRC32 of the key.
    return zlib.crc32(key.encode()) % PARTITIONS


taken = set()


def key_for(name):
    """`name`, or `name-<n>`, whichever first lands in a partition of its own."""
    key, n = name, 0
    while partition_of(key) in taken:
        n += 1
        key = f"{name}-{n}"
    taken.add(partition_of(key))
    return key


def article(key, **fields):
    return json.dumps({"id": key, "title": key.replace("_", " "), **fields}).encode()


def hostile():
    """(key, value bytes, expected: None = output or DLQ, else a DLQ reason)."""
    k = key_for("numbers")
    yield k, article(k, body=body_of(size(3_500_000), lambda: (
        f"{rng.randint(1, 999999)} {rng.choice(UNITS)}, "))), None
    k = key_for("capitals")
    yield k, article(k, body=body_of(size(3_500_000), lambda: (
        rng.choice("ABCDEFGHIJKLMNOPRSTW") + "".join(rng.choice("aeioulnrst")
                                                     for _ in range(rng.randint(3, 8))) + " "))), None
    k = key_for("quotes")
    yield k, article(k, body=body_of(size(2_000_000), lambda: (
        f'"{rng.choice(WORDS)} {rng.choice(WORDS)}, said {rng.choice(WORDS).title()} "and '))), None
    k = key_for("giant_token")
    yield k, article(k, body="a" * size(3_000_000)), None
    k = key_for("nested_html")
    yield k, article(k, html="<div>" * size(100_000) + "<p>The council met on Tuesday.</p>"), None
    k = key_for("links_html")
    yield k, article(k, html="<html><body>" + "".join(
        f'<a href="https://example.com/{i}">link {i}</a> ' for i in range(size(60_000))) +
        "<p>The council met on Tuesday.</p></body></html>"), None
    k = key_for("nested_json")
    depth = size(200_000)
    yield k, ('{"id":"' + k + '","body":"The council met.","deep":' + "[" * depth + "]" * depth +
              "}").encode(), None
    k = key_for("many_fields")
    many = {f"field_{i}": i for i in range(size(100_000))}
    yield k, article(k, body="The council met on Tuesday.", **many), None
    k = key_for("authors")
    yield k, article(k, body="The council met on Tuesday.",
                     authors=[f"Author {i}" for i in range(size(200_000))]), None
    k = key_for("bad_utf8_tail")
    yield k, (b'{"id":"' + k.encode() + b'","body":"' +
              body_of(size(3_000_000), lambda: rng.choice(WORDS) + " ").encode() + b'\xff\xfe"}'), None
    k = key_for("plain_text")  # not JSON: the article's id is derived from its text
    yield k, body_of(size(3_000_000), lambda: (
        f'WASHINGTON, Dec. {rng.randint(1, 28)}, 2021 (Reuters) - "{rng.choice(WORDS)}," '
        f'{rng.choice(WORDS).title()} said on Thursday. ')).encode(), None
    k = key_for("newlines")
    yield k, article(k, body="\n" * size(2_000_000) + "The council met.\n"), None
    k = key_for("over_limit")
    yield k, article(k, body="x" * 4_500_000), "oversize_message"


def ordinary(i):
    body = " ".join(rng.choice(WORDS) for _ in range(20)).capitalize() + "."
    return json.dumps({"id": f"ordinary-{i}", "title": f"Story {i}", "body": body}).encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def metrics(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
        return r.read().decode()


def series(text, name):
    out = []
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            out.append((line.rsplit(" ", 1)[0], float(line.rsplit(" ", 1)[1])))
    return out


tmp = tempfile.mkdtemp(prefix="wirefeed-hostile-")
children = []
try:
    broker = subprocess.Popen([binary, "broker", "--partitions", str(PARTITIONS), "--topics",
                               "news.raw,news.enriched,news.dlq"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    children.append(broker)
    bootstrap = broker.stdout.readline().strip()
    check(bool(bootstrap), "wirefeed broker prints its bootstrap address")

    # Keys: each hostile record alone in its partition of every topic (the
    # output and DLQ keys are the input key, which is also the article id).
    records, used = [], set()
    expected = {}
    for key, value, reason in hostile():
        p = partition_of(key)
        check(p not in used, f"{key}: a partition of its own ({p})")
        used.add(p)
        records.append((key, value, p))
        expected[key] = reason
    free = [p for p in range(PARTITIONS) if p not in used]
    for i in range(20):
        key = f"ordinary-{i}"
        records.insert(2 * i % (len(records) + 1), (key, ordinary(i), free[i % len(free)]))
        expected[key] = None
    position = {}  # (partition, offset) -> key: kcat writes each partition in order
    next_offset = {}
    for key, value, p in records:
        position[(p, next_offset.get(p, 0))] = key
        next_offset[p] = next_offset.get(p, 0) + 1
        path = os.path.join(tmp, "value")
        with open(path, "wb") as f:
            f.write(value)
        subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", "news.raw", "-p", str(p), "-k", key,
                        "-X", "message.max.bytes=20000000", path], check=True)
    print(f"produced {len(records)} records, "
          f"{sum(len(v) for _, v, _ in records) / 1e6:.1f} MB")

    port = free_port()
    config = os.path.join(tmp, "config.yaml")
    with open(config, "w") as f:
        f.write(f"kafka:\n  common:\n    bootstrap.servers: {bootstrap}\n  consumer:\n"
                f"    group.id: wirefeed-hostile\n    statistics.interval.ms: 1000\n"
                f"topics: {{input: news.raw, output: news.enriched, dlq: news.dlq}}\n"
                f"metrics: {{listen: 127.0.0.1:{port}}}\npipeline: {{threads: 2}}\n"
                f"log: {{level: warn, format: json}}\n")
    log_path = os.path.join(tmp, "worker.log")
    started = time.time()
    worker = subprocess.Popen([binary, "run", "--config", config], stderr=open(log_path, "w"))
    children.append(worker)

    def acknowledged():
        text = metrics(port)
        return (sum(v for _, v in series(text, "wirefeed_producer_records_total")) +
                sum(v for _, v in series(text, "wirefeed_dlq_records_total")))

    deadline = time.time() + 600
    done = 0
    while time.time() < deadline and worker.poll() is None:
        try:
            done = acknowledged()
        except OSError:
            pass
        if done >= len(records):
            break
        time.sleep(0.5)
    seconds = time.time() - started
    check(worker.poll() is None, "the worker is still running after every hostile record")
    check(done >= len(records), f"every record acknowledged ({done:.0f} of {len(records)})")

    def read(topic, fmt):
        out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic, "-e", "-q",
                              "-X", "fetch.message.max.bytes=20000000", "-f", fmt],
                             capture_output=True, timeout=120)
        return out.stdout

    # Records are told apart by the input position they name (the enriched
    # record's key is the article id, which plain text derives from its text).
    where = {}
    # Enriched records hold no raw newline (JSON escapes them): one per line.
    for line in read("news.enriched", "%s\n").decode().splitlines():
        try:
            source = json.loads(line)["source"]
            key = position.get((source["partition"], source["offset"]), "unknown")
        except (ValueError, KeyError, TypeError):
            key = "unparsable"
        check(key != "unparsable", "an enriched record is JSON naming its source")
        where.setdefault(key, []).append("output")
        check(len(line.encode()) <= MAX_OUTPUT, f"{key}: within limits.max_output_bytes")
    for line in read("news.dlq", "%S\t%h\n").decode(errors="replace").splitlines():
        _, headers = line.split("\t", 1)
        h = dict(kv.split("=", 1) for kv in headers.split(",") if "=" in kv)
        key = position.get((int(h.get("wirefeed-source-partition", -1)),
                            int(h.get("wirefeed-source-offset", -1))), "unknown")
        reason = h.get("wirefeed-error-code", "?")
        kind = "reference" if "wirefeed-dlq-reference" in h else "dlq"
        where.setdefault(key, []).append(f"{kind}:{reason}")
        check(reason not in ("internal", "?"), f"{key}: a DLQ reason that is not a bug ({reason})")
    check("unknown" not in where, f"every output and DLQ record names an input ({where.get('unknown')})")

    for key, _, _ in records:
        got = where.get(key, [])
        print(f"{key:16s} -> {', '.join(got) or 'MISSING'}")
        check(len(got) == 1, f"{key}: exactly one output or DLQ record ({got})")
        if expected[key] == "oversize_message":
            check(got == ["reference:oversize_message"],
                  f"{key}: over every limit, it ends as a DLQ reference record")
    print(f"worker seconds for everything: {seconds:.1f}")

    worker.send_signal(signal.SIGTERM)
    code = worker.wait(timeout=60)
    check(code == 0, f"SIGTERM stops the worker cleanly (exit {code})")

    # Committed to the end: a new worker of the group has nothing to consume.
    worker2 = subprocess.Popen([binary, "run", "--config", config], stderr=open(log_path, "a"))
    children.append(worker2)
    holding = {p for p, _ in position}
    lag = []
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            lag = [(labels, v) for labels, v in
                   series(metrics(port), "wirefeed_consumer_lag_messages")
                   if int(labels.split('partition="')[1].split('"')[0]) in holding]
            if len(lag) == len(holding):
                break
        except OSError:
            pass
        time.sleep(0.5)
    check(len(lag) == len(holding),
          f"the second worker reports the lag of every partition holding records ({len(lag)})")
    check(all(v == 0 for _, v in lag), "every partition's committed offset is at its end")
    consumed = sum(v for _, v in series(metrics(port), "wirefeed_consumer_records_total"))
    check(consumed == 0, f"the second worker consumed nothing ({consumed:.0f})")
    worker2.send_signal(signal.SIGTERM)
    worker2.wait(timeout=60)
finally:
    for p in reversed(children):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
    if check.failed and os.path.exists(os.path.join(tmp, "worker.log")):
        with open(os.path.join(tmp, "worker.log")) as f:
            print("--- worker.log (tail)\n" + f.read()[-3000:], file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)

check.finish()
