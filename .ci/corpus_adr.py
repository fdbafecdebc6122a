#!/usr/bin/env python3
"""The real folders of decision records (../shared/corpus/adr/*/) through archlint.

    .ci/corpus_adr.py PATH-TO-ARCHLINT

Each folder's Markdown files (dot-files included) are checked together, in the folder,
with `--profile auto` and with each record profile (`madr`, `nygard`), and:

- the exit code is 0 or 1 and stdout is archlint's JSON report naming every file;
- a template (a file whose name says `template`) has at least one `placeholder`
  finding: it is unfilled;
- any other file has no `placeholder` finding, except the true ones listed below,
  each checked by hand against the document (KNOWN_TRUE).

The collection rules' findings over these folders were judged by hand against each
repository's file listing (`trees/`); they are printed, not asserted, because a corpus
folder can hold part of its repository's records. Exits 1 on any failure.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

# (folder, file) -> (the lines of its true placeholder findings, why they are right).
KNOWN_TRUE = {
    ("nats-io__nats-architecture-and-design__adr", "ADR-40.md"): (
        {316}, "`[LINK][LINK]` under `#### INFO` is a link its author never wrote",
    ),
}


def main() -> int:
    binary = Path(sys.argv[1]).resolve()
    corpus = Path(os.environ.get("ARCHLINT_ADR_CORPUS", Path(__file__).resolve().parent.parent.parent / "shared/corpus/adr"))
    if not corpus.is_dir():
        print(f"SKIP: no decision-record corpus at {corpus}")
        return 0
    folders = sorted(p for p in corpus.iterdir() if p.is_dir() and p.name != "trees")
    failures = []
    for folder in folders:
        files = sorted(p.name for p in folder.iterdir() if p.suffix == ".md" and p.is_file())
        for profile in ("auto", "madr", "nygard"):
            run = subprocess.run(
                [str(binary), "check", "--isolated", "--profile", profile, "--format", "json",
                 "--today", "2026-11-21", *files],
                cwd=folder, capture_output=True, text=True, timeout=120,
            )
            where = f"{folder.name} ({profile})"
            if run.returncode not in (0, 1):
                failures.append(f"{where}: exit {run.returncode}: {run.stderr.strip()[:300]}")
                continue
            try:
                report = json.loads(run.stdout)
            except json.JSONDecodeError as e:
                failures.append(f"{where}: not a JSON report ({e})")
                continue
            seen = {f["path"] for f in report["files"]}
            if seen != set(files):
                failures.append(f"{where}: reported {len(seen)} of {len(files)} files")
            if profile != "auto":
                continue
            rules = {}
            for f in report["files"]:
                placeholders = [d for d in f["diagnostics"] if d["rule"] == "placeholder"]
                for d in f["diagnostics"]:
                    if d["rule"].startswith("adr-"):
                        rules.setdefault(d["rule"], 0)
                        rules[d["rule"]] += 1
                template = "template" in f["path"].lower()
                if template and not placeholders:
                    failures.append(f"{where}: {f['path']}: an unfilled template with no placeholder finding")
                expected = KNOWN_TRUE.get((folder.name, f["path"]), (set(), ""))[0]
                unexpected = [d for d in placeholders if d["line"] not in expected]
                if not template and unexpected:
                    placeholders = unexpected
                    shown = "; ".join(f"line {d['line']}: {d['message']}" for d in placeholders[:3])
                    failures.append(f"{where}: {f['path']}: placeholder in a written record: {shown}")
            print(f"{folder.name}: {len(files)} files, collection findings {rules or 'none'}")
    for (folder, name), (lines, why) in KNOWN_TRUE.items():
        print(f"known true placeholder: {folder}/{name} line {sorted(lines)}: {why}")
    for f in failures:
        print(f"FAIL: {f}")
    print("PASS: decision-record corpus" if not failures else f"FAIL: {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
