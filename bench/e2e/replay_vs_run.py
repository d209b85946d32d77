#!/usr/bin/env python3
"""Replay throughput against `run` throughput on the same data, side by side.

usage: replay_vs_run.py WIREFEED_BINARY [--rounds N] [--corpus FILE]

Starts `wirefeed broker`, loads a corpus of raw-article JSON lines (default: BBC
from ../shared/data when present, else data/samples/articles.jsonl), then for each
round runs `wirefeed run` (a fresh consumer group) and `wirefeed replay --from
beginning` (a fresh replay name), each to its own output topic. Each is timed from
its first consumed record to the last acknowledged output, read from its own
/metrics endpoint, and its CPU seconds are read from /proc. Prints per-round
figures and the median ratio replay/run (records/s and CPU per record).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


def metric(port, name):
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
    except OSError:
        return 0.0
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(cmd, port, n, log):
    proc = subprocess.Popen(cmd, stderr=log, stdout=subprocess.DEVNULL)
    first = None
    deadline = time.time() + 300
    cpu = None
    while time.time() < deadline:
        consumed = metric(port, "wirefeed_consumer_records_total")
        if first is None and consumed > 0:
            first = time.time()
        done = metric(port, "wirefeed_producer_records_total") + metric(port, "wirefeed_dlq_records_total")
        if done >= n:
            end = time.time()
            cpu = cpu_seconds(proc.pid)
            break
        if proc.poll() is not None and done < n:
            break
        time.sleep(0.01)
    proc.terminate()
    proc.wait(timeout=60)
    if cpu is None:
        sys.exit(f"{cmd[1]} did not finish; see its log")
    return n / (end - first), cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corpus")
    args = ap.parse_args()
    corpus = args.corpus or os.path.join(REPO, "..", "shared", "data", "bbc", "train.jsonl")
    if not os.path.exists(corpus):
        corpus = os.path.join(REPO, "data", "samples", "articles.jsonl")
    lines = [l for l in open(corpus, encoding="utf-8") if l.strip()]
    n = len(lines)
    tmp = tempfile.mkdtemp()
    keyed = os.path.join(tmp, "keyed.txt")
    with open(keyed, "w", encoding="utf-8") as f:
        for i, l in enumerate(lines):
            f.write(f"k{i}\t{l.rstrip()}\n")
    broker = subprocess.Popen([args.binary, "broker", "--partitions", "4", "--topics", "raw,dlq"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    bootstrap = broker.stdout.readline().strip()
    subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", "raw", "-K", "\t", "-l", keyed], check=True)
    log = open(os.path.join(tmp, "worker.log"), "w")
    print(f"corpus {os.path.basename(corpus)}: {n} records; broker {bootstrap}")
    ratios, cpu_ratios = [], []
    for r in range(args.rounds):
        config = os.path.join(tmp, f"c{r}.yaml")
        with open(config, "w") as f:
            f.write(f"kafka:\n  common: {{bootstrap.servers: \"{bootstrap}\"}}\n"
                    f"  consumer: {{group.id: run-{r}}}\n"
                    f"topics: {{input: raw, output: out-run-{r}, dlq: dlq}}\n"
                    f"pipeline: {{threads: 1}}\nlog: {{format: json}}\n")
        run_rate, run_cpu = timed([args.binary, "run", "--config", config, "--set",
                                   "metrics.listen=127.0.0.1:19301"], 19301, n, log)
        replay_rate, replay_cpu = timed([args.binary, "replay", "--config", config, "--from",
                                         "beginning", "--name", f"bench-{r}", "--output-topic",
                                         f"out-replay-{r}", "--set",
                                         "metrics.listen=127.0.0.1:19302"], 19302, n, log)
        ratios.append(replay_rate / run_rate)
        cpu_ratios.append(replay_cpu / run_cpu)
        print(f"round {r + 1}: run {run_rate:8.0f} rec/s {run_cpu:6.2f} cpu-s | "
              f"replay {replay_rate:8.0f} rec/s {replay_cpu:6.2f} cpu-s | "
              f"ratio {ratios[-1]:.2f}")
    broker.stdin.close()
    broker.wait(timeout=10)
    print(f"replay/run: records/s ratio median {statistics.median(ratios):.2f} "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f}); "
          f"CPU-seconds ratio median {statistics.median(cpu_ratios):.2f}")


if __name__ == "__main__":
    main()
