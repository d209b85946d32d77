#!/usr/bin/env python3
"""Every panel of the Grafana dashboard returns data from a real Prometheus.

usage: dashboard_test.py WIREFEED_BINARY REPO_DIR

Starts `wirefeed broker`, feeds it articles (and malformed records, for the DLQ)
with kcat for the whole test, and runs four workers as processes:
  * wirefeed-0: `wirefeed run`, the live worker;
  * wirefeed-backfill-0: `wirefeed replay` of the preloaded records at a limited
    rate, so its progress is scraped while it runs;
  * wirefeed-1: `wirefeed run` against a port where no broker listens, whose
    librdkafka errors feed the Kafka errors panel;
  * wirefeed-eos-0: `wirefeed run` with processing.guarantee exactly_once in a
    group of its own, whose transactions feed the exactly-once panels.
Debian's Prometheus scrapes all four every second, with the namespace and pod
labels prometheus-operator's PodMonitor adds. Then every templating variable's
label_values() query and every panel query, with the variables substituted as
Grafana does, goes to Prometheus's HTTP API as a range query over the test's
time window; each must return at least one series with a numeric value.
Prints one line per query and "N passed, N failed"; exits 1 on any failure.
"""
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import Checks  # noqa: E402

binary, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
NAMESPACE = "wirefeed-e2e"
check = Checks()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.load(r)


def promql_regex(vals):
    """Values as one alternation for a PromQL =~ matcher (inside a "..." string,
    so a regex backslash is written twice)."""
    special = set(".+*?()|[]{}^$\\")
    return "|".join("".join("\\\\" + c if c in special else c for c in v) for v in vals)


def wait_for(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(0.5)
    check(False, f"timed out waiting for {what}")
    return False


tmp = tempfile.mkdtemp(prefix="wirefeed-dashboard-")
children = []


def spawn(name, cmd, **kw):
    log = open(os.path.join(tmp, name + ".log"), "w")
    p = subprocess.Popen(cmd, stdout=kw.pop("stdout", log), stderr=log, **kw)
    children.append(p)
    return p


def cleanup():
    for p in reversed(children):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in reversed(children):
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()


try:
    with open(os.path.join(repo, "deploy/grafana/wirefeed.json")) as f:
        dashboard = json.load(f)

    broker = spawn("broker", [binary, "broker", "--partitions", "3", "--topics",
                              "news.raw,news.enriched,news.dlq"],
                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    bootstrap = broker.stdout.readline().strip()
    check(bool(bootstrap), "wirefeed broker prints its bootstrap address")

    # Records: the committed samples plus two that go to the DLQ.
    batch = os.path.join(tmp, "batch.jsonl")
    with open(os.path.join(repo, "data/samples/articles.jsonl")) as src, open(batch, "w") as out:
        out.write(src.read())
        out.write('{"id": "broken", "body": \n')
        out.write('{"id": "no-text", "title": "no body"}\n')

    def feed():
        return subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", "news.raw", "-l", batch],
                              capture_output=True, timeout=30).returncode == 0

    for _ in range(10):  # 620 records before the replay plans its range
        check(feed(), "kcat produces a batch")

    config = os.path.join(tmp, "config.yaml")
    with open(config, "w") as f:
        f.write("kafka:\n  common:\n    bootstrap.servers: %s\n  consumer:\n"
                "    group.id: wirefeed-e2e\n    statistics.interval.ms: 1000\n"
                "topics:\n  input: news.raw\n  output: news.enriched\n  dlq: news.dlq\n"
                "pipeline:\n  threads: 1\nlog:\n  level: warn\n" % bootstrap)
    ports = {"wirefeed-0": free_port(), "wirefeed-backfill-0": free_port(),
             "wirefeed-1": free_port(), "wirefeed-eos-0": free_port()}

    def listen(pod):
        return ["--set", f"metrics.listen=127.0.0.1:{ports[pod]}"]

    spawn("wirefeed-0", [binary, "run", "--config", config] + listen("wirefeed-0"))
    spawn("wirefeed-backfill-0",
          [binary, "replay", "--config", config, "--name", "e2e", "--from", "beginning",
           "--max-rate", "15"] + listen("wirefeed-backfill-0"))
    spawn("wirefeed-1", [binary, "run", "--config", config, "--set",
                         f"kafka.common.bootstrap.servers=127.0.0.1:{free_port()}"]
          + listen("wirefeed-1"))
    spawn("wirefeed-eos-0", [binary, "run", "--config", config,
                             "--set", "processing.guarantee=exactly_once",
                             "--set", "kafka.consumer.group.id=wirefeed-e2e-eos"]
          + listen("wirefeed-eos-0"))

    prom_port = free_port()
    targets = "\n".join(
        f"      - targets: ['127.0.0.1:{port}']\n"
        f"        labels: {{namespace: {NAMESPACE}, pod: {pod}}}" for pod, port in ports.items())
    prom_config = os.path.join(tmp, "prometheus.yml")
    with open(prom_config, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: wirefeed\n    static_configs:\n" + targets + "\n")
    spawn("prometheus", ["prometheus", f"--config.file={prom_config}",
                         f"--storage.tsdb.path={os.path.join(tmp, 'tsdb')}",
                         f"--web.listen-address=127.0.0.1:{prom_port}", "--log.level=warn"])
    api = f"http://127.0.0.1:{prom_port}/api/v1"
    start = time.time()

    def all_targets_up():
        if any(p.poll() is not None for p in children):
            raise SystemExit("a child process exited early")
        active = http_json(f"{api}/targets")["data"]["activeTargets"]
        return len(active) == len(ports) and all(t["health"] == "up" for t in active)

    wait_for(all_targets_up, 60, "Prometheus to scrape all four workers")
    # Keep records flowing for ~25 s so that rates, histograms and lag move.
    until = time.time() + 25
    while time.time() < until:
        feed()
        time.sleep(1)
    end = time.time()

    def query_range(expr):
        params = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": 1})
        return http_json(f"{api}/query_range?{params}", timeout=30)

    def has_number(result):
        return any(not math.isnan(float(v)) for series in result for _, v in series["values"])

    # Variables, as Grafana resolves label_values(metric{...}, label).
    values = {}
    for var in dashboard["templating"]["list"]:
        if var["type"] != "query":
            continue
        definition = var["query"]["query"] if isinstance(var["query"], dict) else var["query"]
        m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", definition)
        check(m is not None, f"variable {var['name']} is a label_values query")
        if not m:
            continue
        selector = m.group(1)
        for name, vals in values.items():
            selector = selector.replace("$" + name, promql_regex(vals))
        params = urllib.parse.urlencode({"match[]": selector, "start": start, "end": end})
        got = http_json(f"{api}/label/{m.group(2)}/values?{params}")["data"]
        print(f"variable {var['name']}: {got}")
        check(bool(got), f"variable {var['name']} has values")
        values[var["name"]] = got
    check(values.get("namespace") == [NAMESPACE], f"the namespace variable finds {NAMESPACE}")
    check(set(values.get("pod", [])) == set(ports), f"the pod variable finds every pod")

    def substitute(expr):
        for name, vals in values.items():
            expr = expr.replace("$" + name, "(" + promql_regex(vals) + ")")
        # Grafana's $__rate_interval is at least four scrape intervals.
        return expr.replace("$__rate_interval", "5s").replace("$__interval", "2s")

    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    check(len(panels) >= 15, f"the dashboard has its panels ({len(panels)})")
    for panel in panels:
        for target in panel["targets"]:
            expr = substitute(target["expr"])
            check("$" not in expr, f"{panel['title']}: every variable substituted: {expr}")
            try:
                result = query_range(expr)["data"]["result"]
            except Exception as e:  # a PromQL error is a failure of this panel
                result = []
                print(f"{panel['title']}: {e}", file=sys.stderr)
            ok = has_number(result)
            print(f"{'ok  ' if ok else 'FAIL'} {panel['title']} [{target['refId']}]: "
                  f"{len(result)} series")
            check(ok, f"panel '{panel['title']}' query {target['refId']} returns data: {expr}")
finally:
    cleanup()
    if check.failed:
        for name in sorted(os.listdir(tmp)):
            if name.endswith(".log"):
                with open(os.path.join(tmp, name)) as f:
                    tail = f.read()[-1500:]
                print(f"--- {name} (tail)\n{tail}", file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)

check.finish()
