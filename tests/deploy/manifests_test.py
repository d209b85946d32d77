#!/usr/bin/env python3
"""Every Kubernetes overlay renders, validates against its API schemas, and is coherent.

usage: manifests_test.py WIREFEED_BINARY REPO_DIR

For each overlay (dev, prod) and each environment's backfill:
  * `kubectl kustomize` renders it;
  * every object validates against its API schema (tests/deploy/schema-check:
    npm's kubernetes-models, @kubernetes-models/prometheus-operator and
    @kubernetes-models/keda), and a deliberately broken Deployment does not;
  * the rendered config.yaml passes `wirefeed run --check` with the container's
    environment (Secret values stand in as placeholders);
  * the Deployment has probes on /healthz and /readyz, a grace period above the
    config's shutdown deadline, a non-root read-only root filesystem with /tmp
    writable, the SASL password from a Secret, and resources;
  * the Service, PodMonitor and PodDisruptionBudget select the worker's pods,
    by a port that exists;
  * KEDA scales on the group, topic and brokers of config.yaml, with
    maxReplicaCount at most the input topic's partition count;
  * the PrometheusRule holds exactly the groups of deploy/prometheus/wirefeed.rules.yaml.
Prints "N passed, N failed"; exits 1 on any failure.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from checks import Checks  # noqa: E402

binary, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
schema_check = os.path.join(repo, "tests/deploy/schema-check")
check = Checks()


def render(path):
    out = subprocess.run(["kubectl", "kustomize", os.path.join(repo, path)], capture_output=True,
                         text=True)
    check(out.returncode == 0, f"kubectl kustomize {path}: {out.stderr}")
    return [d for d in yaml.safe_load_all(out.stdout) if d] if out.returncode == 0 else []


def validate_schemas(objects):
    out = subprocess.run(["node", os.path.join(schema_check, "validate.mjs")],
                         input=json.dumps(objects), capture_output=True, text=True,
                         cwd=schema_check)
    results = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    if len(results) != len(objects):
        check(False, f"the schema check answered for every object: {out.stderr}")
    return out.returncode, results


def seconds(duration):
    m = re.fullmatch(r"(\d+)(ms|s|m)", str(duration))
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(2)]


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def container_env(container):
    """The container's environment as the kubelet would build it; Secrets and
    resource fields become placeholders of the right shape."""
    env = {}
    for e in container.get("env", []):
        if "value" in e:
            env[e["name"]] = e["value"]
        elif "secretKeyRef" in e.get("valueFrom", {}):
            env[e["name"]] = "placeholder-secret"
        elif "resourceFieldRef" in e.get("valueFrom", {}):
            ref = e["valueFrom"]["resourceFieldRef"]
            quantity = str(container["resources"]["limits"][ref["resource"].split(".")[1]])
            cores = float(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)
            env[e["name"]] = str(max(1, int(-(-cores // 1))))  # the kubelet rounds up
    return env


with open(os.path.join(repo, "deploy/prometheus/wirefeed.rules.yaml")) as f:
    rule_groups = yaml.safe_load(f)["groups"]

# The schema check must be able to fail.
broken = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "broken"},
          "spec": {"replicas": "three", "selector": {}, "template": {}}}
rc, results = validate_schemas([broken])
check(rc != 0 and results and not results[0]["ok"], "a broken Deployment fails the schema check")

for overlay in ("dev", "prod"):
    objects = render(f"deploy/k8s/overlays/{overlay}")
    backfill = render(f"deploy/k8s/overlays/{overlay}/backfill")
    rc, results = validate_schemas(objects + backfill)
    for r in results:
        check(r["ok"], f"{overlay}: {r['kind']}/{r['name']} validates: {r['error']}")
    check(rc == 0, f"{overlay}: the schema check passes")

    by_kind = {}
    for o in objects:
        by_kind.setdefault(o["kind"], []).append(o)
    kinds = set(by_kind)
    for kind in ("Deployment", "ConfigMap", "Service", "PodMonitor", "PodDisruptionBudget",
                 "ScaledObject", "PrometheusRule", "ServiceAccount"):
        check(kind in kinds, f"{overlay}: has a {kind}")
    if "Deployment" not in kinds or "ConfigMap" not in kinds:
        continue
    namespaces = {o["metadata"].get("namespace") for o in objects + backfill}
    check(len(namespaces) == 1 and None not in namespaces,
          f"{overlay}: one namespace for everything: {namespaces}")

    deployment = by_kind["Deployment"][0]
    pod = deployment["spec"]["template"]
    spec = pod["spec"]
    container = spec["containers"][0]
    config_maps = {c["metadata"]["name"]: c for c in by_kind["ConfigMap"]}
    volume = next(v for v in spec["volumes"] if "configMap" in v)
    check(volume["configMap"]["name"] in config_maps, f"{overlay}: the config volume resolves")
    config_text = config_maps[volume["configMap"]["name"]]["data"]["config.yaml"]
    config = yaml.safe_load(config_text)

    # The config passes the worker's own check, with the container's environment.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "config.yaml")
        with open(path, "w") as f:
            f.write(config_text)
        env = {k: v for k, v in os.environ.items() if not k.startswith("WIREFEED_")}
        env.update(container_env(container))
        out = subprocess.run([binary] + [a.replace("/etc/wirefeed/config.yaml", path)
                                         for a in container["args"]] + ["--check"],
                             capture_output=True, text=True, env=env)
        check(out.returncode == 0, f"{overlay}: config passes run --check: {out.stderr}")
        check("placeholder-secret" not in out.stdout + out.stderr,
              f"{overlay}: --check does not print the secret")

    # Probes, shutdown, security.
    probes = {p: container.get(p, {}).get("httpGet", {}).get("path")
              for p in ("livenessProbe", "readinessProbe")}
    check(probes == {"livenessProbe": "/healthz", "readinessProbe": "/readyz"},
          f"{overlay}: probes on /healthz and /readyz: {probes}")
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    listen_port = int(str(config["metrics"]["listen"]).rsplit(":", 1)[1])
    check(port_names.get("metrics") == listen_port,
          f"{overlay}: the metrics port is metrics.listen's ({listen_port})")
    deadline = seconds(config.get("shutdown", {}).get("deadline", "30s"))
    grace = spec.get("terminationGracePeriodSeconds", 30)
    check(grace > deadline, f"{overlay}: grace period {grace}s > shutdown deadline {deadline}s")
    check(spec["securityContext"].get("runAsNonRoot") is True, f"{overlay}: runAsNonRoot")
    check(container["securityContext"].get("readOnlyRootFilesystem") is True,
          f"{overlay}: read-only root filesystem")
    check(container["securityContext"].get("allowPrivilegeEscalation") is False,
          f"{overlay}: no privilege escalation")
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    tmp_volume = next((v for v in spec["volumes"] if v["name"] == mounts.get("/tmp")), {})
    check("emptyDir" in tmp_volume, f"{overlay}: /tmp is a writable emptyDir")
    secret_env = [e for e in container.get("env", [])
                  if "secretKeyRef" in e.get("valueFrom", {})]
    check(any(e["name"] == "WIREFEED_KAFKA_COMMON_SASL_PASSWORD" for e in secret_env),
          f"{overlay}: the SASL password comes from a Secret")
    check("sasl.password" not in config.get("kafka", {}).get("common", {}),
          f"{overlay}: no password in the ConfigMap")
    for kind in ("requests", "limits"):
        check({"cpu", "memory"} <= set(container.get("resources", {}).get(kind, {})),
              f"{overlay}: resource {kind} for cpu and memory")

    pod_labels = pod["metadata"]["labels"]
    service = by_kind["Service"][0]
    check(matches(service["spec"]["selector"], pod_labels), f"{overlay}: the Service selects pods")
    check(all(p["targetPort"] in port_names for p in service["spec"]["ports"]),
          f"{overlay}: the Service targets a named container port")
    monitor = by_kind["PodMonitor"][0]
    check(matches(monitor["spec"]["selector"]["matchLabels"], pod_labels),
          f"{overlay}: the PodMonitor selects the worker pods")
    check(all(e["port"] in port_names for e in monitor["spec"]["podMetricsEndpoints"]),
          f"{overlay}: the PodMonitor scrapes a named port")
    for job in (o for o in backfill if o["kind"] == "Job"):
        check(matches(monitor["spec"]["selector"]["matchLabels"],
                      job["spec"]["template"]["metadata"]["labels"]),
              f"{overlay}: the PodMonitor also scrapes backfill pods (replay progress)")
    pdb = by_kind["PodDisruptionBudget"][0]
    check(matches(pdb["spec"]["selector"]["matchLabels"], pod_labels),
          f"{overlay}: the PodDisruptionBudget selects the worker pods")

    scaled = by_kind["ScaledObject"][0]
    partitions = int(scaled["metadata"]["annotations"]["wirefeed.io/input-partitions"])
    check(scaled["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"],
          f"{overlay}: KEDA scales the Deployment")
    check(1 <= scaled["spec"]["minReplicaCount"] <= scaled["spec"]["maxReplicaCount"] <= partitions,
          f"{overlay}: min <= max replicas <= {partitions} partitions")
    trigger = scaled["spec"]["triggers"][0]
    kafka = config["kafka"]
    check(trigger["type"] == "kafka", f"{overlay}: a kafka trigger")
    check(trigger["metadata"]["consumerGroup"] == kafka["consumer"]["group.id"],
          f"{overlay}: KEDA watches the worker's consumer group")
    check(trigger["metadata"]["topic"] == config["topics"]["input"],
          f"{overlay}: KEDA watches the input topic")
    check(trigger["metadata"]["bootstrapServers"] == kafka["common"]["bootstrap.servers"],
          f"{overlay}: KEDA talks to the same brokers")
    uses_sasl = "sasl.mechanism" in kafka["common"]
    auth = trigger.get("authenticationRef", {}).get("name")
    check(uses_sasl == (auth is not None), f"{overlay}: KEDA authenticates iff the worker does")
    if auth:
        check(any(o["kind"] == "TriggerAuthentication" and o["metadata"]["name"] == auth
                  for o in objects), f"{overlay}: the TriggerAuthentication exists")
        # KEDA spells SCRAM-SHA-512 as scram_sha512, PLAIN as plaintext.
        mechanism = {"plain": "plaintext"}.get(kafka["common"]["sasl.mechanism"].lower(),
                                                kafka["common"]["sasl.mechanism"].lower().replace("-sha-", "_sha"))
        check(trigger["metadata"].get("sasl") == mechanism,
              f"{overlay}: KEDA uses the worker's SASL mechanism")

    rule = by_kind["PrometheusRule"][0]
    check(rule["spec"]["groups"] == rule_groups,
          f"{overlay}: the PrometheusRule equals deploy/prometheus/wirefeed.rules.yaml")

check.finish()
