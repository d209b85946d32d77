"""The benchmark corpus: real news articles as raw-article JSON lines.

From ../shared/data when present (evaluation data: read, never committed):
BBC News, Reuters-21578 (bodies of the SGML documents), English Wikinews and
MEANTIME. Otherwise the samples committed in data/samples.
"""
import html
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))


def _jsonl(path, source):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                yield {"id": rec["id"], "source": source, "title": rec.get("title"),
                       "published_at": rec.get("published_at"), "body": rec["body"]}


def _reuters(directory):
    doc_re = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".sgm"):
            continue
        with open(os.path.join(directory, name), encoding="latin-1") as f:
            text = f.read()
        for newid, doc in doc_re.findall(text):
            body = re.search(r"<BODY>(.*?)</BODY>", doc, re.S)
            if not body:
                continue
            title = re.search(r"<TITLE>(.*?)</TITLE>", doc, re.S)
            clean = html.unescape(body.group(1)).replace("\x03", "").strip()
            if len(clean) < 200:
                continue
            yield {"id": f"reuters-{newid}", "source": "Reuters",
                   "title": html.unescape(title.group(1)).strip() if title else None,
                   "body": clean}


def load():
    """Returns (name, list of JSON lines)."""
    records = []
    parts = []
    if os.path.isdir(SHARED):
        for path, source, label in [
            (os.path.join(SHARED, "bbc", "train.jsonl"), "BBC News", "bbc"),
            (os.path.join(SHARED, "wikinews-en", "articles.jsonl"), "Wikinews", "wikinews"),
            (os.path.join(SHARED, "meantime", "articles.jsonl"), "MEANTIME", "meantime"),
        ]:
            if os.path.exists(path):
                before = len(records)
                records.extend(_jsonl(path, source))
                parts.append(f"{label} {len(records) - before}")
        reuters = os.path.join(SHARED, "reuters21578")
        if os.path.isdir(reuters):
            before = len(records)
            records.extend(_reuters(reuters))
            parts.append(f"reuters {len(records) - before}")
    if not records:
        records.extend(_jsonl(os.path.join(REPO, "data", "samples", "articles.jsonl"), "samples"))
        parts.append(f"samples {len(records)}")
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]
    return " + ".join(parts), lines


def load_bbc(copies=4):
    """Returns (name, list of JSON lines) of BBC News alone (mean 2.35 KB, the size
    the CPU budget is set for), `copies` times with distinct ids so that start-up
    weighs little in the CPU figure, or (None, []) without ../shared/data."""
    path = os.path.join(SHARED, "bbc", "train.jsonl")
    if not os.path.exists(path):
        return None, []
    records = list(_jsonl(path, "BBC News"))
    lines = []
    for c in range(copies):
        for r in records:
            lines.append(json.dumps(dict(r, id=f"{r['id']}-{c}"), ensure_ascii=False,
                                    separators=(",", ":")))
    return f"bbc {len(records)} x {copies}", lines
