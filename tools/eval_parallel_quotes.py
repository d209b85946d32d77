#!/usr/bin/env python3
"""Quotes in Spanish, Italian and Dutch against their English originals.

usage: tools/eval_parallel_quotes.py [--binary WIREFEED] [--split dev|check|all] [--show N]

MEANTIME (../shared/data/meantime/articles.jsonl) has 120 English Wikinews
articles, each professionally translated into es, it and nl. The built
`wirefeed enrich` runs the segment, entities and quotes stages on every
article; English is the reference. Per language it prints, over the articles
whose English has at least one quote:

- found: the share of them where the translation has a quote too;
- same speaker: of those whose English has an attributed quote, the share
  where the translation attributes a quote to the English article's main
  speaker (its most quoted one);
- same (entity): the same, over the articles whose English main speaker is
  an entity name (a wrong English speaker cannot be matched);
- speaker recall / precision: the English quotes' speakers (a multiset per
  article) matched against the translation's.

Speakers are compared through the entity names: a speaker becomes the name of
the article's entity that contains it or that it contains ("Leonard" -> "Joe
Leonard"), then two names match when they share a capitalized word of three
or more letters (accents and case folded), so "Joe Leonard" = "Leonard" and
"Airbus" = "Airbus SAS". Descriptions ("the official") match only themselves,
so a translated description counts as a miss.

Split: the 120 English articles in file order; even index is `dev` (tune on
these), odd is `check` (report these), as tools/eval_parallel.py does.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import unicodedata

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=os.path.join(repo, "build-dev/worker/app/wirefeed"))
parser.add_argument("--split", choices=["dev", "check", "all"], default="dev")
parser.add_argument("--show", type=int, default=0, help="print N differing documents per language")
args = parser.parse_args()

corpus = os.path.join(repo, "../shared/data/meantime/articles.jsonl")
if not os.path.exists(corpus):
    sys.exit(f"eval_parallel_quotes: {corpus} not found (MEANTIME lives in ../shared/data)")

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
     "pipeline.stages=validate,normalize,language,segment,entities,quotes"],
    input=raw, capture_output=True, text=True)
if run.returncode != 0:
    sys.exit(f"eval_parallel_quotes: wirefeed enrich failed: {run.stderr[-2000:]}")
enriched = {}
for line in run.stdout.splitlines():
    record = json.loads(line)
    enriched[record["id"]] = record


def fold(s):
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


def name_words(name):
    return {fold(w) for w in name.replace("-", " ").split() if len(w) >= 3 and w[0].isupper()}


def speakers(record, entity_only=False):
    """The speaker of each quote (entity name where one matches), None if unknown.

    With entity_only, a speaker no entity matches is None too."""
    names = [e["name"] for e in record.get("entities") or [] if e["type"] in ("PER", "ORG")]
    out = []
    for q in record.get("quotes") or []:
        s = q["speaker"]
        if not s:
            out.append(None)
            continue
        key = None if entity_only else s
        for n in names:
            if fold(s) in fold(n) or fold(n) in fold(s):
                key = n if key is None or len(n) >= len(key) else key
                break
        out.append(key)
    return out


def same(a, b):
    if a is None or b is None:
        return False
    wa, wb = name_words(a), name_words(b)
    return bool(wa & wb) if wa and wb else fold(a) == fold(b)


totals = collections.defaultdict(collections.Counter)
shown = collections.Counter()
for r in wanted:
    if r["language"] == "en":
        continue
    lang = r["language"]
    t = totals[lang]
    ref = speakers(enriched[r["translation_of"]])
    mine = speakers(enriched[r["id"]])
    if not ref:
        t["english_without"] += 1
        t["extra_without"] += bool(mine)
        continue
    t["english_with"] += 1
    t["found"] += bool(mine)
    named = [s for s in ref if s]
    if named:
        main = collections.Counter(named).most_common(1)[0][0]
        t["attributed"] += 1
        hit = any(same(main, s) for s in mine)
        t["same_speaker"] += hit
        # The same, counting only English speakers that are entity names (a
        # wrong English speaker such as "Speaking to the public he" is left out).
        named_entities = [s for s in speakers(enriched[r["translation_of"]], True) if s]
        if named_entities:
            main_entity = collections.Counter(named_entities).most_common(1)[0][0]
            t["entity_attributed"] += 1
            t["entity_same"] += any(same(main_entity, s) for s in mine)
    # Multiset matching of the speakers, quote by quote.
    left = [s for s in mine if s]
    matched = 0
    for s in named:
        for j, m in enumerate(left):
            if same(s, m):
                matched += 1
                del left[j]
                break
    t["ref_speakers"] += len(named)
    t["my_speakers"] += sum(1 for s in mine if s)
    t["matched"] += matched
    if args.show and shown[lang] < args.show and (not mine or (named and not hit)):
        shown[lang] += 1
        print(f"{r['id']}: english {ref} translation {mine}")

documents = sum(1 for r in wanted if r["language"] == "en")
print(f"split {args.split}: {documents} English documents and their translations")
print(f"{'lang':5} {'found':>7} {'same speaker':>12} {'same (entity)':>13} {'spk recall':>10} "
      f"{'spk prec':>8} {'en with':>7} {'attributed':>10} {'entity':>6}")
for lang, t in sorted(totals.items()):
    found = t["found"] / t["english_with"] if t["english_with"] else 1.0
    same_speaker = t["same_speaker"] / t["attributed"] if t["attributed"] else 1.0
    recall = t["matched"] / t["ref_speakers"] if t["ref_speakers"] else 1.0
    precision = t["matched"] / t["my_speakers"] if t["my_speakers"] else 1.0
    same_entity = t["entity_same"] / t["entity_attributed"] if t["entity_attributed"] else 1.0
    print(f"{lang:5} {found:7.3f} {same_speaker:12.3f} {same_entity:13.3f} {recall:10.3f} "
          f"{precision:8.3f} {t['english_with']:7d} {t['attributed']:10d} "
          f"{t['entity_attributed']:6d}")
