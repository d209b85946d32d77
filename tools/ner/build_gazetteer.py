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
WORDNET_GROUPS = 14  # noun.group: capitalized lemmas there are organizations

# Words a name list must not turn into entities ("IN" for Indiana matched "in").
STOPWORDS = set("""a an and are as at be but by do for from had has he her his i if in is it
its me my no not of on or our she so that the their them they this to up us was we were
who will with you all any can did may one out own per via ok oh am pm""".split())

# Names written here for what GeoNames' extracts lack: world regions and the
# short forms news uses for countries (ISO code first).
AREAS = ["Africa", "Antarctica", "Asia", "Europe", "North America", "South America",
         "Latin America", "Central America", "Oceania", "Eastern Europe", "Western Europe",
         "Central Europe", "Northern Europe", "Southern Europe", "Central and Eastern Europe",
         "Middle East", "Near East", "Far East", "Southeast Asia", "South Asia", "East Asia",
         "Central Asia", "North Africa", "West Africa", "East Africa", "Southern Africa",
         "Sub-Saharan Africa", "Horn of Africa", "Balkans", "Caucasus", "Scandinavia",
         "Persian Gulf", "Gulf", "Caribbean", "Mediterranean", "Baltic", "Pacific",
         "Atlantic", "Arctic", "Sahel", "Kashmir", "Gaza Strip", "West Bank"]
# Common English given names and their short forms, written here: WordNet and
# CoNLL only know the first names of people famous enough to be listed.
GIVEN_NAMES = """Aaron Abby Adam Adrian Agnes Alan Albert Alex Alexander Alexandra Alice Alison
Amanda Amy Andrea Andrew Andy Angela Ann Anna Anne Anthony Antony Barbara Barry Ben Benjamin
Beth Betty Bill Billy Bob Bobby Brad Brian Bruce Carl Carol Caroline Catherine Charles Charlie
Chris Christine Christopher Chuck Claire Colin Craig Dan Daniel Danny Dave David Debbie Deborah
Dennis Derek Diana Diane Dick Don Donald Doug Douglas Ed Eddie Edward Elizabeth Ellen Emily
Emma Eric Frank Fred Gary George Gerald Gordon Graham Greg Gregory Harry Heather Helen Henry
Ian Jack Jackie Jake James Jamie Jane Janet Jason Jeff Jeffrey Jennifer Jenny Jeremy Jerry Jessica
Jim Jimmy Joan Joe John Johnny Jon Jonathan Joseph Josh Judy Julia Julie Karen Kate Katherine
Kathy Keith Kelly Ken Kenneth Kevin Kim Larry Laura Lauren Lee Linda Lisa Liz Louise Lucy Maggie
Margaret Maria Mark Martin Mary Matt Matthew Megan Michael Michelle Mike Nancy Ned Neil Nick
Nicholas Nicola Nigel Pam Pat Patricia Patrick Paul Peter Phil Philip Rachel Ralph Ray Rebecca
Richard Rick Rob Robert Robin Roger Ron Ronald Rosa Ruth Ryan Sally Sam Samuel Sandra Sarah Scott
Sean Sharon Simon Stephen Steve Steven Sue Susan Ted Teresa Terry Thomas Tim Timothy Tom Tony
Tracy Victoria Vince Walter Wendy William Willie""".split()

COUNTRY_ALIASES = {
    "US": ["U.S.", "U.S.A.", "USA", "America", "United States of America"],
    "GB": ["U.K.", "UK", "Britain", "Great Britain", "England", "Scotland", "Wales"],
    "RU": ["Russian Federation"], "KR": ["Republic of Korea"],
    "KP": ["DPRK"], "CZ": ["Czech Republic"], "NL": ["Holland"], "MM": ["Burma"],
    "CI": ["Ivory Coast"], "VA": ["Vatican"], "AE": ["UAE", "U.A.E."],
    "CD": ["DR Congo", "DRC"], "CG": ["Congo-Brazzaville"], "TR": ["Turkiye"],
    "SZ": ["Swaziland"], "MK": ["Macedonia"], "CV": ["Cabo Verde"], "TL": ["East Timor"],
}

# A name worth matching: starts with an upper-case letter (any script with case)
# and has a lower-case letter or is a short all-caps acronym of 2+ letters.
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .'\-]*$")


def usable_alternate(name, common_words):
    """GeoNames alternate names include airport codes, transliterations,
    nicknames and translations; keep Latin-script names of 4+ characters that
    are not all caps, and drop phrases made only of common English words
    ("White House" is a translation of Casablanca's Arabic name)."""
    if not (len(name) >= 4 and LATIN.match(name) and name[0].isupper() and not name.isupper()):
        return False
    words = name.lower().split()
    return not (len(words) > 1 and all(w in common_words for w in words))


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
            names = sorted({name, *COUNTRY_ALIASES.get(cc, [])})
            places.append((int(geonameid), "country", cc, "", "", int(population or 0), names))
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


def read_cities(path, common_words):
    places = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            names = {c[1], c[2]}
            names.update(a for a in c[3].split(",") if usable_alternate(a, common_words))
            places.append((int(c[0]), "city", c[8], c[4], c[5], int(c[14] or 0),
                           sorted(n for n in names if n)))
    return places


def read_common_words(path):
    """Lower-case WordNet lemmas: common nouns ("house") and, by the same file's
    standards, words that are not names."""
    words = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):
                continue
            fields = line.split(" ")
            for i in range(int(fields[3], 16)):
                w = fields[4 + 2 * i]
                if w.islower():
                    words.update(w.split("_"))
    for adj in ("white", "red", "black", "green", "blue", "new", "old", "big", "little",
                "great", "high", "low", "paradise", "heaven", "golden", "silver"):
        words.add(adj)
    return words


def read_wordnet(path):
    """Instance nouns of people, places and organizations; and capitalized
    noun.group lemmas, which name organizations ("White House", "State
    Department") even where WordNet files them as classes."""
    entries = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):
                continue
            fields = line.split(" ")
            lex = int(fields[1])
            kind = WORDNET_TYPES.get(lex)
            if kind is None or (" @i " not in line and lex != WORDNET_GROUPS):
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

    common_words = read_common_words(WORDNET)
    places = (read_countries(os.path.join(geo, "countryInfo.tsv")) +
              read_regions(os.path.join(geo, "regionInfo.tsv")) +
              read_cities(os.path.join(geo, "cities15000.txt"), common_words))
    places.sort()
    entries = set()
    for _, kind, _, _, _, _, names in places:
        for n in names:
            entries.add(("geo-" + kind, n))
    entries |= {("geo-area", a) for a in AREAS}
    entries |= read_wordnet(WORDNET)
    entries |= read_conll_entities(conll)
    # Given names: the first word of people's full names.
    entries |= {(cls + "FIRST", name.split(" ")[0]) for cls, name in list(entries)
                if cls.endswith("-PER") and " " in name and len(name.split(" ")[0]) > 2
                and name.split(" ")[0][0].isupper() and not name.split(" ")[0].endswith(".")}
    entries |= {("names-PERFIRST", n) for n in GIVEN_NAMES}
    entries = {(cls, name) for cls, name in entries if name.lower() not in STOPWORDS}

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
