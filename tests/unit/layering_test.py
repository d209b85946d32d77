#!/usr/bin/env python3
"""The dependency arrows point one way: app -> kafka, ops, stages, config -> core.

Reads every #include "wirefeed/<folder>/..." under worker/<folder>/ and fails,
naming file and line, when a folder includes a layer it must not know about.
The kafka worker may use the logging target (ops/log.h) and nothing else of ops.
librdkafka stays inside worker/kafka: its public headers (include/) and every
other folder include neither <librdkafka/...> nor the layer's internal headers
(worker/kafka/internal/).
The stage folders (worker/stages/<name>/, common/, resources/) are private to
the stages library: the other folders, and the stages' public headers
(worker/stages/include/), include none of their headers beyond the few listed
in STAGE_INTERNALS_ALLOWED; they use include/wirefeed/stages/ instead.
Usage: layering_test.py PROJECT_SOURCE_DIR
"""
import pathlib
import re
import sys

# folder -> include prefixes it may use besides its own
ALLOWED = {
    "core": [],
    "config": ["core/"],
    "stages": ["core/"],
    "ops": ["core/"],
    "kafka": ["core/", "ops/log.h"],
    "app": ["core/", "config/", "stages/", "kafka/", "ops/"],
}
INCLUDE = re.compile(r'#include "wirefeed/([a-z_]+/[^"]*)"')

# folder -> stage-internal headers ("<stage folder>/<file>.h") it may include.
# None: eval and train use include/wirefeed/stages/ (html_extraction.h,
# ner_eval.h, topics/model.h, topics/train.h). Whoever adds one here also links
# the folder's target to wirefeed::stage_internals and says why in its
# CMakeLists.txt.
STAGE_INTERNALS_ALLOWED = {
    "core": set(),
    "config": set(),
    "ops": set(),
    "kafka": set(),
    "app": set(),
    "stages/include": set(),
}
ANY_INCLUDE = re.compile(r'#include\s*[<"]([^">]+)[">]')


def violations(root: pathlib.Path):
    for folder, allowed in ALLOWED.items():
        for path in sorted((root / "worker" / folder).rglob("*")):
            if path.suffix not in (".h", ".cpp"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                m = INCLUDE.search(line)
                if not m:
                    continue
                target = m.group(1)
                if target.startswith(folder + "/"):
                    continue
                if any(target.startswith(prefix) for prefix in allowed):
                    continue
                yield f"{path.relative_to(root)}:{number}: {folder} must not include wirefeed/{target}"


LIBRDKAFKA = re.compile(r'#include <librdkafka/')


def librdkafka_leaks(root: pathlib.Path):
    internal = {p.name for p in (root / "worker/kafka/internal/wirefeed/kafka").glob("*.h")}
    outside = [root / "worker" / f for f in ALLOWED if f != "kafka"]
    public = [root / "worker/kafka/include"]
    for base in outside + public:
        for path in sorted(base.rglob("*")):
            if path.suffix not in (".h", ".cpp"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                where = f"{path.relative_to(root)}:{number}"
                if LIBRDKAFKA.search(line):
                    yield f"{where}: librdkafka's headers belong in worker/kafka's sources only"
                m = INCLUDE.search(line)
                if m and m.group(1).startswith("kafka/") and m.group(1)[6:] in internal:
                    yield f"{where}: wirefeed/{m.group(1)} is internal to worker/kafka"


def stage_internal_includes(root: pathlib.Path):
    stages = root / "worker/stages"
    internal = {p.name for p in stages.iterdir() if p.is_dir() and p.name != "include"}
    folders = [f for f in ALLOWED if f != "stages"] + ["stages/include"]
    for folder in folders:
        allowed = STAGE_INTERNALS_ALLOWED.get(folder, set())
        for path in sorted((root / "worker" / folder).rglob("*")):
            if path.suffix not in (".h", ".cpp"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                m = ANY_INCLUDE.search(line)
                if not m or "/" not in m.group(1):
                    continue
                target = m.group(1)
                if target.split("/", 1)[0] in internal and target not in allowed:
                    yield (f"{path.relative_to(root)}:{number}: {target} is internal to "
                           f"worker/stages (use include/wirefeed/stages/)")


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    folders = {p.name for p in (root / "worker").iterdir() if p.is_dir()}
    unknown = folders - set(ALLOWED)
    for folder in STAGE_INTERNALS_ALLOWED:
        if not (root / "worker" / folder).is_dir():
            print(f"STAGE_INTERNALS_ALLOWED names a folder that does not exist: worker/{folder}")
            return 1
    if unknown:
        print(f"worker/ has folders with no layer rule: {sorted(unknown)}")
        return 1
    found = (list(violations(root)) + list(librdkafka_leaks(root)) +
             list(stage_internal_includes(root)))
    for v in found:
        print(v)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
