#!/usr/bin/env python3
"""Converts Reuters-21578 (Distribution 1.0) .sgm files to the ModApte split as
JSON Lines for `wirefeed train topics --multi-label --labels-field topics`.

ModApte: documents with LEWISSPLIT="TRAIN" (or "TEST") and TOPICS="YES"; the
categories are the topics with at least one training and one test document
(90 in this collection); a document is kept if it has at least one of them,
and its labels are those of them it has. Writes <out>/train.jsonl and
<out>/test.jsonl, {"id", "title", "body", "topics"} per line, in NEWID order.
The output holds Reuters text: keep it out of the repository (build/ is fine).
"""
import argparse
import html
import json
import os
import re
import sys

DOC = re.compile(r"<REUTERS([^>]*)>(.*?)</REUTERS>", re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')


def element(text, tag):
    m = re.search(r"<%s(?: [^>]*)?>(.*?)</%s>" % (tag, tag), text, re.S)
    return m.group(1) if m else None


def clean(s):
    # SGML character references (&#3; ends most bodies) and the usual entities.
    s = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))) if int(m.group(1)) >= 32 else " ", s)
    s = html.unescape(s)
    return re.sub(r"[ \t]+", " ", s).strip()


def read_docs(paths):
    for path in paths:
        with open(path, encoding="latin-1") as f:
            data = f.read()
        for m in DOC.finditer(data):
            attrs = dict(ATTR.findall(m.group(1)))
            inner = m.group(2)
            topics_el = element(inner, "TOPICS") or ""
            topics = re.findall(r"<D>(.*?)</D>", topics_el)
            text = element(inner, "TEXT") or ""
            title = element(text, "TITLE") or ""
            body = element(text, "BODY")
            if body is None:  # BRIEF and UNPROC documents: the text itself
                body = re.sub(r"<[^>]+>", " ", text)
            yield {
                "newid": int(attrs["NEWID"]),
                "split": attrs.get("LEWISSPLIT"),
                "has_topics": attrs.get("TOPICS") == "YES",
                "title": clean(title),
                "body": clean(body),
                "topics": topics,
            }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reuters", required=True, help="folder with reut2-*.sgm")
    ap.add_argument("--out", required=True, help="output folder")
    args = ap.parse_args()
    paths = sorted(
        os.path.join(args.reuters, n) for n in os.listdir(args.reuters) if n.endswith(".sgm")
    )
    if not paths:
        sys.exit("reuters_to_jsonl: no .sgm files in %s" % args.reuters)
    docs = [d for d in read_docs(paths) if d["has_topics"] and d["split"] in ("TRAIN", "TEST")]
    docs.sort(key=lambda d: d["newid"])
    seen = {"TRAIN": set(), "TEST": set()}
    for d in docs:
        seen[d["split"]].update(d["topics"])
    categories = seen["TRAIN"] & seen["TEST"]
    os.makedirs(args.out, exist_ok=True)
    counts = {}
    for split, name in (("TRAIN", "train.jsonl"), ("TEST", "test.jsonl")):
        n = 0
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as out:
            for d in docs:
                labels = [t for t in d["topics"] if t in categories]
                if d["split"] != split or not labels:
                    continue
                rec = {"id": "reuters-%d" % d["newid"], "title": d["title"], "body": d["body"],
                       "topics": labels}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        counts[split] = n
    print("reuters_to_jsonl: %d categories; %d train, %d test documents -> %s"
          % (len(categories), counts["TRAIN"], counts["TEST"], args.out))


if __name__ == "__main__":
    main()
