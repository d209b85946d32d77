#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from committed fixtures: every sample
article (one file each), the seed article as plain text, and the test news page
wrapped as a raw record's `html`. Usage: make_seeds.py OUT_DIR"""
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
seeds = []
with open(os.path.join(root, "data/samples/articles.jsonl"), encoding="utf-8") as f:
    seeds += [line.rstrip("\n") for line in f if line.strip()]
with open(os.path.join(root, "data/samples/seed.txt"), encoding="utf-8") as f:
    seeds.append(f.read())
with open(os.path.join(root, "tests/fixtures/html/seed_page.html"), encoding="utf-8") as f:
    page = f.read()
seeds.append(json.dumps({"id": "page-1", "url": "https://example.com/a", "html": page}))
seeds.append(json.dumps({"id": "page-2", "html": page[:4000]}))
for i, s in enumerate(seeds):
    with open(os.path.join(out, f"seed-{i:03d}"), "w", encoding="utf-8") as f:
        f.write(s)
print(f"make_seeds: {len(seeds)} seeds in {out}")
