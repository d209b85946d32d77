#!/usr/bin/env python3
"""Validates JSON documents against a JSON Schema (2020-12).

usage: validate.py SCHEMA FILE...   each FILE is JSON Lines, or one JSON document
Exit 0 when every document is valid; 1 (with the first errors) otherwise.
"""
import json
import sys

import jsonschema


def documents(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        yield path, json.loads(text)
        return
    except json.JSONDecodeError:
        pass
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield f"{path}:{n}", json.loads(line)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    count = bad = 0
    for path in sys.argv[2:]:
        for where, doc in documents(path):
            count += 1
            errors = list(validator.iter_errors(doc))
            if errors:
                bad += 1
                if bad <= 5:
                    for e in errors[:3]:
                        print(f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message}",
                              file=sys.stderr)
    if count == 0:
        print("validate.py: no documents", file=sys.stderr)
        sys.exit(1)
    print(f"validate.py: {count - bad}/{count} valid against {sys.argv[1]}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
