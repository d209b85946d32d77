#!/usr/bin/env python3
"""Memory soak: the worker under steady load for a while; resident memory must be flat.

usage: soak_memory.py WIREFEED_BINARY [--minutes M] [--rate R]

Starts `wirefeed broker` and `wirefeed run`, feeds R records per second with
kcat for M minutes (default 10), and samples the worker's resident memory
(/proc/<pid>/status VmRSS) every 10 s. The first third of the run is warm-up
(allocator, librdkafka's prefetch queue, buffers growing to their working set).
Flat means: the mean RSS of the last third is within 10% of the middle third's.
Prints the samples and one line:
  soak: minutes=<m> records=<n> rss_mb warm=<x> middle=<x> last=<x> growth=<x>%
and exits 1 when memory grows or the worker dies.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--minutes", type=float, default=10)
parser.add_argument("--rate", type=int, default=1000)
args = parser.parse_args()
binary = os.path.abspath(args.binary)
rng = random.Random(7)
tmp = tempfile.mkdtemp(prefix="wirefeed-soak-")

broker = subprocess.Popen([binary, "broker", "--partitions", "16", "--topics",
                           "news.raw,news.enriched,news.dlq"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
bootstrap = broker.stdout.readline().strip()
config = os.path.join(tmp, "config.yaml")
with open(config, "w") as f:
    f.write(f"kafka:\n  common:\n    bootstrap.servers: {bootstrap}\n  consumer:\n"
            f"    group.id: wirefeed-soak\ntopics:\n  input: news.raw\n  output: news.enriched\n"
            f"  dlq: news.dlq\nmetrics:\n  enabled: false\nlog:\n  level: warn\n")
worker = subprocess.Popen([binary, "run", "--config", config],
                          stderr=open(os.path.join(tmp, "worker.log"), "w"))

# One second's batch of realistic-length articles, reused with fresh ids.
words = open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "../../data/samples/seed.txt"), encoding="utf-8").read().split()
batch_path = os.path.join(tmp, "batch.jsonl")


def write_batch(second):
    with open(batch_path, "w") as f:
        for i in range(args.rate):
            start = rng.randrange(0, len(words) - 200)
            body = " ".join(words[start:start + rng.randint(80, 200)])
            f.write(json.dumps({"id": f"soak-{second}-{i}", "body": body,
                                "published_at": "2021-12-29"}) + "\n")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


samples = []
records = 0
start = time.time()
end = start + args.minutes * 60
next_sample = start + 10
second = 0
ok = True
while time.time() < end:
    tick = time.time() + 1
    write_batch(second)
    subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", "news.raw", "-l", batch_path],
                   check=True)
    records += args.rate
    second += 1
    if worker.poll() is not None:
        print(f"FAILED: the worker exited with {worker.returncode}", file=sys.stderr)
        ok = False
        break
    if time.time() >= next_sample:
        samples.append((time.time() - start, rss_mb(worker.pid)))
        print(f"  t={samples[-1][0]:6.0f}s rss={samples[-1][1]:7.1f} MB", flush=True)
        next_sample += 10
    time.sleep(max(0.0, tick - time.time()))

worker.send_signal(signal.SIGTERM)
worker.wait(timeout=60)
broker.stdin.close()
broker.wait(timeout=30)
third = max(1, len(samples) // 3)


def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


warm = mean([r for _, r in samples[:third]])
middle = mean([r for _, r in samples[third:2 * third]])
last = mean([r for _, r in samples[2 * third:]])
growth = (last - middle) / middle * 100 if middle else 0.0
print(f"soak: minutes={args.minutes:g} records={records} rss_mb warm={warm:.1f} "
      f"middle={middle:.1f} last={last:.1f} growth={growth:.1f}%")
sys.exit(0 if ok and growth <= 10 else 1)
