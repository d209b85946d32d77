#!/usr/bin/env python3
"""End-to-end throughput of wirefeed against the Kafka I/O floor, on one machine.

usage: harness.py WIREFEED_BINARY [--rounds N] [--out FILE]

One `wirefeed broker` (the embedded cluster) holds a corpus of real articles
(corpus.py), spread by key over enough partitions to stay well under the mock's
~5 MiB per partition. Then, interleaved over N rounds (default 5), each run reads
the whole input topic and writes a fresh output topic, and stops when every
output is counted:

  A  kcat -C | kcat -P passthrough, keys preserved (the I/O floor)
  B  wirefeed with every stage off but decode and encode (the plumbing)
  C  wirefeed, full pipeline
  D  wirefeed, full pipeline, metrics disabled

A and the workers share the consumer and producer settings they both have
(fetch.wait.max.ms, linger.ms, idempotence). Throughput is N over the span of the
outputs' timestamps (first to last produce), so start-up and the consumer-group
join are outside it for every variant. CPU seconds and peak RSS come from each
process's rusage; the broker's CPU from /proc. After the rounds, C runs once more
on a fresh topic fed at half its median rate, to measure per-record latency
(input timestamp to output timestamp) and resident memory over time.

Prints the table, writes it to bench/results/latest.md, and ends with one line:
ratios: B/A=<x> C/A=<x> C/B=<x> D/C=<x> cpu_s_per_1000(C)=<x> cpu_s_per_1000_bbc(C)=<x>

cpu_s_per_1000_bbc(C) is C's CPU seconds per 1,000 articles over BBC News alone
(--bbc-rounds runs on its own topic, median), the article size the CPU budget is
set for: the mixed corpus's mean article is half a BBC article. Without
../shared/data it is reported as n/a.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import corpus

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
CONSUMER = {"fetch.wait.max.ms": "50"}
PRODUCER = {"linger.ms": "5", "enable.idempotence": "true"}
TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def proc_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def kx(props):
    out = []
    for k, v in props.items():
        out += ["-X", f"{k}={v}"]
    return out


class OutputCounter:
    """Reads an output topic with kcat and records each record's timestamp."""

    def __init__(self, bootstrap, topic, n, with_keys=False):
        fmt = "%T\t%k\n" if with_keys else "%T\n"
        self.proc = subprocess.Popen(["kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "beginning",
                                      "-u", "-q", "-f", fmt] + kx(CONSUMER),
                                     stdout=subprocess.PIPE, text=True)
        self.n = n
        self.timestamps = []
        self.keys = []
        self.done = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            parts = line.rstrip("\n").split("\t")
            self.timestamps.append(int(parts[0]))
            if len(parts) > 1:
                self.keys.append(parts[1])
            if len(self.timestamps) >= self.n:
                self.done.set()
                break

    def wait(self, timeout):
        ok = self.done.wait(timeout)
        self.proc.kill()
        self.proc.wait()
        return ok


def worker_config(path, bootstrap, group, output, stages=None, metrics=True, input_topic="raw"):
    with open(path, "w") as f:
        f.write(f"kafka:\n  common: {{bootstrap.servers: \"{bootstrap}\"}}\n")
        f.write("  consumer: {group.id: %s, %s}\n" % (group, ", ".join(f"{k}: {v}" for k, v in CONSUMER.items())))
        f.write("  producer: {%s}\n" % ", ".join(f"{k}: {v}" for k, v in PRODUCER.items()))
        f.write(f"topics: {{input: {input_topic}, output: {output}, dlq: dlq}}\n")
        f.write(f"metrics: {{enabled: {'true' if metrics else 'false'}, listen: \"127.0.0.1:0\"}}\n")
        if stages is not None:
            f.write(f"pipeline: {{stages: [{', '.join(stages)}]}}\n")
        f.write("log: {format: json, level: warn}\n")


def proc_peak_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


WORKER_SETS = []


def run_worker(binary, config, counter, log, rss_samples=None):
    cmd = [binary, "run", "--config", config]
    for kv in WORKER_SETS:
        cmd += ["--set", kv]
    proc = subprocess.Popen(cmd, stderr=log, stdout=subprocess.DEVNULL)
    peak = 0
    while not counter.done.is_set() and proc.poll() is None:
        if rss_samples is not None:
            rss_samples.append((time.time(), proc_rss_kb(proc.pid)))
        peak = max(peak, proc_peak_rss_kb(proc.pid))
        counter.done.wait(0.25)
    peak = max(peak, proc_peak_rss_kb(proc.pid))
    # A worker that exited early will not produce the rest: do not wait long.
    ok = counter.wait(600 if proc.poll() is None else 5)
    proc.terminate()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = status
    if not ok:
        sys.exit(f"worker did not produce every output; see {log.name}")
    return usage.ru_utime + usage.ru_stime, peak


def run_kcat_copy(bootstrap, output, counter):
    consumer = subprocess.Popen(["kcat", "-b", bootstrap, "-C", "-t", "raw", "-o", "beginning", "-e", "-q",
                                 "-K", "\t", "-f", "%k\t%s\n"] + kx(CONSUMER) + kx({"enable.partition.eof": "true"}),
                                stdout=subprocess.PIPE)
    producer = subprocess.Popen(["kcat", "-b", bootstrap, "-P", "-t", output, "-K", "\t"] + kx(PRODUCER),
                                stdin=consumer.stdout)
    consumer.stdout.close()
    _, _, cu = os.wait4(consumer.pid, 0)
    _, _, pu = os.wait4(producer.pid, 0)
    if not counter.wait(600):
        sys.exit("kcat copy did not produce every output")
    return cu.ru_utime + cu.ru_stime + pu.ru_utime + pu.ru_stime, max(cu.ru_maxrss, pu.ru_maxrss)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser(description="end-to-end benchmark")
    ap.add_argument("binary")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "latest.md"))
    ap.add_argument("--bbc-rounds", type=int, default=3,
                    help="rounds of C over BBC News alone (0: skip)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a config override for every worker run (repeatable)")
    args = ap.parse_args()
    WORKER_SETS.extend(args.set)
    for tool in ("kcat",):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            sys.exit(f"harness: {tool} is missing (make deps installs it)")

    name, lines = corpus.load()
    bbc_name, bbc_lines = corpus.load_bbc() if args.bbc_rounds > 0 else (None, [])
    n = len(lines)
    total_bytes = sum(len(l.encode()) for l in lines)
    bbc_bytes = sum(len(l.encode()) for l in bbc_lines)
    partitions = max(4, -(-max(total_bytes, bbc_bytes) // (2 * 1024 * 1024)))  # about 2 MiB each
    tmp = tempfile.mkdtemp(prefix="wirefeed-bench-")
    keyed = os.path.join(tmp, "corpus.txt")
    with open(keyed, "w", encoding="utf-8") as f:
        for i, line in enumerate(lines):
            f.write(f"a{i}\t{line}\n")

    # Every topic exists before its reader starts (kcat -C gives up on a missing topic).
    topics = ["raw", "dlq", "lat", "lat-out", "probe-out", "bbc"] + [
        f"out-{k}-{r}" for r in range(args.rounds) for k in "ABCD"] + [
        f"out-bbc-{r}" for r in range(args.bbc_rounds)]
    broker = subprocess.Popen([args.binary, "broker", "--partitions", str(partitions), "--topics",
                               ",".join(topics)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    bootstrap = broker.stdout.readline().strip()
    subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", "raw", "-K", "\t", "-l", keyed] + kx(PRODUCER), check=True)
    probe = os.path.join(tmp, "probe.yaml")
    worker_config(probe, bootstrap, "probe", "probe-out")
    plan = subprocess.run([args.binary, "replay", "--config", probe, "--from", "beginning", "--dry-run"],
                          capture_output=True, text=True, check=True).stdout
    loaded = int(plan.rsplit("total records:", 1)[1].split()[0])
    if loaded != n:
        sys.exit(f"harness: loaded {loaded} records, expected {n}")
    if bbc_lines:
        bbc_keyed = os.path.join(tmp, "bbc.txt")
        with open(bbc_keyed, "w", encoding="utf-8") as f:
            for i, line in enumerate(bbc_lines):
                f.write(f"b{i}\t{line}\n")
        subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", "bbc", "-K", "\t", "-l", bbc_keyed] +
                       kx(PRODUCER), check=True)
    print(f"corpus: {name}: {n} articles, {total_bytes / 1e6:.1f} MB, {partitions} partitions; "
          f"broker {bootstrap}; {args.rounds} rounds")

    variants = {
        "A": ("kcat -C \\| kcat -P passthrough", None),
        "B": ("wirefeed decode + encode only", dict(stages=[])),
        "C": ("wirefeed full pipeline", dict()),
        "D": ("wirefeed full pipeline, metrics off", dict(metrics=False)),
    }
    results = {k: [] for k in variants}
    log = open(os.path.join(tmp, "workers.log"), "w")
    for r in range(args.rounds):
        for key, (label, opts) in variants.items():
            output = f"out-{key}-{r}"
            counter = OutputCounter(bootstrap, output, n)
            broker_cpu0 = proc_cpu(broker.pid)
            if opts is None:
                cpu, rss = run_kcat_copy(bootstrap, output, counter)
            else:
                config = os.path.join(tmp, f"{key}{r}.yaml")
                worker_config(config, bootstrap, f"bench-{key}-{r}", output, **opts)
                cpu, rss = run_worker(args.binary, config, counter, log)
            broker_cpu = proc_cpu(broker.pid) - broker_cpu0
            span = (max(counter.timestamps) - min(counter.timestamps)) / 1000.0
            rate = (n - 1) / span if span > 0 else float("inf")
            results[key].append(dict(rate=rate, mbps=rate * total_bytes / n / 1e6, cpu=cpu,
                                     broker_cpu=broker_cpu, rss_mb=rss / 1024))
            print(f"round {r + 1} {key}: {rate:9.0f} rec/s  cpu {cpu:6.2f} s  broker cpu {broker_cpu:6.2f} s  "
                  f"peak rss {rss / 1024:6.1f} MB", flush=True)

    med = {k: statistics.median(x["rate"] for x in v) for k, v in results.items()}

    # C over BBC News alone: CPU per 1,000 articles at the size the budget is set for.
    bbc_cpu = []
    for r in range(args.bbc_rounds if bbc_lines else 0):
        output = f"out-bbc-{r}"
        counter = OutputCounter(bootstrap, output, len(bbc_lines))
        config = os.path.join(tmp, f"bbc{r}.yaml")
        worker_config(config, bootstrap, f"bench-bbc-{r}", output, input_topic="bbc")
        cpu, rss = run_worker(args.binary, config, counter, log)
        bbc_cpu.append(cpu / len(bbc_lines) * 1000)
        print(f"round {r + 1} C on BBC: cpu {cpu:6.2f} s  {bbc_cpu[-1]:.3f} s per 1000  "
              f"peak rss {rss / 1024:6.1f} MB", flush=True)
    cpu_bbc = f"{statistics.median(bbc_cpu):.3f}" if bbc_cpu else "n/a"

    # Latency and memory: C fed at half its median rate on a fresh topic.
    # About 20 s of input (the corpus cycles, with fresh ids), long enough to see
    # whether resident memory stays flat as records go through.
    lat_topic, lat_n = "lat", min(250_000, int(min(x["rate"] for x in results["C"]) / 2 * 20))
    config = os.path.join(tmp, "latency.yaml")
    worker_config(config, bootstrap, "bench-latency", "lat-out", input_topic=lat_topic)
    counter = OutputCounter(bootstrap, "lat-out", lat_n, with_keys=True)
    rss_samples = []
    worker_thread_result = {}

    def worker():
        worker_thread_result["cpu"] = run_worker(args.binary, config, counter, log, rss_samples)

    input_ts = {}
    feeder = subprocess.Popen(["kcat", "-b", bootstrap, "-P", "-t", lat_topic, "-K", "\t"] + kx(PRODUCER),
                              stdin=subprocess.PIPE, text=True)
    t = threading.Thread(target=worker)
    t.start()
    time.sleep(4)  # let the worker join its group before the clock starts
    # Half of C's slowest round: the feeder, the broker and the worker share the
    # machine, so the median would overload it.
    rate = min(x["rate"] for x in results["C"]) / 2
    start = time.time()
    for i in range(lat_n):
        due = start + i / rate
        now = time.time()
        if due > now:
            time.sleep(due - now)
        line = lines[i % n].replace('"id":"', f'"id":"lat{i}-', 1)
        feeder.stdin.write(f"lat{i}\t{line}\n")
        if i % 100 == 0:
            feeder.stdin.flush()
    feeder.stdin.close()
    feeder.wait()
    t.join()
    # Input timestamps: read the input topic back.
    reader = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", lat_topic, "-o", "beginning", "-e", "-q",
                             "-f", "%T\t%k\n"] + kx(CONSUMER), capture_output=True, text=True)
    for line in reader.stdout.splitlines():
        ts, key = line.split("\t", 1)
        input_ts[key.replace("lat", "", 1)] = int(ts)
    latencies = []
    for ts, key in zip(counter.timestamps, counter.keys):
        idx = key.split("-", 1)[0].replace("lat", "", 1)
        if idx in input_ts:
            latencies.append(ts - input_ts[idx])
    broker.stdin.close()
    broker.wait(timeout=30)

    def row(key):
        v = results[key]
        rates = [x["rate"] for x in v]
        cpu_per_1000 = statistics.median(x["cpu"] for x in v) / n * 1000
        cpu_b_per_1000 = statistics.median(x["cpu"] + x["broker_cpu"] for x in v) / n * 1000
        return (f"| {key} | {variants[key][0]} | {statistics.median(rates):,.0f} | {min(rates):,.0f} | "
                f"{max(rates):,.0f} | {statistics.median(x['mbps'] for x in v):.1f} | {cpu_per_1000:.3f} | "
                f"{cpu_b_per_1000:.3f} | {max(x['rss_mb'] for x in v):.0f} |")

    cpu_c = statistics.median(x["cpu"] for x in results["C"]) / n * 1000
    ratios = (f"ratios: B/A={med['B'] / med['A']:.2f} C/A={med['C'] / med['A']:.2f} "
              f"C/B={med['C'] / med['B']:.2f} D/C={med['D'] / med['C']:.2f} "
              f"cpu_s_per_1000(C)={cpu_c:.3f} cpu_s_per_1000_bbc(C)={cpu_bbc}")
    # Resident memory by quarter of the fed run (samples after the feed started):
    # flat means the later quarters do not keep climbing.
    rss = [kb / 1024 for t, kb in rss_samples if kb and t >= start]
    quarters = [rss[i * len(rss) // 4:(i + 1) * len(rss) // 4] for i in range(4)] if len(rss) >= 4 else []
    table = [
        f"# wirefeed end-to-end benchmark",
        "",
        f"Corpus: {name} ({n} articles, {total_bytes / 1e6:.1f} MB, mean {total_bytes / n:.0f} bytes); "
        f"{partitions} partitions on one embedded broker; {args.rounds} interleaved rounds; "
        f"{os.cpu_count()} cores.",
        "",
        "| run | what | records/s (median) | min | max | MB/s | CPU-s per 1000 (process) | CPU-s per 1000 (+broker) | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|",
        row("A"), row("B"), row("C"), row("D"),
        "",
        (f"C over BBC News alone ({bbc_name}, mean "
         f"{sum(len(l.encode()) for l in bbc_lines) / len(bbc_lines):.0f} bytes), {len(bbc_cpu)} rounds: "
         f"{cpu_bbc} CPU-s per 1000 articles (median; rounds "
         + ", ".join(f"{c:.3f}" for c in bbc_cpu) + ").") if bbc_cpu else
        "C over BBC News alone: n/a (../shared/data not found).",
        "",
        f"Latency of C at half its slowest round's rate ({rate:,.0f} records/s, {len(latencies)} records): "
        f"p50 {percentile(latencies, 50) if latencies else float('nan')} ms, "
        f"p99 {percentile(latencies, 99) if latencies else float('nan')} ms (input timestamp to output timestamp).",
        ("Resident memory of C while fed, median by quarter of the run: "
         + ", ".join(f"{statistics.median(q):.1f} MB" for q in quarters)
         + f" (max {max(rss):.1f} MB, {len(rss)} samples).") if quarters else "Resident memory: too few samples.",
        "",
        ratios,
    ]
    text = "\n".join(table) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print()
    print(text, end="")


if __name__ == "__main__":
    main()
