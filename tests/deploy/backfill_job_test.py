#!/usr/bin/env python3
"""The backfill Job renders with kustomize and its command line really runs.

usage: backfill_job_test.py WIREFEED_BINARY REPO_DIR
Renders deploy/k8s/overlays/prod/backfill (the Job with the prod config) with `kubectl kustomize`, checks the Job's shape
(restartPolicy Never, a backoff limit, the replay name as a parameter), then
substitutes the ConfigMap's parameters into the container args exactly as
Kubernetes does ($(VAR)) and runs them with --dry-run against `wirefeed broker`,
using the rendered config.yaml. Prints "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import Checks  # noqa: E402

binary, repo = sys.argv[1], sys.argv[2]
check = Checks()


rendered = subprocess.run(["kubectl", "kustomize", os.path.join(repo, "deploy/k8s/overlays/prod/backfill")],
                          check=True, capture_output=True, text=True).stdout
docs = [d for d in yaml.safe_load_all(rendered) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
job = by_kind["Job"][0]
spec = job["spec"]
pod = spec["template"]["spec"]
check(pod["restartPolicy"] == "Never", "restartPolicy Never")
check(isinstance(spec.get("backoffLimit"), int) and spec["backoffLimit"] > 0, "a backoff limit")
container = pod["containers"][0]
args = container["args"]
check(args[0] == "replay", "the container runs `wirefeed replay`")
check("$(REPLAY_NAME)" in args, "the replay name is a parameter")
check(pod["securityContext"]["runAsNonRoot"] is True, "runs as non-root")
check(container["securityContext"]["readOnlyRootFilesystem"] is True, "read-only root filesystem")

params_name = container["envFrom"][0]["configMapRef"]["name"]
config_name = pod["volumes"][0]["configMap"]["name"]
configmaps = {c["metadata"]["name"]: c for c in by_kind["ConfigMap"]}
check(params_name in configmaps, "the parameters ConfigMap reference resolves")
check(config_name in configmaps, "the config ConfigMap reference resolves")
params = configmaps[params_name]["data"]
check(params.get("REPLAY_NAME") == "backfill", "REPLAY_NAME has a default")

# $(VAR) expansion as the kubelet does it.
expanded = [re.sub(r"\$\((\w+)\)", lambda m: params.get(m.group(1), m.group(0)), a) for a in args]
check(not any("$(" in a for a in expanded), f"every $(VAR) expands: {expanded}")

with tempfile.TemporaryDirectory() as tmp:
    config_path = os.path.join(tmp, "config.yaml")
    with open(config_path, "w") as f:
        f.write(configmaps[config_name]["data"]["config.yaml"])
    check_run = subprocess.run([binary, "run", "--config", config_path, "--check"],
                               capture_output=True, text=True)
    check(check_run.returncode == 0, f"rendered config passes run --check: {check_run.stderr}")

    broker = subprocess.Popen([binary, "broker", "--partitions", "2", "--topics",
                               "news.raw,news.enriched,news.dlq"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        bootstrap = broker.stdout.readline().strip()
        # The Job's args, pointed at the embedded broker (plaintext), with --dry-run.
        cmd = [binary] + [a.replace("/etc/wirefeed/config.yaml", config_path) for a in expanded]
        cmd += ["--dry-run", "--set", f"kafka.common.bootstrap.servers={bootstrap}",
                "--set", "kafka.common.security.protocol=PLAINTEXT"]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        check(run.returncode == 0, f"the Job's command line runs: {run.stderr}")
        check("replay 'backfill' of topic 'news.raw'" in run.stdout, f"plan printed: {run.stdout}")
    finally:
        broker.stdin.close()
        broker.wait(timeout=10)

check.finish()
