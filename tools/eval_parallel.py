#!/usr/bin/env python3
"""Dates and amounts in Spanish, Italian and Dutch against their English originals.

usage: tools/eval_parallel.py [--binary WIREFEED] [--split dev|check|all] [--show N]

MEANTIME (../shared/data/meantime/articles.jsonl) has 120 English Wikinews
articles, each professionally translated into es, it and nl with the same
publication date. The built `wirefeed enrich` runs on every article; per
document, the resolved date values (dates.mentions[].value, non-null) and the
amounts (value, unit) of each translation are matched as multisets against its
English original, which is the reference. Prints, per language and stage:
recall (English values also found in the translation) and precision
(translation values also in the English).

Split: the 120 English articles in file order (topic, then document number);
those with an even index are `dev` (tune on these), odd ones are `check`
(report these). Needs ../shared/data; says why when it is missing.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=os.path.join(repo, "build-dev/worker/app/wirefeed"))
parser.add_argument("--split", choices=["dev", "check", "all"], default="dev")
parser.add_argument("--show", type=int, default=0, help="print N differing documents per language")
args = parser.parse_args()

corpus = os.path.join(repo, "../shared/data/meantime/articles.jsonl")
if not os.path.exists(corpus):
    sys.exit(f"eval_parallel: {corpus} not found (MEANTIME lives in ../shared/data)")

rows = [json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()]
english = [r for r in rows if r["language"] == "en"]
index_of = {r["id"]: i for i, r in enumerate(english)}


def in_split(english_id):
    i = index_of[english_id]
    return args.split == "all" or (i % 2 == 0) == (args.split == "dev")


wanted = [r for r in rows if in_split(r["translation_of"] or r["id"])]
raw = "".join(
    json.dumps({k: r[k] for k in ("id", "title", "body", "published_at", "language")},
               ensure_ascii=False) + "\n" for r in wanted)
run = subprocess.run(
    [args.binary, "enrich", "--set",
     "pipeline.stages=validate,normalize,language,segment,dates,amounts"],
    input=raw, capture_output=True, text=True)
if run.returncode != 0:
    sys.exit(f"eval_parallel: wirefeed enrich failed: {run.stderr[-2000:]}")
enriched = {}
for line in run.stdout.splitlines():
    record = json.loads(line)
    enriched[record["id"]] = record


def date_values(record):
    dates = record.get("dates") or {}
    return collections.Counter(m["value"] for m in dates.get("mentions", []) if m["value"])


def amount_values(record):
    return collections.Counter((float(f"{a['value']:.6g}"), a["unit"] or "")
                               for a in record.get("amounts") or [])


STAGES = {"dates": date_values, "amounts": amount_values}
totals = collections.defaultdict(lambda: [0, 0, 0])  # (lang, stage) -> matched, english, translated
shown = collections.Counter()
for r in wanted:
    if r["language"] == "en":
        continue
    lang = r["language"]
    for stage, values in STAGES.items():
        mine = values(enriched[r["id"]])
        reference = values(enriched[r["translation_of"]])
        matched = sum((mine & reference).values())
        t = totals[(lang, stage)]
        t[0] += matched
        t[1] += sum(reference.values())
        t[2] += sum(mine.values())
        if args.show and shown[(lang, stage)] < args.show and mine != reference:
            shown[(lang, stage)] += 1
            print(f"{r['id']} {stage}: missing {dict(reference - mine)} extra {dict(mine - reference)}")

documents = sum(1 for r in wanted if r["language"] == "en")
print(f"split {args.split}: {documents} English documents and their translations")
print(f"{'lang':5} {'stage':8} {'recall':>7} {'precision':>9} {'english':>8} {'translated':>10}")
for (lang, stage), (matched, reference, mine) in sorted(totals.items()):
    recall = matched / reference if reference else 1.0
    precision = matched / mine if mine else 1.0
    print(f"{lang:5} {stage:8} {recall:7.3f} {precision:9.3f} {reference:8d} {mine:10d}")
