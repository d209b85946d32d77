#!/usr/bin/env python3
"""Replay throughput against `run` throughput on the same data, side by side.

usage: replay_vs_run.py WIREFEED_BINARY [--rounds N]

Loads the end-to-end corpus (corpus.py) into `wirefeed broker`, then for each
round runs `wirefeed run` (a fresh consumer group) and `wirefeed replay --from
beginning` (a fresh replay name), each into its own output topic. Throughput is
the record count over the span of the output timestamps (so the group join of
`run` is not counted), CPU seconds come from the process's rusage. Prints each
round and the median ratios replay/run.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import corpus
import harness


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    name, lines = corpus.load()
    n = len(lines)
    total = sum(len(l.encode()) for l in lines)
    partitions = max(4, -(-total // (2 * 1024 * 1024)))
    tmp = tempfile.mkdtemp(prefix="wirefeed-replay-bench-")
    keyed = os.path.join(tmp, "corpus.txt")
    with open(keyed, "w", encoding="utf-8") as f:
        for i, line in enumerate(lines):
            f.write(f"a{i}\t{line}\n")
    topics = ["raw", "dlq"] + [f"out-{k}-{r}" for r in range(args.rounds) for k in ("run", "replay")]
    broker = subprocess.Popen([args.binary, "broker", "--partitions", str(partitions), "--topics",
                               ",".join(topics)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    bootstrap = broker.stdout.readline().strip()
    subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", "raw", "-K", "\t", "-l", keyed]
                   + harness.kx(harness.PRODUCER), check=True)
    log = open(os.path.join(tmp, "workers.log"), "w")
    print(f"corpus {name}: {n} records, {total / 1e6:.1f} MB; {partitions} partitions")
    rate_ratios, cpu_ratios = [], []
    for r in range(args.rounds):
        figures = {}
        for kind in ("run", "replay"):
            output = f"out-{kind}-{r}"
            config = os.path.join(tmp, f"{kind}{r}.yaml")
            harness.worker_config(config, bootstrap, f"g-{kind}-{r}", output)
            counter = harness.OutputCounter(bootstrap, output, n)
            cmd = [args.binary, "run", "--config", config]
            if kind == "replay":
                cmd = [args.binary, "replay", "--config", config, "--from", "beginning",
                       "--name", f"bench-{r}"]
            proc = subprocess.Popen(cmd, stderr=log, stdout=subprocess.DEVNULL)
            ok = counter.wait(600)
            proc.terminate()
            _, _, usage = os.wait4(proc.pid, 0)
            if not ok:
                sys.exit(f"{kind} did not produce every output; see {log.name}")
            span = (max(counter.timestamps) - min(counter.timestamps)) / 1000.0
            figures[kind] = ((n - 1) / span, usage.ru_utime + usage.ru_stime)
        rate_ratios.append(figures["replay"][0] / figures["run"][0])
        cpu_ratios.append(figures["replay"][1] / figures["run"][1])
        print(f"round {r + 1}: run {figures['run'][0]:8.0f} rec/s {figures['run'][1]:5.2f} cpu-s | "
              f"replay {figures['replay'][0]:8.0f} rec/s {figures['replay'][1]:5.2f} cpu-s")
    broker.stdin.close()
    broker.wait(timeout=30)
    print(f"replay/run: records/s median {statistics.median(rate_ratios):.2f} "
          f"(min {min(rate_ratios):.2f}, max {max(rate_ratios):.2f}); "
          f"CPU-seconds median {statistics.median(cpu_ratios):.2f}")


if __name__ == "__main__":
    main()
