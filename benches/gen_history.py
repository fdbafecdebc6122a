#!/usr/bin/env python3
"""Build a git repository with a long history for the doc-drift benchmark.

    python3 benches/gen_history.py OUT [--commits 10000] [--files 2000] [--docs 20]

OUT becomes a repository whose first-parent history has COMMITS commits, one a
day ending on 2026-11-30, each changing three of FILES source files (a merge every
fiftieth commit brings in a side branch of two commits). DOCS architecture documents
under docs/ reference twenty source files each and carry a "Last Updated" date from
early in the history, so most of their references have changed since. The history is
written with `git fast-import` in one pass, so 10,000 commits take a few seconds.
"""

import argparse
import random
import subprocess
from pathlib import Path

DAY = 86400
END = 1796083200  # 2026-11-30T00:00:00Z


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--commits", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=2_000)
    ap.add_argument("--docs", type=int, default=20)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=False)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    rng = random.Random(7)
    files = [f"src/mod{i % 50:02}/file{i:05}.rs" for i in range(a.files)]
    start = END - a.commits * DAY
    stream = []
    mark = 0

    def blob(text: str) -> int:
        nonlocal mark
        mark += 1
        data = text.encode()
        stream.append(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data))
        return mark

    def commit(ref: str, when: int, msg: str, changes, parents) -> int:
        nonlocal mark
        mark += 1
        head = b"commit %s\nmark :%d\n" % (ref.encode(), mark)
        who = b"Bench <bench@example.com> %d +0000\n" % when
        body = msg.encode()
        lines = [head, b"author " + who, b"committer " + who, b"data %d\n%s\n" % (len(body), body)]
        for i, p in enumerate(parents):
            lines.append(b"%s :%d\n" % (b"from" if i == 0 else b"merge", p))
        for path, m in changes:
            lines.append(b"M 100644 :%d %s\n" % (m, path.encode()))
        stream.append(b"".join(lines) + b"\n")
        return mark

    doc_day = start + (a.commits // 10) * DAY
    first = [(f, blob(f"// {f}\n")) for f in files]
    for d in range(a.docs):
        refs = rng.sample(files, 20)
        date = __import__("time").strftime("%Y-%m-%d", __import__("time").gmtime(doc_day))
        body = f"# Service {d}\n\n**Last Updated**: {date}\n\n## Key Files\n\n"
        body += "".join(f"- `{r}`\n" for r in refs)
        first.append((f"docs/service{d:03}.md", blob(body)))
    tip = commit("refs/heads/main", start, "initial", first, [])
    for n in range(1, a.commits):
        when = start + n * DAY
        changes = [(f, blob(f"// {f} at {n}\n")) for f in rng.sample(files, 3)]
        if n % 50 == 0:
            side = commit("refs/heads/side", when - 3600, f"side {n}", changes[:1], [tip])
            side = commit("refs/heads/side", when - 1800, f"side {n}b", changes[1:2], [side])
            tip = commit("refs/heads/main", when, f"merge {n}", changes[2:], [tip, side])
        else:
            tip = commit("refs/heads/main", when, f"change {n}", changes, [tip])
    subprocess.run(["git", "-C", str(out), "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", str(out), "checkout", "-q", "main"], check=True)
    subprocess.run(["git", "-C", str(out), "gc", "-q"], check=True)


if __name__ == "__main__":
    main()
