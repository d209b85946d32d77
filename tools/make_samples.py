#!/usr/bin/env python3
"""Builds data/samples/ from ../shared/data: the demo's embedded sample articles.

Only CC BY text goes in (Wikinews via wikinews-en and MEANTIME; see data/NOTICE).
Deterministic: the same input files give the same output bytes.

usage: tools/make_samples.py [--shared DIR] [--out DIR]
"""
import argparse
import json
import os
import shutil
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "samples"))
    args = ap.parse_args()
    if not os.path.isdir(args.shared):
        sys.exit(f"make_samples: {args.shared} not found (it needs ../shared/data)")
    os.makedirs(args.out, exist_ok=True)

    records = []
    with open(os.path.join(args.shared, "wikinews-en", "articles.jsonl"), encoding="utf-8") as f:
        wikinews = [json.loads(line) for line in f if line.strip()]
    # Short and medium articles, spread over the two years.
    picked = [a for a in wikinews if len(a["body"]) <= 3500][::4][:36]
    for a in picked:
        rec = {"id": a["id"], "url": a["url"], "source": "Wikinews", "title": a["title"],
               "published_at": a["published_at"], "language": "en", "body": a["body"]}
        if a.get("dateline"):
            rec["dateline"] = a["dateline"]  # an unknown field: shows `extra` passthrough
        records.append(rec)

    with open(os.path.join(args.shared, "meantime", "articles.jsonl"), encoding="utf-8") as f:
        meantime = [json.loads(line) for line in f if line.strip()]
    for lang in ("en", "es", "it", "nl"):
        docs = [a for a in meantime if a["language"] == lang][::15][:6]
        for a in docs:
            records.append({"id": a["id"], "source": "Wikinews (MEANTIME)", "title": a["title"],
                            "published_at": a["published_at"], "language": lang,
                            "body": a["body"], "topic": a["topic"]})

    with open(os.path.join(args.out, "articles.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    shutil.copyfile(os.path.join(args.shared, "seed", "000_c6a396029a71102d.txt"),
                    os.path.join(args.out, "seed.txt"))
    print(f"make_samples: {len(records)} articles + seed.txt -> {args.out}")


if __name__ == "__main__":
    main()
