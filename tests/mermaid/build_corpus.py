#!/usr/bin/env python3
"""Build tests/mermaid/snippets.jsonl from Mermaid's own repository.

    python3 tests/mermaid/build_corpus.py MERMAID_REPO_GIT_DIR [--commit REV]

MERMAID_REPO_GIT_DIR is a clone (bare or not) of github.com/mermaid-js/mermaid (MIT).
The script reads, at one commit, the diagrams the project ships:

- every ```mermaid / ```mermaid-example block of its documentation
  (packages/mermaid/src/docs), and
- every string literal in its test suites (parser unit tests, the Langium parser
  tests, the Cypress rendering tests) whose text is a diagram: it starts, after
  Mermaid's own preamble (blank lines, %% comments, front matter, directives),
  with a diagram keyword.

Each original is then mutated the ways people break diagrams (a token deleted,
duplicated or swapped; a bracket or quote unbalanced; an arrow broken; a keyword
misspelt; a line indented wrongly; a `:` dropped), two mutations per original,
chosen by a random generator seeded from the original's text, so the output is the
same on every run. Mutations that leave the text unchanged or repeat another snippet
are dropped. Whether a snippet is valid is not decided here: oracle/judge.mjs asks
Mermaid and writes verdicts.jsonl.

Every line of the output is one snippet:
{"id", "kind", "origin", "mutation", "source"}; `id` is the kind and a hash of the
original's text (plus the mutation's name), so ids survive reordering upstream.
"""

import argparse
import hashlib
import json
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Header keyword -> kind, longest spelling first where one is a prefix of another.
# Kinds newer than the pinned Mermaid are kept: Mermaid's verdict says what it makes of them.
KINDS = [
    ("flowchart-elk", "flowchart"),
    ("flowchart", "flowchart"),
    ("graph", "flowchart"),
    ("swimlane-beta", "swimlane"),
    ("sequenceDiagram", "sequence"),
    ("classDiagram-v2", "class"),
    ("classDiagram", "class"),
    ("stateDiagram-v2", "state"),
    ("stateDiagram", "state"),
    ("erDiagram", "er"),
    ("journey", "journey"),
    ("gantt", "gantt"),
    ("pie", "pie"),
    ("quadrantChart", "quadrant"),
    ("requirementDiagram", "requirement"),
    ("gitGraph", "gitgraph"),
    ("C4Context", "c4"),
    ("C4Container", "c4"),
    ("C4Component", "c4"),
    ("C4Dynamic", "c4"),
    ("C4Deployment", "c4"),
    ("mindmap", "mindmap"),
    ("timeline", "timeline"),
    ("sankey-beta", "sankey"),
    ("sankey", "sankey"),
    ("xychart-beta", "xychart"),
    ("xychart", "xychart"),
    ("block-beta", "block"),
    ("block", "block"),
    ("packet-beta", "packet"),
    ("packet", "packet"),
    ("kanban", "kanban"),
    ("architecture-beta", "architecture"),
    ("architecture", "architecture"),
    ("radar-beta", "radar"),
    ("radar", "radar"),
    ("treemap-beta", "treemap"),
    ("treemap", "treemap"),
    ("info", "info"),
    ("eventmodeling", "eventmodeling"),
    ("treeView-beta", "treeview"),
    ("treeView", "treeview"),
    ("ishikawa-beta", "ishikawa"),
    ("ishikawa", "ishikawa"),
    ("venn-beta", "venn"),
    ("wardley-beta", "wardley"),
    ("cynefin-beta", "cynefin"),
    ("railroad-beta", "railroad"),
    ("zenuml", "zenuml"),
]
KEYWORD_RE = re.compile(
    r"(" + "|".join(re.escape(k) for k, _ in KINDS) + r")(?![\w-])"
)
KIND_OF = dict(KINDS)

MUTATIONS_PER_ORIGINAL = 2
MAX_SOURCE_BYTES = 16_000


def git(repo, *args):
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args],
        check=True,
        capture_output=True,
    ).stdout


def files_at(repo, commit):
    names = git(repo, "ls-tree", "-r", "--name-only", commit).decode().splitlines()
    docs = [
        n
        for n in names
        if n.startswith("packages/mermaid/src/docs/") and n.endswith(".md")
    ]
    tests = [
        n
        for n in names
        if re.search(r"\.(spec|test)\.(js|ts|mjs)$", n)
        and (n.startswith("packages/") or n.startswith("cypress/integration/"))
    ]
    return sorted(docs), sorted(tests)


def strip_preamble(text):
    """The text from the diagram keyword on, past what Mermaid skips first."""
    rest = text.lstrip()
    if rest.startswith("---"):
        end = re.search(r"\n---[ \t]*(\n|$)", rest[3:])
        if not end:
            return None
        rest = rest[3 + end.end():].lstrip()
    while True:
        if rest.startswith("%%{"):
            end = rest.find("}%%")
            if end < 0:
                return None
            rest = rest[end + 3:].lstrip()
        elif rest.startswith("%%"):
            nl = rest.find("\n")
            if nl < 0:
                return None
            rest = rest[nl + 1:].lstrip()
        else:
            return rest


def kind_of(text):
    rest = strip_preamble(text)
    if rest is None:
        return None
    m = KEYWORD_RE.match(rest)
    return KIND_OF[m.group(1)] if m else None


FENCE_RE = re.compile(r"^(```+|~~~+)[ \t]*(mermaid(?:-example|-nocode)?)\b[^\n]*\n", re.M)


def from_markdown(text):
    for m in FENCE_RE.finditer(text):
        fence = m.group(1)
        body_start = m.end()
        close = re.compile(r"^" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        end = close.search(text, body_start)
        if not end:
            continue
        yield text[:body_start].count("\n") + 1, text[body_start:end.start()].rstrip("\n")


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "`": "`", "0": "\0", "$": "$", "b": "\b", "f": "\f", "v": "\v"}


def unescape(s):
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\" or i + 1 >= len(s):
            out.append(c)
            i += 1
            continue
        n = s[i + 1]
        if n == "u" and re.match(r"[0-9a-fA-F]{4}", s[i + 2:i + 6]):
            out.append(chr(int(s[i + 2:i + 6], 16)))
            i += 6
        elif n == "x" and re.match(r"[0-9a-fA-F]{2}", s[i + 2:i + 4]):
            out.append(chr(int(s[i + 2:i + 4], 16)))
            i += 4
        elif n == "\n":
            i += 2
        else:
            out.append(ESCAPES.get(n, n))
            i += 2
    return "".join(out)


def from_script(text):
    """String literals of a JS/TS file: (line, value) for each one without interpolation."""
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("//", i):
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c in "'\"`":
            j = i + 1
            interpolated = False
            while j < n and text[j] != c:
                if text[j] == "\\":
                    j += 2
                    continue
                if c != "`" and text[j] == "\n":
                    break
                if c == "`" and text.startswith("${", j):
                    interpolated = True
                    # skip the expression, nesting braces
                    depth = 0
                    while j < n:
                        if text[j] == "{":
                            depth += 1
                        elif text[j] == "}":
                            depth -= 1
                            if depth == 0:
                                break
                        j += 1
                j += 1
            if j >= n:
                return
            if not interpolated and text[j] == c:
                yield text[:i].count("\n") + 1, unescape(text[i + 1:j])
            i = j + 1
            continue
        i += 1


def originals(repo, commit):
    docs, tests = files_at(repo, commit)
    found = []
    for path in docs:
        text = git(repo, "show", f"{commit}:{path}").decode("utf-8", "replace")
        for line, body in from_markdown(text):
            found.append((f"{path}:{line}", body))
    for path in tests:
        text = git(repo, "show", f"{commit}:{path}").decode("utf-8", "replace")
        for line, value in from_script(text):
            found.append((f"{path}:{line}", value))
    seen = set()
    out = []
    for origin, source in found:
        if "\n" not in source.strip() and len(source) < 12:
            continue
        if len(source.encode()) > MAX_SOURCE_BYTES:
            continue
        kind = kind_of(source)
        if kind is None or source in seen:
            continue
        seen.add(source)
        out.append({"kind": kind, "origin": origin, "source": source})
    return out


# ---- mutations -------------------------------------------------------------

TOKEN_RE = re.compile(r"\w+|[^\w\s]+")
ARROW_RE = re.compile(r"[-=.<>ox*|()+~]*[-=.][-=.<>ox*|()+~]*[<>x*|)]|[<x*o(][-=.]+[-=.<>ox*|()+~]*")


def body_lines(source):
    """Indices of the lines after the header line that hold something."""
    lines = source.split("\n")
    header = None
    rest_start = len(source) - len(strip_preamble(source) or "")
    offset = 0
    for idx, line in enumerate(lines):
        if offset + len(line) >= rest_start:
            header = idx
            break
        offset += len(line) + 1
    if header is None:
        return lines, []
    return lines, [
        i
        for i in range(header + 1, len(lines))
        if lines[i].strip() and not lines[i].lstrip().startswith("%%")
    ]


def tokens(line):
    return [(m.start(), m.end()) for m in TOKEN_RE.finditer(line)]


def m_delete_token(rng, lines, idx):
    i = rng.choice(idx)
    toks = tokens(lines[i])
    if not toks:
        return None
    a, b = rng.choice(toks)
    lines[i] = lines[i][:a] + lines[i][b:]
    return lines


def m_duplicate_token(rng, lines, idx):
    i = rng.choice(idx)
    toks = tokens(lines[i])
    if not toks:
        return None
    a, b = rng.choice(toks)
    lines[i] = lines[i][:b] + " " + lines[i][a:b] + lines[i][b:]
    return lines


def m_swap_tokens(rng, lines, idx):
    cands = [i for i in idx if len(tokens(lines[i])) >= 2]
    if not cands:
        return None
    i = rng.choice(cands)
    toks = tokens(lines[i])
    k = rng.randrange(len(toks) - 1)
    (a1, b1), (a2, b2) = toks[k], toks[k + 1]
    line = lines[i]
    lines[i] = line[:a1] + line[a2:b2] + line[b1:a2] + line[a1:b1] + line[b2:]
    return lines


def m_unbalance_bracket(rng, lines, idx):
    spots = [(i, j) for i in idx for j, c in enumerate(lines[i]) if c in "[](){}"]
    if not spots:
        return None
    i, j = rng.choice(spots)
    lines[i] = lines[i][:j] + lines[i][j + 1:]
    return lines


def m_unbalance_quote(rng, lines, idx):
    spots = [(i, j) for i in idx for j, c in enumerate(lines[i]) if c == '"']
    if not spots:
        return None
    i, j = rng.choice(spots)
    lines[i] = lines[i][:j] + lines[i][j + 1:]
    return lines


def m_break_arrow(rng, lines, idx):
    spots = [(i, m.start(), m.end()) for i in idx for m in ARROW_RE.finditer(lines[i]) if m.end() - m.start() >= 2]
    if not spots:
        return None
    i, a, b = rng.choice(spots)
    arrow = lines[i][a:b]
    how = rng.randrange(3)
    if how == 0:
        k = rng.randrange(len(arrow))
        broken = arrow[:k] + arrow[k + 1:]
    elif how == 1:
        k = rng.randrange(1, len(arrow))
        broken = arrow[:k] + rng.choice("<>x-|") + arrow[k:]
    else:
        k = rng.randrange(1, len(arrow))
        broken = arrow[:k] + " " + arrow[k:]
    if broken == arrow:
        return None
    lines[i] = lines[i][:a] + broken + lines[i][b:]
    return lines


def misspell(word, rng):
    if len(word) < 3:
        return None
    k = rng.randrange(1, len(word) - 1)
    if rng.randrange(2) == 0:
        out = word[:k] + word[k + 1] + word[k] + word[k + 2:]
    else:
        out = word[:k] + word[k + 1:]
    return out if out != word else None


def m_misspell_keyword(rng, lines, idx):
    cands = []
    for i in idx:
        m = re.match(r"\s*([A-Za-z][A-Za-z_-]{2,})", lines[i])
        if m:
            cands.append((i, m.start(1), m.end(1)))
    if not cands:
        return None
    i, a, b = rng.choice(cands)
    word = misspell(lines[i][a:b], rng)
    if word is None:
        return None
    lines[i] = lines[i][:a] + word + lines[i][b:]
    return lines


def m_misspell_header(rng, lines, idx):
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        m = KEYWORD_RE.match(stripped)
        if m and (not idx or i < idx[0]):
            a = len(line) - len(stripped)
            word = misspell(m.group(1), rng)
            if word is None:
                return None
            lines[i] = line[:a] + word + stripped[len(m.group(1)):]
            return lines
    return None


def m_indent(rng, lines, idx):
    i = rng.choice(idx)
    line = lines[i]
    stripped = line.lstrip()
    if line != stripped and rng.randrange(2) == 0:
        lines[i] = stripped
    else:
        lines[i] = " " * rng.choice([1, 3, 8]) + line
    return lines


def m_drop_colon(rng, lines, idx):
    spots = [(i, j) for i in idx for j, c in enumerate(lines[i]) if c == ":"]
    if not spots:
        return None
    i, j = rng.choice(spots)
    lines[i] = lines[i][:j] + lines[i][j + 1:]
    return lines


MUTATIONS = [
    ("delete-token", m_delete_token),
    ("duplicate-token", m_duplicate_token),
    ("swap-tokens", m_swap_tokens),
    ("unbalance-bracket", m_unbalance_bracket),
    ("unbalance-quote", m_unbalance_quote),
    ("break-arrow", m_break_arrow),
    ("misspell-keyword", m_misspell_keyword),
    ("indent", m_indent),
    ("drop-colon", m_drop_colon),
    ("misspell-header", m_misspell_header),
]


def mutations(original, seen):
    source = original["source"]
    rng = random.Random(hashlib.sha256(source.encode()).digest())
    order = list(MUTATIONS)
    rng.shuffle(order)
    out = []
    for name, fn in order:
        if len(out) == MUTATIONS_PER_ORIGINAL:
            break
        # The header misspelling is the cheapest catch; keep it rare.
        if name == "misspell-header" and rng.randrange(6) != 0:
            continue
        lines, idx = body_lines(source)
        if not idx and name != "misspell-header":
            continue
        mutated = fn(rng, list(lines), idx)
        if mutated is None:
            continue
        text = "\n".join(mutated)
        if text == source or text in seen:
            continue
        seen.add(text)
        out.append((name, text))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("repo", type=Path, help="the mermaid repository's git directory")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--out", type=Path, default=HERE / "snippets.jsonl")
    args = ap.parse_args()
    repo = args.repo
    if (repo / ".git").exists():
        repo = repo / ".git"
    commit = git(repo, "rev-parse", args.commit).decode().strip()
    found = originals(repo, commit)
    seen = {o["source"] for o in found}
    rows = []
    for o in found:
        digest = hashlib.sha256(o["source"].encode()).hexdigest()[:10]
        base = f"{o['kind']}-{digest}"
        rows.append({"id": base, "kind": o["kind"], "origin": o["origin"], "mutation": None, "source": o["source"]})
        for name, text in mutations(o, seen):
            rows.append({"id": f"{base}-{name}", "kind": o["kind"], "origin": o["origin"], "mutation": name, "source": text})
    rows.sort(key=lambda r: (r["kind"], r["id"]))
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(args.out)
    (HERE / "SOURCE").write_text(
        f"mermaid-js/mermaid {commit}\n", encoding="utf-8"
    )
    kinds = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"{len(found)} originals, {len(rows)} snippets from mermaid {commit[:12]}", file=sys.stderr)
    for k in sorted(kinds):
        print(f"  {k:14} {kinds[k]}", file=sys.stderr)


if __name__ == "__main__":
    main()
