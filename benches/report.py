#!/usr/bin/env python3
"""Turn the benchmark's raw output into checks and Markdown tables (stdlib only).

    report.py verify    CORPUS LOGDIR TOOL...   which files each tool flagged vs the manifest
    report.py table     CORPUS LOGDIR           one table: wall median, files/s, MB/s, RSS, ratios
    report.py linearity LOGDIR...               archlint and floor time against document size
    report.py latency   CORPUS LOGDIR           one-document latency table
    report.py merge     OUT ROUND...            hyperfine JSON of rounds merged into one

LOGDIR holds what benches/run.sh and benches/peers.sh wrote for a corpus: `<tool>.out`,
`<tool>.err` and `<tool>.time` (GNU time -v) from one run of each tool, and hyperfine's
`hyperfine*.json`. Nothing here asserts a timing: it only reports.
"""

import glob
import json
import os
import re
import sys

ORDER = ["archlint", "floor-read", "floor-parse-1t", "floor-parse-2t", "floor-parse-1t-mi", "floor-parse-2t-mi", "rumdl", "mdschema", "markdownlint-cli2"]
PEERS = {"rumdl", "mdschema", "markdownlint-cli2"}
FLOORS = {"floor-read", "floor-parse-1t", "floor-parse-2t", "floor-parse-1t-mi", "floor-parse-2t-mi"}
STRUCTURAL = {"removed", "demoted"}
STRUCTURAL_RULES = {"missing-section", "heading-level"}


def manifest(corpus):
    with open(os.path.join(corpus, "manifest.json")) as f:
        return json.load(f)


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def norm(corpus, p):
    """A reported path, relative to the corpus. Tools print paths relative to the working
    directory (the corpus), to a project root they found above it, or absolute."""
    p = p.strip()
    if os.path.isabs(p):
        return os.path.normpath(os.path.relpath(p, corpus))
    base = os.path.abspath(corpus)
    while True:
        if os.path.exists(os.path.join(base, p)):
            return os.path.normpath(os.path.relpath(os.path.join(base, p), corpus))
        up = os.path.dirname(base)
        if up == base:
            return os.path.normpath(p)
        base = up


def flagged(tool, corpus, logs):
    """The set of document paths (relative to the corpus) a tool reported."""
    out = read(os.path.join(logs, tool + ".out"))
    err = read(os.path.join(logs, tool + ".err"))
    files = set()
    if tool.startswith("archlint"):
        structural = set()
        try:
            data = json.loads(out)
        except ValueError:
            return None, None
        for f in data.get("files", []):
            rules = {d["rule"] for d in f.get("diagnostics", [])}
            if rules:
                files.add(norm(corpus, f["path"]))
            if rules & STRUCTURAL_RULES:
                structural.add(norm(corpus, f["path"]))
        return files, structural
    if tool == "markdownlint-cli2":
        for line in (out + "\n" + err).splitlines():
            m = re.match(r"^(\S+\.md):\d+(?::\d+)? .*MD043", line)
            if m:
                files.add(norm(corpus, m.group(1)))
    elif tool == "rumdl":
        for line in (out + "\n" + err).splitlines():
            m = re.match(r"^(\S+\.md):\d+:\d+: \[MD043\]", line)
            if m:
                files.add(norm(corpus, m.group(1)))
    elif tool == "mdschema":
        current = None
        for line in (out + "\n" + err).splitlines():
            if line and not line[0].isspace() and line.rstrip().endswith(".md"):
                current = norm(corpus, line)
            elif current and line.strip().startswith("✗"):
                files.add(current)
    return files, None


def verify(corpus, logs, tools):
    m = manifest(corpus)
    docs = m["files"]
    kinds = {}
    for d in docs:
        if d["defect"]:
            kinds[d["defect"]] = kinds.get(d["defect"], 0) + 1
    any_defect = {os.path.normpath(d["path"]) for d in docs if d["defect"]}
    structural = {os.path.normpath(d["path"]) for d in docs if d["defect"] in STRUCTURAL}
    name = os.path.basename(os.path.normpath(corpus))
    print(f"\nVerification on {name}: {len(docs)} documents, {len(any_defect)} with a defect "
          f"({', '.join(f'{v} {k}' for k, v in sorted(kinds.items())) or 'none'}); "
          f"{len(structural)} break the required headings (removed or demoted section).")
    rows = []
    result = {}
    for tool in tools:
        if tool.startswith("archlint"):
            got_all, got_struct = flagged(tool, corpus, logs)
            if got_all is None:
                rows.append((tool, "-", "-", "-", "-", "NO JSON OUTPUT"))
                result[tool] = False
                continue
            checks = [("archlint (any finding)", got_all, any_defect),
                      ("archlint (missing-section, heading-level)", got_struct, structural)]
        else:
            got, _ = flagged(tool, corpus, logs)
            checks = [(tool, got, structural)]
        for label, got, want in checks:
            missed, extra = want - got, got - want
            ok = not missed and not extra
            result[label] = ok
            verdict = "same files" if ok else "MISMATCH"
            if missed:
                verdict += f"; missed e.g. {sorted(missed)[0]}"
            if extra:
                verdict += f"; extra e.g. {sorted(extra)[0]}"
            rows.append((label, len(got), len(want), len(missed), len(extra), verdict))
    w = max(len(r[0]) for r in rows)
    print(f"  {'tool':<{w}}  flags  expected  missed  extra  verdict")
    for r in rows:
        print(f"  {r[0]:<{w}}  {r[1]:>5}  {r[2]:>8}  {r[3]:>6}  {r[4]:>5}  {r[5]}")
    with open(os.path.join(logs, "verify.json"), "w") as f:
        json.dump(result, f, indent=1)
    return all(result.values())


def peak_rss_kib(logs, tool):
    text = read(os.path.join(logs, tool + ".time"))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(m.group(1)) if m else None


def hyperfine_results(logs):
    res = {}
    for path in sorted(glob.glob(os.path.join(logs, "hyperfine*.json"))):
        with open(path) as f:
            for r in json.load(f)["results"]:
                res[r["command"]] = r
    return res


def merge(out, rounds):
    """Merge the hyperfine JSON of several rounds (each holding one run or a few of
    every command) into one file of the same shape: per command, every round's times
    and the statistics recomputed from them."""
    merged = {}
    for path in rounds:
        with open(path) as f:
            for r in json.load(f)["results"]:
                m = merged.setdefault(r["command"], {"command": r["command"], "times": [], "exit_codes": [], "user": [], "system": []})
                m["times"] += r["times"]
                m["exit_codes"] += r.get("exit_codes") or []
                # hyperfine gives mean user and system times per invocation.
                m["user"] += [r["user"]] * len(r["times"])
                m["system"] += [r["system"]] * len(r["times"])
    results = []
    for m in merged.values():
        t = sorted(m["times"])
        n = len(t)
        mean = sum(t) / n
        m["mean"] = mean
        m["median"] = t[n // 2] if n % 2 else (t[n // 2 - 1] + t[n // 2]) / 2
        m["stddev"] = (sum((x - mean) ** 2 for x in t) / (n - 1)) ** 0.5 if n > 1 else None
        m["min"], m["max"] = t[0], t[-1]
        m["user"] = sum(m["user"]) / n
        m["system"] = sum(m["system"]) / n
        results.append(m)
    with open(out, "w") as f:
        json.dump({"results": results}, f, indent=2)


def fmt_time(s):
    if s is None:
        return "-"
    if s < 1:
        return f"{s * 1000:.1f} ms"
    return f"{s:.2f} s"


def cpus(r):
    """Cores busy on average: CPU time (user + system) over wall time, both means."""
    if r.get("user") is None or r.get("system") is None or not r.get("mean"):
        return "-"
    return f"{(r['user'] + r['system']) / r['mean']:.2f}"


def fmt_rss(kib):
    if kib is None:
        return "-"
    return f"{kib / 1024:.0f} MiB" if kib >= 10240 else f"{kib / 1024:.1f} MiB"


def verified(logs):
    try:
        with open(os.path.join(logs, "verify.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def table(corpus, logs, title=None):
    m = manifest(corpus)
    n, mb = m["documents"], m["bytes"] / 1e6
    res = hyperfine_results(logs)
    ver = verified(logs)
    name = title or os.path.basename(os.path.normpath(corpus))
    arch = res.get("archlint", {}).get("median")
    print(f"\n### {name}: {n:,} document{'s' if n != 1 else ''}, {mb:.1f} MB\n")
    print("| tool | runs | wall median | CPUs used | files/s | MB/s | peak RSS | peer / archlint | archlint / floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool in ORDER + sorted(set(res) - set(ORDER)):
        r = res.get(tool)
        if not r:
            continue
        med = r["median"]
        runs = len(r.get("times") or [])
        peer = f"{med / arch:.1f}x" if tool in PEERS and arch else ""
        floor = f"{arch / med:.2f}x" if tool in FLOORS and arch else ""
        label = tool
        if tool in PEERS and ver.get(tool) is False:
            label += " (flags differ!)"
        print(f"| {label} | {runs} | {fmt_time(med)} | {cpus(r)} | {n / med:,.0f} | {mb / med:,.1f} | "
              f"{fmt_rss(peak_rss_kib(logs, tool))} | {peer} | {floor} |")


def linearity(dirs):
    rows = []
    for logs in dirs:
        corpus = read(os.path.join(logs, "corpus")).strip()
        mb = manifest(corpus)["bytes"] / 1e6
        res = hyperfine_results(logs)
        rows.append((mb, res))
    rows.sort(key=lambda r: r[0])
    print("\n### Linearity: one document of growing size\n")
    print("| document | archlint | archlint per MB | floor parse (1 thread) | floor per MB | archlint / floor | "
          "floor with mimalloc | archlint / that floor | archlint peak RSS |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (mb, res), logs in zip(rows, sorted(dirs, key=lambda d: manifest(read(os.path.join(d, 'corpus')).strip())["bytes"])):
        a = res.get("archlint", {}).get("median")
        f = res.get("floor-parse-1t", {}).get("median")
        fm = res.get("floor-parse-1t-mi", {}).get("median")
        print(f"| {mb:.2f} MB | {fmt_time(a)} | {fmt_time(a / mb) if a else '-'} | {fmt_time(f)} | "
              f"{fmt_time(f / mb) if f else '-'} | {f'{a / f:.2f}x' if a and f else '-'} | "
              f"{fmt_time(fm)} | {f'{a / fm:.2f}x' if a and fm else '-'} | "
              f"{fmt_rss(peak_rss_kib(logs, 'archlint'))} |")
    if len(rows) >= 2:
        (m0, r0), (m1, r1) = rows[0], rows[-1]
        a0, a1 = r0.get("archlint", {}).get("median"), r1.get("archlint", {}).get("median")
        if a0 and a1:
            print(f"\nSize grows {m1 / m0:.1f}x from the smallest to the largest; archlint's time grows "
                  f"{a1 / a0:.1f}x (linear would be about {m1 / m0:.1f}x, plus a fixed start-up cost).")


def latency(corpus, logs):
    m = manifest(corpus)
    kb = m["bytes"] / 1024
    res = hyperfine_results(logs)
    arch = res.get("archlint", {}).get("median")
    print(f"\n### Per-file latency: one {kb:.1f} KiB document, whole process\n")
    print("| tool | runs | median | min | peak RSS | peer / archlint | archlint / floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool in ORDER:
        r = res.get(tool)
        if not r:
            continue
        med = r["median"]
        peer = f"{med / arch:.1f}x" if tool in PEERS and arch else ""
        floor = f"{arch / med:.1f}x" if tool in FLOORS and arch else ""
        print(f"| {tool} | {len(r.get('times') or [])} | {fmt_time(med)} | {fmt_time(r['min'])} | "
              f"{fmt_rss(peak_rss_kib(logs, tool))} | {peer} | {floor} |")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmd = sys.argv[1]
    if cmd == "verify":
        verify(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == "table":
        table(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif cmd == "linearity":
        linearity(sys.argv[2:])
    elif cmd == "latency":
        latency(sys.argv[2], sys.argv[3])
    elif cmd == "merge":
        merge(sys.argv[2], sys.argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
