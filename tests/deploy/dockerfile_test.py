#!/usr/bin/env python3
"""The Dockerfile's runtime stage holds what the binary needs, and nothing drifts.

usage: dockerfile_test.py WIREFEED_BINARY REPO_DIR

There is no Docker engine on the build machines, so this proves what can be
proven without one:
  * one source of truth: the build stage runs `make deps`; the runtime stage
    installs tools/packages/debian-runtime.txt and names no package itself; and
    `make deps` (tools/install-deps.sh) installs that same list;
  * every shared library the built binary loads (ldd) belongs to a Debian package
    the runtime stage installs: one of the list, a dependency of one (apt pulls
    it in), or a package of priority "required" (present in debian:12-slim);
  * the runtime stage runs as a non-root user with ENTRYPOINT ["wirefeed"] and
    the default `run --config /etc/wirefeed/config.yaml`, and its user id is the
    one the Kubernetes manifests run as;
  * the binary writes nothing outside /tmp while it runs the demo (strace), so a
    read-only root filesystem works.
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
check = Checks()

# A sanitizer build (make test-asan / test-tsan) is not what the image ships.
if re.search(r"lib(a|t|ub)san", subprocess.run(["ldd", binary], capture_output=True,
                                               text=True).stdout):
    print("skipped: a sanitizer build is not the shipped binary")
    sys.exit(77)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# --- The Dockerfile, as stages of instructions (continuation lines joined). ---
with open(os.path.join(repo, "Dockerfile")) as f:
    text = re.sub(r"\\\n", " ", f.read())
stages = {}
current = None
for line in text.splitlines():
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    word, _, rest = line.partition(" ")
    if word.upper() == "FROM":
        current = rest.split()[-1]
        stages[current] = []
    stages[current].append((word.upper(), rest.strip()))
check(list(stages) == ["build", "runtime"], f"two stages, build then runtime: {list(stages)}")
build, runtime = stages.get("build", []), stages.get("runtime", [])

check(any(w == "RUN" and re.search(r"(^|&&\s*)make deps(\s|$)", r) for w, r in build),
      "the build stage runs `make deps`")
runtime_list = "tools/packages/debian-runtime.txt"
copies = [r for w, r in runtime if w == "COPY" and runtime_list in r]
check(len(copies) == 1, "the runtime stage copies the runtime package list")
installs = [r for w, r in runtime if w == "RUN" and "apt-get install" in r]
check(len(installs) == 1, "the runtime stage has one apt-get install")
for r in installs:
    # Everything after "apt-get install" must be options: the packages come from
    # the list through xargs, none are named here.
    tail = r.split("apt-get install", 1)[1].split("&&")[0].split()
    check(all(t.startswith("-") for t in tail), f"no package named inline: {tail}")
    check("debian-runtime.txt" in r, "the install reads the runtime list")
with open(os.path.join(repo, "tools/install-deps.sh")) as f:
    check("packages/debian-runtime.txt" in f.read(), "make deps installs the runtime list too")

entrypoint = [json.loads(r) for w, r in runtime if w == "ENTRYPOINT"]
cmd = [json.loads(r) for w, r in runtime if w == "CMD"]
check(entrypoint == [["wirefeed"]], f'ENTRYPOINT ["wirefeed"]: {entrypoint}')
check(cmd == [["run", "--config", "/etc/wirefeed/config.yaml"]], f"default command: {cmd}")
users = [r for w, r in runtime if w == "USER"]
uid = users[-1].split(":")[0] if users else "root"
check(uid.isdigit() and int(uid) != 0, f"runs as a numeric non-root user: {users}")
check(any(w == "COPY" and r.split()[0] == "data/" for w, r in runtime), "ships data/")
check(any(w == "COPY" and "--from=build" in r and "/usr/local/bin/wirefeed" in r
          for w, r in runtime), "ships the binary from the build stage")

rendered = run(["kubectl", "kustomize", os.path.join(repo, "deploy/k8s/overlays/prod")],
               check=True).stdout
for doc in yaml.safe_load_all(rendered):
    if doc and doc["kind"] == "Deployment":
        pod_uid = doc["spec"]["template"]["spec"]["securityContext"]["runAsUser"]
        check(str(pod_uid) == uid, f"the Deployment runs as the image's user {uid}: {pod_uid}")

# --- Shared libraries -> Debian packages -> the runtime stage. ---
def installed(fmt):
    out = run(["dpkg-query", "-W", "-f", fmt], check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def names(field):
    # "libc6 (>= 2.34), libssl3 | libssl1.1, foo:any" -> every alternative's name.
    return {alt.strip().split(" ")[0].split(":")[0]
            for dep in field.split(",") for alt in dep.split("|") if alt.strip()}


depends, provides = {}, {}
required = set()
for pkg, priority, dep, pre, prov in installed(
        "${Package}\t${Priority}\t${Depends}\t${Pre-Depends}\t${Provides}\n"):
    depends[pkg] = names(dep) | names(pre)
    for virtual in names(prov):
        provides.setdefault(virtual, set()).add(pkg)
    if priority == "required":
        required.add(pkg)

with open(os.path.join(repo, runtime_list)) as f:
    wanted = {line.split()[0] for line in f if line.strip() and not line.lstrip().startswith("#")}
check(wanted <= set(depends), f"every runtime package is installed here: {wanted - set(depends)}")
present = set()
todo = list(wanted | required)
while todo:
    pkg = todo.pop()
    for real in ({pkg} | provides.get(pkg, set())) & set(depends):
        if real not in present:
            present.add(real)
            todo.extend(depends[real])

ldd = run(["ldd", binary], check=True).stdout
libs = re.findall(r"=>\s+(/\S+)", ldd) + re.findall(r"^\s+(/\S+)\s+\(", ldd, re.M)
check(len(libs) > 5, f"ldd lists the libraries: {ldd}")
for lib in libs:
    candidates = {lib, os.path.realpath(lib)}
    candidates |= {re.sub(r"^/usr/lib/", "/lib/", c) for c in candidates}
    candidates |= {re.sub(r"^/lib/", "/usr/lib/", c) for c in candidates}
    candidates |= {re.sub(r"^/lib64/", "/usr/lib64/", c) for c in candidates}
    owner = None
    for c in sorted(candidates):
        out = run(["dpkg", "-S", c])
        if out.returncode == 0:
            owner = out.stdout.split(":")[0].split(",")[0].strip()
            break
    check(owner is not None, f"{lib} belongs to a Debian package")
    if owner:
        check(owner in present, f"{lib} ({owner}) is installed by the runtime stage")

# --- Nothing written outside /tmp (read-only root filesystem). ---
with tempfile.TemporaryDirectory() as tmp:
    trace = os.path.join(tmp, "trace")
    demo = run(["strace", "-f", "-qq", "-o", trace,
                "-e", "trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,"
                "unlink,unlinkat,truncate,symlink,symlinkat,link,linkat",
                binary, "demo"], cwd=tmp, timeout=120)
    check(demo.returncode == 0, f"wirefeed demo runs under strace: {demo.stderr[-500:]}")
    writes = set()
    with open(trace) as f:
        for line in f:
            m = re.search(r'(\w+)\((?:AT_FDCWD, |\d+, )?"([^"]*)"(.*)', line)
            if not m or "= -1" in line:
                continue
            call, path, rest = m.groups()
            writing = call not in ("open", "openat") or re.search(r"O_WRONLY|O_RDWR|O_CREAT", rest)
            if writing:
                writes.add(os.path.normpath(os.path.join(tmp, path)))
    outside = sorted(p for p in writes
                     if not p.startswith(("/tmp/", "/dev/", "/proc/")) and p != "/tmp")
    check(not outside, f"writes only under /tmp: {outside}")

check.finish()
