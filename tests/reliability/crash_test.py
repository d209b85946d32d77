#!/usr/bin/env python3
"""Crash test: SIGKILL the worker at random moments; nothing may be lost.

usage: crash_test.py WIREFEED_BINARY [--kills N] [--records N] [--seed S]

Starts `wirefeed broker` and runs `wirefeed run` as a child process. In each
cycle a burst of records arrives (kcat, keyed by their id; 1 in 50 is malformed
JSON and must end in the DLQ) and the worker is killed with SIGKILL at a seeded
random moment while it works, then restarted. After the last kill a final run drains
the topic and stops with SIGTERM. Records are short so that the enriched output
stays within the embedded cluster's retention (about 5 MiB per partition: a
partition beyond it drops its oldest records, which the check would report as
lost). Then, from the output and DLQ topics:
  * lost: input ids in neither topic (must be 0);
  * duplicates: copies beyond the first. After a kill, a restart redoes what was
    in flight (at most limits.max_in_flight records) plus what was delivered
    since the last offset commit (auto.commit.interval.ms, 200 ms here, of
    throughput); the check allows max_in_flight + COMMIT_SLACK per kill;
  * every copy of a record is byte-identical (determinism across restarts);
  * per output partition, the first appearances of the records of one input
    partition keep their input order.
Prints one summary line:
  reliability: kills=<n> lost=<n> duplicates=<n> max_duplicates_per_kill=<n>
and exits 1 when a check fails.
"""
import argparse
import collections
import json
import os
import random
import signal
import subprocess
import sys
import socket
import tempfile
import time
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--kills", type=int, default=20)
parser.add_argument("--records", type=int, default=20000)
parser.add_argument("--seed", type=int, default=20261127)
parser.add_argument("--partitions", type=int, default=16)
args = parser.parse_args()
binary = os.path.abspath(args.binary)
rng = random.Random(args.seed)
MAX_IN_FLIGHT = 2000
COMMIT_SLACK = 1000  # records one worker delivers in 200 ms is ~500 here
failures = []


def fail(what):
    failures.append(what)
    print(f"FAILED: {what}", file=sys.stderr)


tmp = tempfile.mkdtemp(prefix="wirefeed-crash-")

broker = subprocess.Popen([binary, "broker", "--partitions", str(args.partitions), "--topics",
                           "news.raw,news.enriched,news.dlq"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
bootstrap = broker.stdout.readline().strip()

# Input: short articles with unique ids; every 50th is malformed JSON.
words = ("markets rallied after the central bank held rates while officials said the outlook "
         "for growth and jobs remained uncertain across the region").split()
ids = []
path = os.path.join(tmp, "input.tsv")
with open(path, "w") as f:
    for i in range(args.records):
        rid = f"crash-{i:06d}"
        ids.append(rid)
        if i % 50 == 49:
            value = '{"id": "' + rid + '", "body": '  # truncated: malformed JSON
        else:
            body = " ".join(rng.choice(words) for _ in range(rng.randint(8, 24))).capitalize() + "."
            value = json.dumps({"id": rid, "title": f"Story {i}", "body": body,
                                "published_at": "2026-11-27"})
        f.write(f"{rid}\t{value}\n")
with open(path) as f:
    lines = f.readlines()


def feed_batch(batch):
    batch_path = os.path.join(tmp, "batch.tsv")
    with open(batch_path, "w") as f:
        f.writelines(batch)
    subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", "news.raw", "-K", "\t", "-l",
                    batch_path], check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


metrics_port = free_port()
config = os.path.join(tmp, "config.yaml")
with open(config, "w") as f:
    f.write(f"""kafka:
  common:
    bootstrap.servers: {bootstrap}
  consumer:
    group.id: wirefeed-crash
    auto.commit.interval.ms: 200
    session.timeout.ms: 3000
    heartbeat.interval.ms: 500
topics:
  input: news.raw
  output: news.enriched
  dlq: news.dlq
metrics:
  listen: 127.0.0.1:{metrics_port}
pipeline:
  threads: 2
  batch_size: 200
limits:
  max_in_flight: {MAX_IN_FLIGHT}
shutdown:
  deadline: 20s
log:
  level: warn
""")

# Each run's wall-clock window, to attribute duplicates to the kill before them.
runs = []
log = open(os.path.join(tmp, "worker.log"), "w")


def start():
    p = subprocess.Popen([binary, "run", "--config", config], stdout=log, stderr=log)
    runs.append([time.time() * 1000, None])
    return p


# Cycles: the (re)started worker joins the group and is assigned partitions
# (its /metrics say when), a burst of
# records arrives, and the worker is killed at a seeded random moment while it
# works through the burst (0.6 to 2 s in: a fresh assignment takes about half a
# second to fetch its first records).


def wait_assigned(timeout=60):
    # Joined is not enough: with cooperative rebalancing a restarted worker is
    # first assigned nothing while the killed member still counts; it gets
    # partitions once that member's session expires.
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=1) as r:
                for line in r.read().decode().splitlines():
                    if line.startswith("wirefeed_consumer_assigned_partitions") and \
                            float(line.split()[-1]) > 0:
                        return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


burst = max(1, len(lines) // (args.kills + 1))
bursts = [lines[i:i + burst] for i in range(0, len(lines), burst)]
kills = 0
worker = start()
for k in range(args.kills):
    if not wait_assigned():
        fail(f"the worker of run {k} was never assigned partitions")
    if bursts:
        feed_batch(bursts.pop(0))
    time.sleep(rng.uniform(0.6, 2.0))
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    runs[-1][1] = time.time() * 1000
    kills += 1
    worker = start()
for b in bursts:
    feed_batch(b)


def read_topic(topic):
    out = subprocess.run(
        ["kcat", "-b", bootstrap, "-C", "-t", topic, "-e", "-q", "-f",
         "%k\x1f%p\x1f%o\x1f%h\x1f%s\x1e"],
        capture_output=True, check=True).stdout.decode("utf-8", "replace")
    rows = []
    for rec in out.split("\x1e"):
        if not rec:
            continue
        key, part, off, headers, value = rec.split("\x1f", 4)
        rows.append((key, int(part), int(off), headers, value))
    return rows


# The final run drains everything, then stops cleanly.
deadline = time.time() + 300
while time.time() < deadline:
    seen = {r[0] for r in read_topic("news.enriched")} | {r[0] for r in read_topic("news.dlq")}
    if len(seen) >= len(ids):
        break
    time.sleep(2)
worker.send_signal(signal.SIGTERM)
code = worker.wait(timeout=60)
runs[-1][1] = time.time() * 1000
if code != 0:
    fail(f"the final run exits 0 on SIGTERM, got {code}")

outputs = read_topic("news.enriched")
dlq = read_topic("news.dlq")
copies = collections.defaultdict(list)
for key, part, off, headers, value in outputs + dlq:
    processed = None
    for h in headers.split(","):
        if h.startswith("wirefeed-processed-at-ms="):
            processed = int(h.split("=", 1)[1])
    copies[key].append((value, part, processed))

lost = [i for i in ids if i not in copies]
if lost:
    fail(f"{len(lost)} records lost, e.g. {lost[:5]}")
duplicates = sum(len(c) - 1 for c in copies.values())
differing = [k for k, c in copies.items() if len({v for v, _, _ in c}) > 1]
if differing:
    fail(f"{len(differing)} records have copies that differ, e.g. {differing[:3]}")
malformed_in_dlq = sum(1 for k, _, _, _, _ in dlq if int(k.split("-")[1]) % 50 == 49)
if malformed_in_dlq < len([i for i in range(args.records) if i % 50 == 49]):
    fail("every malformed record is in the DLQ")

# Duplicates per kill: a later copy produced during run k+1 repeats work of run k.
per_kill = collections.Counter()
for key, c in copies.items():
    stamps = sorted(p for _, _, p in c if p is not None)
    for stamp in stamps[1:]:
        for r, (begin, end) in enumerate(runs):
            if begin <= stamp <= (end or float("inf")) and r > 0:
                per_kill[r] += 1
                break
max_per_kill = max(per_kill.values(), default=0)
# Work done by each run (first copies), to show the kills hit a working worker.
work = collections.Counter()
for key, c in copies.items():
    stamp = min((p for _, _, p in c if p is not None), default=None)
    for r, (begin, end) in enumerate(runs):
        if stamp is not None and begin <= stamp <= (end or float("inf")):
            work[r] += 1
            break
print("records first delivered per run: " + " ".join(str(work[r]) for r in range(len(runs))),
      file=sys.stderr)
print("duplicates per kill: " + " ".join(str(per_kill[r]) for r in range(1, len(runs))),
      file=sys.stderr)
if max_per_kill > MAX_IN_FLIGHT + COMMIT_SLACK:
    fail(f"{max_per_kill} duplicates after one kill, above max_in_flight {MAX_IN_FLIGHT} "
         f"+ {COMMIT_SLACK}")

# Order: within an output partition, first appearances from one input partition
# have increasing input offsets.
first_seen = set()
last_offset = {}
order_errors = 0
for key, part, off, headers, value in sorted(outputs, key=lambda r: (r[1], r[2])):
    if key in first_seen:
        continue
    first_seen.add(key)
    source = json.loads(value)["source"]
    lane = (part, source["partition"])
    if source["offset"] < last_offset.get(lane, -1):
        order_errors += 1
    last_offset[lane] = source["offset"]
if order_errors:
    fail(f"{order_errors} first appearances out of input order")

broker.stdin.close()
broker.wait(timeout=30)
print(f"reliability: kills={kills} lost={len(lost)} duplicates={duplicates} "
      f"max_duplicates_per_kill={max_per_kill}")
if failures:
    print(open(os.path.join(tmp, "worker.log")).read()[-3000:], file=sys.stderr)
sys.exit(1 if failures else 0)
