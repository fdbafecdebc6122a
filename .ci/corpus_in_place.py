#!/usr/bin/env python3
"""Judge archlint on the real-world corpus *inside* rebuilt copies of its repositories.

For each document of the corpus folder (../shared/corpus/real, or $ARCHLINT_CORPUS),
MANIFEST.tsv names the repository and the path it came from, and
trees/<file>.tree.txt lists every file of that repository at that commit. The
repository is rebuilt in a temporary folder (every listed file created empty, a
`.git/` folder at the root, the document's real bytes at its path) and archlint runs
from the root with `core`, `auto` and every other built-in profile. Then:

  - every run exits 0 or 1 within 60 s, prints archlint's JSON report, and its
    stderr shows no panic or internal error;
  - every `dead-reference` finding under `core` is judged against the tree listing by
    a reference resolver written here, independently of archlint (a Markdown link
    resolves from the document's folder, or from the root when it starts with `/`; a
    plain-text mention from either). A finding whose target exists is a FALSE ALARM.
    Findings about line numbers past the end of a file are artifacts of the empty
    rebuild and are counted, not judged;
  - `auto` never fails a document that some built-in profile passes;
  - documents MANIFEST.tsv marks `[hand-written` get no `placeholder` finding (under
    `core` or `auto`) and no dead-reference false alarm.

Prints one TAP-ish line per document, then review tables (every dead-reference finding
with its verdict; every missing-section "did you mean"; per-profile error counts and
auto's choice), then PASS or FAIL. Exits 1 on FAIL, 2 on a usage error.

Usage: .ci/corpus_in_place.py PATH-TO-ARCHLINT
Standard library only.
"""

import concurrent.futures
import csv
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

TODAY = "2026-11-21"
TIMEOUT = 60
# Runs of archlint at once (the machine has 2 cores; archlint is mostly I/O-bound
# on these small inputs, so a few more threads than cores keep them busy).
WORKERS = 4


def fail_usage(msg):
    print(f"FAIL: corpus in place: {msg}")
    sys.exit(2)


def shown(text):
    """A string safe to print on one terminal line: control characters escaped."""
    out = []
    for ch in str(text):
        o = ord(ch)
        if o < 0x20 or o == 0x7F or 0x80 <= o < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        elif 0xDC80 <= o <= 0xDCFF:  # an undecodable byte (surrogateescape)
            out.append(f"\\x{o - 0xDC00:02x}")
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------------------------
# Rebuilding a repository from its tree listing


def safe_parts(path):
    """The components of a repository-relative path, or None if it is unsafe to
    create: absolute, empty components, `.`/`..`, a NUL, `.git` anywhere (git never
    stores one; it would move the repository root), or a component too long."""
    if not path or path.startswith("/") or "\0" in path:
        return None
    parts = path.split("/")
    for p in parts:
        if p in ("", ".", "..") or p.lower() == ".git":
            return None
        if len(os.fsencode(p)) > 255:
            return None
    return parts


def read_tree(tree_file):
    """The listed paths (deduplicated, in order), decoding bytes losslessly."""
    with open(tree_file, "rb") as f:
        raw = f.read()
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    # A listing written with CRLF endings: strip the CR of every line, but only
    # then (a lone trailing CR can be part of a real name, e.g. `Icon\r`).
    if lines and all(l.endswith(b"\r") for l in lines):
        lines = [l[:-1] for l in lines]
    seen = set()
    out = []
    for l in lines:
        p = os.fsdecode(l)
        if p and p not in seen:
            seen.add(p)
            out.append(p)
    return out


def rebuild(root, listed, doc_path, doc_bytes):
    """Create `listed` under `root` (empty files, folders as needed), `.git/`, and the
    document. Returns (files, dirs, skipped) with files/dirs the repository-relative
    paths really created; skipped maps a reason to a count. Raises ValueError when the
    document itself cannot be placed."""
    skipped = {}

    def skip(why):
        skipped[why] = skipped.get(why, 0) + 1

    doc_parts = safe_parts(doc_path)
    if doc_parts is None:
        raise ValueError(f"the document's path `{shown(doc_path)}` is unsafe")
    entries = {}
    n = len(doc_parts)
    for p in listed:
        parts = safe_parts(p)
        if parts is None:
            skip("unsafe path")
            continue
        if len(parts) > n and parts[:n] == doc_parts:
            skip("under the document's path")  # the document wins
            continue
        entries["/".join(parts)] = parts
    entries["/".join(doc_parts)] = doc_parts
    dirs = set()
    for parts in entries.values():
        for i in range(1, len(parts)):
            dirs.add("/".join(parts[:i]))
    files = set()
    for rel in entries:
        if rel in dirs:
            skip("file and folder of the same name")  # the folder wins
        else:
            files.add(rel)

    broot = os.fsencode(root)
    os.mkdir(os.path.join(broot, b".git"))
    made_dirs = set()
    # Sorted, a folder comes before everything under it.
    for rel in sorted(dirs):
        parent = rel.rpartition("/")[0]
        if parent and parent not in made_dirs:
            skip("parent folder not created")
            continue
        try:
            os.mkdir(os.path.join(broot, os.fsencode(rel)))
            made_dirs.add(rel)
        except OSError:
            skip("could not create folder")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    doc_rel = "/".join(doc_parts)
    made_files = set()
    for rel in files:
        parent = rel.rpartition("/")[0]
        if parent and parent not in made_dirs:
            if rel == doc_rel:
                raise ValueError(f"could not create the folder of `{shown(doc_path)}`")
            skip("parent folder not created")
            continue
        try:
            fd = os.open(os.path.join(broot, os.fsencode(rel)), flags, 0o644)
        except OSError:
            if rel == doc_rel:
                raise ValueError(f"could not create `{shown(doc_path)}`")
            skip("could not create file")
            continue
        if rel == doc_rel:
            with os.fdopen(fd, "wb") as f:  # the file just created, no symlink
                f.write(doc_bytes)
        else:
            os.close(fd)
        made_files.add(rel)
    return made_files, made_dirs, skipped


# ---------------------------------------------------------------------------------
# Running archlint


def run_archlint(binary, cwd, profile, target):
    """One run: (exit code or None on timeout, parsed JSON or None, stderr, ms, why)."""
    cmd = [binary, "check", "--isolated", "--format", "json", "--today", TODAY,
           "--profile", profile, "--", target]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=TIMEOUT,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, None, "", int((time.monotonic() - start) * 1000), f"timeout ({TIMEOUT}s)"
    except OSError as e:
        return None, None, "", 0, f"could not run archlint: {e}"
    ms = int((time.monotonic() - start) * 1000)
    err = p.stderr.decode("utf-8", "replace")
    why = []
    if p.returncode not in (0, 1):
        why.append(f"exit code {p.returncode}")
    if "panicked" in err or "internal error" in err:
        first = next((l for l in err.splitlines() if "panicked" in l or "internal error" in l), "")
        why.append(f"stderr: {first[:200]}")
    report = None
    try:
        report = json.loads(p.stdout.decode("utf-8"))
        if not (isinstance(report, dict) and report.get("version") == 1
                and isinstance(report.get("files"), list)
                and all(isinstance(f, dict) and isinstance(f.get("diagnostics"), list)
                        for f in report["files"])):
            raise ValueError("not an archlint report")
    except (ValueError, UnicodeDecodeError):
        report = None
        why.append("stdout is not an archlint JSON report")
    return p.returncode, report, err, ms, "; ".join(why)


def builtin_profiles(binary):
    try:
        p = subprocess.run([binary, "profiles"], capture_output=True, timeout=TIMEOUT,
                           stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        fail_usage(f"`archlint profiles` failed: {e}")
    if p.returncode != 0:
        fail_usage(f"`archlint profiles` exited {p.returncode}")
    names = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        name = line.split()[0]
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            fail_usage(f"cannot read `archlint profiles` line: {shown(line)}")
        names.append(name)
    if "core" not in names:
        fail_usage("`archlint profiles` does not list `core`")
    return names


# ---------------------------------------------------------------------------------
# The dead-reference judge (independent of archlint's resolver)

RE_NOT_FOUND = re.compile(r"^referenced (?:file|directory|path) `(.*)` does not exist$", re.S)
RE_PAST_END = re.compile(r"^lines? \d+(?:-\d+)? (?:is|run) past the end of `(.*)` \(\d+ lines?\)$", re.S)
RE_OUTSIDE = re.compile(r"^`(.*)` points outside the repository( through a symbolic link)?$", re.S)
RE_NOT_REGULAR = re.compile(r"^`(.*)` is not a regular file or directory$", re.S)

RE_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:")


def source_span(lines, d):
    """The document text a finding points at (its first line only)."""
    try:
        ln = int(d.get("line") or 0)
        col = int(d.get("column") or 1)
        end_ln = int(d.get("end_line") or ln)
        end_col = int(d.get("end_column") or 0)
    except (TypeError, ValueError):
        return "", ""
    if not 1 <= ln <= len(lines):
        return "", ""
    line = lines[ln - 1]
    if end_ln == ln and end_col > col:
        return line[col - 1:end_col - 1], line
    return line[col - 1:], line


def reference_kind(lines, d, target):
    """`link` when the document writes the target as a Markdown link or image target,
    a reference definition or an HTML href/src; `mention` otherwise (code span,
    `path:line`, tree entry, Key-files list, See mention)."""
    span, line = source_span(lines, d)
    bare = target.split("#", 1)[0].split("?", 1)[0]
    for text in (span, line):
        if not text:
            continue
        for t in {target, bare}:
            if not t:
                continue
            if re.search(r"\]\(\s*<?" + re.escape(t), text):
                return "link"
            if RE_REF_DEF.match(line) and t in line.split(":", 1)[1]:
                return "link"
            if re.search(r"""(?:href|src)\s*=\s*["']?""" + re.escape(t), text, re.I):
                return "link"
    if RE_REF_DEF.match(line):
        return "link"
    if "](" in span:
        return "link"
    return "mention"


def spellings(target):
    """The target as written, without #fragment/?query, and percent-decoded."""
    t = target.split("#", 1)[0].split("?", 1)[0]
    out = [t]
    dec = urllib.parse.unquote(t)
    if dec != t:
        out.append(dec)
    return [s for s in out if s]


def resolve(base, target):
    """`target` relative to the repository-relative folder `base` ("" is the root),
    normalised; None when it leaves the repository."""
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(base, target) if base else target
    parts = []
    for p in joined.split("/"):
        if p in ("", "."):
            continue
        if p == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(p)
    return "/".join(parts)


def judge(target, kind, doc_dir, files, dirs):
    """(verdict, where): `exists` with the resolved path, or `missing`/`outside`."""
    want_dir = target.split("#", 1)[0].split("?", 1)[0].endswith("/")
    tried_inside = False
    for s in spellings(target):
        if kind == "link" or s.startswith("/"):
            bases = ["" if s.startswith("/") else doc_dir]
        else:
            bases = [doc_dir, ""]
        for b in bases:
            r = resolve(b, s)
            if r is None:
                continue
            tried_inside = True
            if r == "":
                return "exists", "/"
            if r in dirs or (not want_dir and r in files):
                return "exists", r
    return ("missing" if tried_inside else "outside"), ""


def judge_dead_reference(d, lines, doc_dir, files, dirs):
    """A review row for one `dead-reference` finding: (target, kind, verdict, note);
    verdict is one of: broken, line-range, FALSE ALARM, UNPARSED."""
    msg = d.get("message") or ""
    m = RE_PAST_END.match(msg)
    if m:
        return m.group(1), "-", "line-range, not judged", ""
    for rx, what in ((RE_NOT_FOUND, "not found"), (RE_OUTSIDE, "outside"),
                     (RE_NOT_REGULAR, "not regular")):
        m = rx.match(msg)
        if m:
            target = m.group(1)
            kind = reference_kind(lines, d, target)
            verdict, where = judge(target, kind, doc_dir, files, dirs)
            if verdict == "exists":
                return target, kind, "FALSE ALARM", f"exists: {where}"
            if what == "outside" and verdict != "outside":
                # archlint says it leaves the repository; by our reading it stays
                # inside and is missing: still a broken reference.
                return target, kind, "broken", "archlint: outside; judge: missing inside"
            return target, kind, "broken", ("leaves the repository" if verdict == "outside" else "")
    return "", "-", "UNPARSED", shown(msg)[:120]


# ---------------------------------------------------------------------------------
# Did-you-mean

RE_MISSING = re.compile(r"^required section `(.*)` is missing$", re.S)
RE_DYM = re.compile(r"did you mean `(.*?)`\?", re.S | re.I)


def did_you_mean(d):
    """(required section, suggested heading) of a missing-section finding with a
    suggestion, else None."""
    text = (d.get("help") or "") + "\n" + (d.get("message") or "")
    if not re.search(r"did you mean|misspelling|perhaps|similar", text, re.I):
        return None
    m = RE_MISSING.match(d.get("message") or "")
    req = m.group(1) if m else (d.get("message") or "")
    s = RE_DYM.search(text)
    return req, (s.group(1) if s else (d.get("help") or ""))


# ---------------------------------------------------------------------------------
# One document


def check_document(binary, profiles, row, corpus, work, index):
    name = row["file"]
    res = {
        "name": name, "skip": None, "why": [], "runs": {}, "dead": [], "dym": [],
        "ms": 0, "info": [],
    }
    src = os.path.join(corpus, name)
    tree_file = os.path.join(corpus, "trees", name + ".tree.txt")
    if not os.path.isfile(tree_file):
        res["skip"] = f"no tree listing trees/{name}.tree.txt: in-place checks skipped"
        return res
    start = time.monotonic()
    with open(src, "rb") as f:
        doc_bytes = f.read()
    doc_path = row.get("path") or ""
    root = tempfile.mkdtemp(prefix=f"{index:03d}.", dir=work)
    try:
        try:
            listed = read_tree(tree_file)
            files, dirs, skipped = rebuild(root, listed, doc_path, doc_bytes)
        except (ValueError, OSError) as e:
            res["why"].append(f"cannot rebuild the repository: {shown(e)}")
            return res
        if skipped:
            res["info"].append("tree entries skipped: " + ", ".join(
                f"{n} {why}" for why, n in sorted(skipped.items())))
        if doc_path not in listed:
            res["info"].append("the document's path is not in its tree listing")
        res["files"] = len(files)
        target = doc_path
        for prof in ["auto"] + profiles:
            code, report, err, ms, why = run_archlint(binary, root, prof, target)
            res["runs"][prof] = {"code": code, "report": report, "ms": ms}
            if why:
                res["why"].append(f"--profile {prof}: {why}")
    finally:
        shutil.rmtree(root, ignore_errors=True)

    lines = doc_bytes.decode("utf-8", "replace").split("\n")
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    doc_dir = posixpath.dirname(doc_path)

    def diags(prof):
        r = res["runs"].get(prof, {}).get("report")
        return [d for f in (r or {}).get("files", []) for d in f["diagnostics"]]

    # dead-reference judge, under core
    for d in diags("core"):
        if d.get("rule") != "dead-reference":
            continue
        target, kind, verdict, note = judge_dead_reference(d, lines, doc_dir, files, dirs)
        res["dead"].append((d.get("line"), target, kind, verdict, note))
        if verdict == "FALSE ALARM":
            res["why"].append(f"dead-reference false alarm line {d.get('line')}: "
                              f"`{shown(target)}` ({kind}) {note}")
        elif verdict == "UNPARSED":
            res["why"].append(f"dead-reference message the judge cannot read, line "
                              f"{d.get('line')}: {note}")

    # did you mean, under core and auto
    for prof in ("core", "auto"):
        for d in diags(prof):
            if d.get("rule") == "missing-section":
                s = did_you_mean(d)
                if s:
                    res["dym"].append((prof, d.get("line"), s[0], s[1]))

    # auto never fails a document some profile passes
    auto = res["runs"].get("auto", {})
    passing = [p for p in profiles if res["runs"].get(p, {}).get("code") == 0]
    if auto.get("code") == 1 and passing:
        res["why"].append(f"auto fails the document (chose {auto_choice(auto)}), "
                          f"yet {', '.join(passing)} pass(es) it")

    # hand-written documents
    if (row.get("notes") or "").startswith("[hand-written"):
        for prof in ("core", "auto"):
            n = sum(1 for d in diags(prof) if d.get("rule") == "placeholder")
            if n:
                res["why"].append(f"hand-written, yet {n} placeholder finding(s) under {prof}")
    res["ms"] = int((time.monotonic() - start) * 1000)
    return res


def auto_choice(run):
    r = run.get("report") or {}
    chosen = sorted({str(f.get("profile")) for f in r.get("files", [])})
    return ",".join(chosen) if chosen else "?"


def errors(run):
    r = run.get("report")
    if r is None:
        return None
    return sum(1 for f in r["files"] for d in f["diagnostics"] if d.get("severity") == "error")


def scratch_dir():
    """Where to rebuild the repositories: $TMPDIR when set; else /dev/shm when it is a
    writable folder (tens of thousands of empty files are created and removed, which
    is many times faster on tmpfs than on a disk); else the system's default."""
    if os.environ.get("TMPDIR"):
        return None
    shm = "/dev/shm"
    if os.path.isdir(shm) and not os.path.islink(shm) and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return None


def count_or_q(n):
    return "?" if n is None else str(n)


# ---------------------------------------------------------------------------------


def table(header, rows):
    widths = [len(h) for h in header]
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    out = ["  ".join(h.ljust(widths[i]) for i, h in enumerate(header)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
    return "\n".join(out)


def main():
    if len(sys.argv) != 2:
        print("usage: .ci/corpus_in_place.py PATH-TO-ARCHLINT", file=sys.stderr)
        sys.exit(2)
    binary = os.path.abspath(sys.argv[1])
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        fail_usage(f"{binary} is not an executable")
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = os.environ.get("ARCHLINT_CORPUS") or os.path.join(here, "..", "..", "shared", "corpus", "real")
    corpus = os.path.abspath(corpus)
    if not os.path.isdir(corpus):
        fail_usage(f"no corpus folder {corpus}")
    manifest = os.path.join(corpus, "MANIFEST.tsv")
    if not os.path.isfile(manifest):
        fail_usage(f"no {manifest}")
    with open(manifest, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing_cols = {"file", "path", "notes"} - set(reader.fieldnames or [])
        if missing_cols:
            fail_usage(f"MANIFEST.tsv lacks column(s) {', '.join(sorted(missing_cols))}")
        rows = {}
        for r in reader:
            if r.get("file"):
                rows[r["file"]] = r

    profiles = builtin_profiles(binary)
    profiles = ["core"] + [p for p in profiles if p != "core"]
    docs = sorted(n for n in os.listdir(corpus)
                  if n.endswith(".md") and os.path.isfile(os.path.join(corpus, n)))
    if not docs:
        fail_usage(f"no documents in {corpus}")

    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="archlint-in-place.", dir=scratch_dir())
    results = {}
    skipped_docs = []
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = {}
            for i, name in enumerate(docs):
                row = rows.get(name)
                if row is None:
                    results[name] = {"name": name, "skip": "not in MANIFEST.tsv: in-place checks skipped"}
                    continue
                futures[pool.submit(check_document, binary, profiles, row, corpus, work, i)] = name
            for fut in concurrent.futures.as_completed(futures):
                name = futures[fut]
                try:
                    results[name] = fut.result()
                except Exception as e:  # a bug of this script: report, do not hide
                    results[name] = {"name": name, "skip": None, "why": [f"judge crashed: {shown(repr(e))}"],
                                     "runs": {}, "dead": [], "dym": [], "ms": 0, "info": []}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name in sorted(rows):
        if name not in results:
            print(f"# MANIFEST.tsv lists {shown(name)}, which is not in {shown(corpus)}: skipped")

    failed = 0
    for name in docs:
        r = results[name]
        if r.get("skip"):
            skipped_docs.append(name)
            print(f"ok     {'':>7} {shown(name)} # SKIP {shown(r['skip'])}")
            continue
        auto = r["runs"].get("auto", {})
        falses = sum(1 for x in r["dead"] if x[3] == "FALSE ALARM")
        summary = (f"core={count_or_q(errors(r['runs'].get('core', {})))} "
                   f"auto={auto_choice(auto)}:{count_or_q(errors(auto))} "
                   f"dead-ref={len(r['dead'])} false={falses}")
        status = "not ok" if r["why"] else "ok    "
        if r["why"]:
            failed += 1
        print(f"{status} {r['ms']:5d}ms {summary} {shown(name)}")
        for w in r["info"]:
            print(f"#   note: {shown(w)}")
        for w in r["why"]:
            print(f"#   {shown(w)}")

    judged = [results[n] for n in docs if not results[n].get("skip")]

    print()
    print("== dead-reference findings under core, judged against the tree listing ==")
    rows_out = [(shown(r["name"]), str(line), shown(target), kind, verdict, shown(note))
                for r in judged for (line, target, kind, verdict, note) in r["dead"]]
    counts = {}
    for x in rows_out:
        counts[x[4]] = counts.get(x[4], 0) + 1
    print(table(("document", "line", "target", "kind", "verdict", "note"), rows_out) if rows_out else "(none)")
    print("# verdicts: " + (", ".join(f"{v}={n}" for v, n in sorted(counts.items())) or "none"))

    print()
    print("== missing-section findings with a suggestion (for review) ==")
    rows_out = [(shown(r["name"]), prof if prof == "core" else f"auto({auto_choice(r['runs'].get('auto', {}))})",
                 str(line), shown(req), shown(sugg))
                for r in judged for (prof, line, req, sugg) in r["dym"]]
    print(table(("document", "profile", "line", "required section", "suggested heading"), rows_out)
          if rows_out else "(none)")

    print()
    print("== errors per profile (exit code in brackets when not 1 with errors / 0 without) ==")
    header = ["document"] + profiles + ["auto chose", "auto", "passing"]
    rows_out = []
    for r in judged:
        cells = [shown(r["name"])]
        for p in profiles + ["auto"]:
            run = r["runs"].get(p, {})
            e, code = errors(run), run.get("code")
            cell = "?" if e is None else str(e)
            if code is None or (code != (1 if e else 0)):
                cell += f"[{code}]"
            if p == "auto":
                cells.append(shown(auto_choice(run)))
            cells.append(cell)
        cells.append(",".join(p for p in profiles if r["runs"].get(p, {}).get("code") == 0) or "-")
        rows_out.append(cells)
    print(table(header, rows_out))

    n = len(docs)
    elapsed = time.monotonic() - started
    skip_note = f", {len(skipped_docs)} skipped" if skipped_docs else ""
    print()
    if failed:
        print(f"FAIL: corpus in place: {failed} of {n} documents{skip_note} ({elapsed:.1f}s)")
        sys.exit(1)
    print(f"PASS: corpus in place: {n} documents{skip_note} ({elapsed:.1f}s)")


if __name__ == "__main__":
    main()
