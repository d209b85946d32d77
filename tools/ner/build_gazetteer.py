#!/usr/bin/env python3
"""Compiles the entity gazetteers the entities stage and the NER trainer read.

Sources (all under ../shared/data unless noted):
  - GeoNames (CC BY 4.0): countries (countryInfo.tsv), first-level regions
    (regionInfo.tsv) and cities of 15,000 people or more (cities15000.txt);
  - WordNet 3.0 instance nouns (Debian's wordnet-base): lexicographer files
    noun.person, noun.location and noun.group give PER, LOC and ORG;
  - the entity names of CoNLL-2003 eng.train (names only, no text).

Writes two files (both deterministic: sorted, no timestamps):
  data/ner/gazetteer.tsv  CLASS <TAB> name      one name per line
  data/ner/places.tsv     geonameid <TAB> kind <TAB> cc <TAB> lat <TAB> lon
                          <TAB> population <TAB> name|name|...
CLASS is <source>-<type>: geo-country, geo-region, geo-city, wn-PER, wn-LOC,
wn-ORG, conll-PER, conll-ORG, conll-LOC, conll-MISC.

Usage: tools/ner/build_gazetteer.py [--shared ../shared/data] [--out data/ner]
"""
import argparse
import os
import re
import sys

WORDNET = "/usr/share/wordnet/data.noun"
WORDNET_TYPES = {18: "PER", 15: "LOC", 14: "ORG"}  # lex_filenum -> type

# A name worth matching: starts with an upper-case letter (any script with case)
# and has a lower-case letter or is a short all-caps acronym of 2+ letters.
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .'\-]*$")


def usable_alternate(name):
    """GeoNames alternate names include airport codes, transliterations and
    nicknames; keep Latin-script names of 4+ characters that are not all caps."""
    return (len(name) >= 4 and LATIN.match(name) and name[0].isupper()
            and not name.isupper())


def read_countries(path):
    places = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            cc, name, population, geonameid = c[0], c[4], c[7], c[16]
            if not geonameid:
                continue
            places.append((int(geonameid), "country", cc, "", "", int(population or 0), [name]))
    return places


def read_regions(path):
    places = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, name, ascii_name, geonameid = line.rstrip("\n").split("\t")
            names = sorted({name, ascii_name})
            places.append((int(geonameid), "region", code.split(".")[0], "", "", 0, names))
    return places


def read_cities(path):
    places = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            names = {c[1], c[2]}
            names.update(a for a in c[3].split(",") if usable_alternate(a))
            places.append((int(c[0]), "city", c[8], c[4], c[5], int(c[14] or 0),
                           sorted(n for n in names if n)))
    return places


def read_wordnet(path):
    entries = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("  ") or " @i " not in line:
                continue
            fields = line.split(" ")
            lex = int(fields[1])
            kind = WORDNET_TYPES.get(lex)
            if kind is None:
                continue
            count = int(fields[3], 16)
            for i in range(count):
                word = fields[4 + 2 * i].replace("_", " ")
                word = re.sub(r"\(.*\)$", "", word).strip()
                if word and word[0].isupper():
                    entries.add(("wn-" + kind, word))
    return entries


def read_conll_entities(path):
    """Entity strings of a CoNLL-2003 file (IOB1), with their types."""
    entries = set()
    tokens, kind = [], None

    def flush():
        if tokens:
            entries.add(("conll-" + kind, " ".join(tokens)))

    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":
                flush()
                tokens, kind = [], None
                continue
            tag = parts[-1]
            if tag == "O":
                flush()
                tokens, kind = [], None
                continue
            prefix, t = tag.split("-", 1)
            if prefix == "B" or t != kind:
                flush()
                tokens, kind = [], t
            tokens.append(parts[0])
    flush()
    return entries


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(root, "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(root, "data", "ner"))
    args = ap.parse_args()
    geo = os.path.join(args.shared, "geonames")
    conll = os.path.join(args.shared, "conll2003", "eng.train")
    for path in (geo, conll, WORDNET):
        if not os.path.exists(path):
            sys.exit(f"build_gazetteer: {path} is missing (../shared/data, or "
                     "apt-get install wordnet-base for WordNet)")

    places = (read_countries(os.path.join(geo, "countryInfo.tsv")) +
              read_regions(os.path.join(geo, "regionInfo.tsv")) +
              read_cities(os.path.join(geo, "cities15000.txt")))
    places.sort()
    entries = set()
    for _, kind, _, _, _, _, names in places:
        for n in names:
            entries.add(("geo-" + kind, n))
    entries |= read_wordnet(WORDNET)
    entries |= read_conll_entities(conll)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "gazetteer.tsv"), "w", encoding="utf-8") as f:
        for cls, name in sorted(entries):
            if "\t" not in name and len(name) <= 80:
                f.write(f"{cls}\t{name}\n")
    with open(os.path.join(args.out, "places.tsv"), "w", encoding="utf-8") as f:
        for gid, kind, cc, lat, lon, pop, names in places:
            f.write(f"{gid}\t{kind}\t{cc}\t{lat}\t{lon}\t{pop}\t{'|'.join(names)}\n")
    print(f"build_gazetteer: {len(entries)} names, {len(places)} places -> {args.out}")


if __name__ == "__main__":
    main()
