#!/usr/bin/env python3
"""Instructions per article, per stage: a cost figure that does not depend on the
machine's load.

usage: instructions.py WIREFEED_BINARY [--every N] [--out FILE] [--set key=value ...]

Runs `wirefeed enrich --threads 1` under `valgrind --tool=callgrind` over a fixed
sample of BBC News (every Nth article of ../shared/data/bbc/train.jsonl, default
every 6th: about 300 articles of 2.35 KB on average). callgrind counts
instructions, not seconds: the same binary, input and config give the same
figures on a busy machine or an idle one. Without ../shared/data the committed
samples (data/samples/articles.jsonl) stand in, and the report says so.

It runs the sample once and twice in one process: the difference is the steady
cost of the sample, free of start-up, lazily loaded resources and first-touch
page faults. Per stage, the difference of the inclusive instruction counts of
its process() (and of the pipeline's run() for the whole) is divided by the
number of articles. Prints the table and writes it to
bench/results/instructions.md (or --out).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, ".."))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))


def sample(every):
    bbc = os.path.join(SHARED, "bbc", "train.jsonl")
    if os.path.exists(bbc):
        with open(bbc, encoding="utf-8") as f:
            lines = [l for l in f if l.strip()]
        picked = lines[::every]
        out = []
        for line in picked:
            rec = json.loads(line)
            out.append(json.dumps({"id": rec["id"], "title": rec["title"], "body": rec["body"]},
                                  ensure_ascii=False))
        return f"BBC News train.jsonl, every {every}th article", out
    with open(os.path.join(REPO, "data", "samples", "articles.jsonl"), encoding="utf-8") as f:
        return "data/samples/articles.jsonl (../shared/data not found)", [l.rstrip("\n") for l in f
                                                                          if l.strip()]


def callgrind(binary, input_path, sets, workdir, tag):
    out_file = os.path.join(workdir, f"callgrind.{tag}.out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}",
           binary, "enrich", "--input", input_path, "--output", "/dev/null", "--threads", "1"]
    for s in sets:
        cmd += ["--set", s]
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"instructions.py: callgrind run failed:\n{r.stderr[-2000:]}")
    annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100",
                                out_file], capture_output=True, text=True, check=True).stdout
    total = None
    per_function = {}
    for line in annotated.splitlines():
        m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(?:\*\s+)?(.*)$", line)
        if not m:
            continue
        count = int(m.group(1).replace(",", ""))
        name = m.group(2)
        if "PROGRAM TOTALS" in name:
            total = count
            continue
        per_function[name] = max(count, per_function.get(name, 0))
    return total, per_function


STAGE_RE = re.compile(r"wirefeed::stages::(\w+)Stage::process\(")
RUN_RE = re.compile(r"wirefeed::core::Pipeline::run\(")


def stage_costs(per_function):
    stages, run = {}, 0
    for name, count in per_function.items():
        m = STAGE_RE.search(name)
        if m:
            # callgrind_annotate lists a function once per way of naming it
            # (file:function, and with the object file): the same cost twice.
            stage = m.group(1).lower()
            stages[stage] = max(stages.get(stage, 0), count)
        elif RUN_RE.search(name):
            run = max(run, count)
    return stages, run


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--every", type=int, default=6)
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "instructions.md"))
    ap.add_argument("--set", action="append", default=[], dest="sets")
    args = ap.parse_args()
    if not shutil.which("valgrind") or not shutil.which("callgrind_annotate"):
        sys.exit("instructions.py: needs valgrind (Debian package valgrind)")
    name, lines = sample(args.every)
    with tempfile.TemporaryDirectory() as tmp:
        once_path = os.path.join(tmp, "once.jsonl")
        with open(once_path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        twice_path = os.path.join(tmp, "twice.jsonl")
        with open(twice_path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines + lines) + "\n")
        once_total, once_funcs = callgrind(args.binary, once_path, args.sets, tmp, "once")
        twice_total, twice_funcs = callgrind(args.binary, twice_path, args.sets, tmp, "twice")
    n = len(lines)
    mean_bytes = sum(len(l.encode()) for l in lines) / n
    once_stages, once_run = stage_costs(once_funcs)
    twice_stages, twice_run = stage_costs(twice_funcs)
    per_article = (twice_total - once_total) / n
    run = twice_run - once_run
    stages = {k: twice_stages[k] - once_stages.get(k, 0) for k in twice_stages}
    startup = once_total - per_article * n
    rows = sorted(stages.items(), key=lambda kv: -kv[1])
    out = [f"# Instructions per article (callgrind)", "",
           f"Sample: {name}: {n} articles, {mean_bytes:.0f} bytes of JSON each on average.",
           f"Settings: {' '.join(args.sets) if args.sets else 'the default pipeline'}.",
           "Steady state: the sample run twice in one process minus the sample run once.", "",
           f"- whole run: {per_article / 1e6:.3f} M instructions per article",
           f"- Pipeline::run (every stage, decode to encode): {run / n / 1e6:.3f} M per article",
           f"- start-up and first-use loading: {startup / 1e6:.1f} M", "",
           "| stage | M instructions / article | share of Pipeline::run |",
           "|---|---:|---:|"]
    for stage, count in rows:
        out.append(f"| {stage} | {count / n / 1e6:.4f} | {100 * count / run:.1f}% |" if run else
                   f"| {stage} | {count / n / 1e6:.4f} | |")
    text = "\n".join(out) + "\n"
    print(text)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print(f"instructions per article: {per_article:.0f} (run {run / n:.0f})")


if __name__ == "__main__":
    main()
