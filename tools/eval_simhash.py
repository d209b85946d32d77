#!/usr/bin/env python3
"""Hamming distances between simhashes of BBC articles (../shared/data/bbc).

usage: tools/eval_simhash.py [WIREFEED_BINARY]

Runs `wirefeed enrich` over ../shared/data/bbc/train.jsonl and reports the
distance distribution for (a) pairs of articles with the same body, (b) all
pairs of articles with different bodies, and the closest different-body pairs
(candidate near-duplicates). Needs ../shared/data; prints why when it is missing.
"""
import collections
import json
import os
import subprocess
import sys

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "build/worker/app/wirefeed")
corpus = os.path.join(repo, "../shared/data/bbc/train.jsonl")
if not os.path.exists(corpus):
    sys.exit(f"eval_simhash: {corpus} not found (the BBC set lives in ../shared/data)")

out = subprocess.run([binary, "enrich", "--input", corpus, "--set",
                      "pipeline.stages=validate,normalize,segment,simhash"],
                     capture_output=True, text=True, check=True).stdout
records = [json.loads(line) for line in out.splitlines() if line]
hashes = [int(r["simhash"]["simhash64"], 16) for r in records]
bodies = [r["text"] for r in records]
by_body = collections.defaultdict(list)
for i, b in enumerate(bodies):
    by_body[b].append(i)

same = [bin(hashes[i] ^ hashes[j]).count("1")
        for group in by_body.values() for a, i in enumerate(group) for j in group[a + 1:]]
hist = collections.Counter()
closest = []
n = len(hashes)
for i in range(n):
    for j in range(i + 1, n):
        if bodies[i] == bodies[j]:
            continue
        d = bin(hashes[i] ^ hashes[j]).count("1")
        hist[d] += 1
        if d <= 8:
            closest.append((d, records[i]["extra"].get("category", "") + "/" + str(records[i]["id"]),
                            records[j]["extra"].get("category", "") + "/" + str(records[j]["id"])))
pairs = sum(hist.values())
mean = sum(d * c for d, c in hist.items()) / pairs


def percentile(p):
    seen = 0
    for d in sorted(hist):
        seen += hist[d]
        if seen >= p * pairs:
            return d


print(f"articles {n}, distinct bodies {len(by_body)}")
print(f"same-body pairs: {len(same)}, distance max {max(same) if same else '-'}, "
      f"all zero: {all(d == 0 for d in same)}")
print(f"different-body pairs: {pairs}, mean {mean:.2f}, min {min(hist)}, "
      f"p0.1% {percentile(0.001)}, p1% {percentile(0.01)}, median {percentile(0.5)}, max {max(hist)}")
print(f"different-body pairs at distance <= 3: {sum(c for d, c in hist.items() if d <= 3)}; "
      f"<= 8: {len(closest)}")
for d, a, b in sorted(closest)[:10]:
    print(f"  {d:2d}  {a}  {b}")
