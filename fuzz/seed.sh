#!/usr/bin/env bash
# Seed the fuzz corpora from the repository's fixtures (corpus/ is not committed).
#   corpus/document: every Markdown fixture and doc
#   corpus/profile:  every built-in and fixture profile, and the configs in fixtures
#   corpus/mermaid:  the conformance set's sources and the fixtures' mermaid blocks
#   corpus/command:  each fixture folder as a repository tree with a command line, and
#                    hand-written hostile trees (see the `command` section of README.md)
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")"
root=..
mkdir -p corpus/document corpus/profile corpus/mermaid corpus/command
n=0
while IFS= read -r -d '' f; do
  cp -- "$f" "corpus/document/$(sha1sum -- "$f" | cut -c1-16).md"
  n=$((n + 1))
done < <(find "$root/tests/fixtures" "$root/docs" -name '*.md' -type f -print0)
m=0
while IFS= read -r -d '' f; do
  cp -- "$f" "corpus/profile/$(sha1sum -- "$f" | cut -c1-16).toml"
  m=$((m + 1))
done < <(find "$root/rules" "$root/tests/fixtures" -name '*.toml' -type f -print0)
# A configuration (the README's example), so the config parser has a seed too.
cat > corpus/profile/config-readme.toml <<'TOML'
profile = "comprehensive"
include = ["docs/**/*.md", "ARCHITECTURE.md"]
exclude = ["docs/archive/**"]

[rules]
section-order = "off"
empty-section = "error"

[rules.stale-date]
level = "error"
max-age-days = 180

[[overrides]]
files = ["services/*/ARCHITECTURE.md"]
profile = "service"

[[overrides]]
files = ["legacy/**"]
[overrides.rules]
placeholder = "warning"
TOML
python3 - "$root" <<'PY'
import hashlib, json, pathlib, re, sys
root = pathlib.Path(sys.argv[1])
out = pathlib.Path("corpus/mermaid")
bodies = [c["source"] for c in json.loads((root / "tests/fixtures/mermaid/conformance.json").read_text())]
fence = re.compile(r"^(```|~~~)mermaid[^\n]*\n(.*?)^\1", re.M | re.S)
for md in list((root / "tests/fixtures").rglob("*.md")) + list((root / "docs").rglob("*.md")):
    bodies += [m.group(2) for m in fence.finditer(md.read_text(errors="replace"))]
for b in bodies:
    (out / (hashlib.sha1(b.encode()).hexdigest()[:16] + ".mmd")).write_text(b)
print(f"mermaid: {len(bodies)} seeds")
PY
python3 - "$root" <<'PY'
# Seeds in the `command` target's format (fuzz_targets/command.rs): records separated
# by \x1e\x1e; the first is the header (knobs, one byte each, read in order), each
# other one an entry: a kind byte, the name, \x1f, the contents.
import hashlib, pathlib, sys
root = pathlib.Path(sys.argv[1])
out = pathlib.Path("corpus/command")
FORMATS = ["human", "short", "json", "github", "sarif", "junit", "checkstyle", "gitlab", "rdjsonl"]
FILE, LINK, DIR, FIFO, STDIN, GITIGNORE, CONFIG, PROFILE = 0, 3, 4, 5, 6, 7, 8, 9

def entry(kind, name, body=b""):
    name = name.encode() if isinstance(name, str) else name
    body = body.encode() if isinstance(body, str) else body
    return bytes([kind]) + name + b"\x1f" + body

def check(git=1, fmt="human", flags=0, maxw=None, prof=0, which=0, reports=(), output=None,
          workspace=False, paths=1, ea=0, eb=0, stdin_name=None):
    """The header of a `check`: mirrors `plan` in command.rs byte for byte."""
    h = [git, 0, FORMATS.index(fmt), flags | (4 if maxw is not None else 0)]
    if maxw is not None:
        h.append(maxw)
    h += [prof, which]
    r = (len(reports) + 1 if reports else 0) | (4 if output is not None else 0) | (8 if workspace else 0)
    h.append(r)
    for f, t, e in reports:
        h += [FORMATS.index(f), t, e]
    if output is not None:
        h += list(output)
    h += [paths, ea, eb]
    if paths & 32:
        h.append(stdin_name if stdin_name is not None else 0)
    return bytes(h)

def seed(name, header, entries):
    data = header + b"".join(b"\x1e\x1e" + e for e in entries)
    if len(data) > 60000:
        return 0
    (out / f"{name}-{hashlib.sha1(data).hexdigest()[:12]}").write_bytes(data)
    return 1

count = 0
# Every fixture folder with a profile: its files (up to 9) as the repository, checked
# with that profile, in each format in turn.
i = 0
for d in sorted(p for p in (root / "tests/fixtures").rglob("*") if p.is_dir()):
    files = sorted(f for f in d.rglob("*") if f.is_file() and f.stat().st_size < 12000)
    if not files:
        continue
    entries, prof = [], 0
    profile = d / "profile.toml"
    if not profile.exists():
        profile = d.parent / "profile.toml"
    if profile.exists():
        entries.append(entry(PROFILE, "profile.toml", profile.read_bytes()))
        prof = 13
    for f in files[:9 - len(entries)]:
        if f.name == "profile.toml":
            continue
        entries.append(entry(FILE, str(f.relative_to(d)), f.read_bytes()))
    fmt = FORMATS[i % len(FORMATS)]
    i += 1
    count += seed("fixture", check(git=1 + i % 2, fmt=fmt, prof=prof, paths=1), entries)
    count += seed("fixture-named", check(git=0, fmt="short", prof=prof, paths=2 | 128, ea=len(entries) - 1), entries)

doc = "# Architecture\n\n> Last updated: 2026-01-02\n\n## Overview\n\nOwned by [Team Name]. See [the plan](docs/plan.md) and `src/main.rs:3`.\n\n## Components\n\n```mermaid\nflowchart TD\n  A --> B\n```\n"
hostile = {
    # File names a terminal or CI log would interpret.
    "names": (check(fmt="github", paths=1), [
        entry(FILE, "docs/x\n::error file=README.md,line=1::forged\nARCHITECTURE.md", doc),
        entry(FILE, "\x1b]52;c;ZWNobw==\x07\u202etxt.md", doc),
        entry(FILE, "-rf.md", doc),
        entry(FILE, "caf\u00e9/\u00e9t\u00e9 \u2066x\u2069.md", doc),
        entry(FILE, b"bad\xff\xfename.md", doc),
    ]),
    "names-short": (check(fmt="short", paths=2 | 128, ea=0), [
        entry(FILE, "x\r\n::warning file=a::y\x9b31m.md", doc),
    ]),
    # Symlinks to every interesting place (one-byte bodies pick them: see link_target).
    "links": (check(fmt="human", paths=1), [
        entry(FILE, "ARCHITECTURE.md", doc + "\nSee `secret.txt`, `up/secret.txt`, [c](canary.txt), [z](zero.md), `null.md`, [d](dangling.md), [l](loop.md), `abs.txt`, `outside/secret.txt`.\n"),
        entry(LINK, "secret.txt", b"\x00"), entry(LINK, "canary.txt", b"\x01"),
        entry(LINK, "up", b"\x02"), entry(LINK, "zero.md", b"\x04"), entry(LINK, "null.md", b"\x05"),
        entry(LINK, "dangling.md", b"\x06"), entry(LINK, "loop.md", b"\x0a"), entry(LINK, "outside", b"\x08"),
    ]),
    # References through a link to the folder beside the repository: nothing there may be
    # suggested or quoted.
    "links-up": (check(fmt="json", paths=1), [
        entry(FILE, "docs/ARCHITECTURE.md", doc + "\nKey files:\n- `../up/secret.txt`\n- `../up/zz9071z.md`\n- [x](/up/repo/docs/ARCHITECTURE.md)\n"),
        entry(LINK, "up", b"\x02"),
    ]),
    # Reports and output written through links: out of the repository must be refused.
    "writes": (check(fmt="sarif", reports=[("json", 1, 1), ("junit", 2, 2)], output=(1, 3), paths=1), [
        entry(FILE, "ARCHITECTURE.md", doc),
        entry(LINK, "report.json", b"\x01"), entry(LINK, "reports", b"\x02"),
        entry(FIFO, "pipe.sarif"),
    ]),
    # A configuration, a profile, an extends and a front-matter choice leading outside.
    "config": (check(fmt="human", paths=1), [
        entry(CONFIG, "", 'profile = "../secret.toml"\ninclude = ["**/*.md", "../*.md"]\n'),
        entry(FILE, "ARCHITECTURE.md", "---\narchlint:\n  profile: up/zz9071z.toml\n---\n" + doc),
        entry(PROFILE, "p.toml", 'extends = "../../secret.txt"\n'),
        entry(LINK, "up", b"\x02"),
    ]),
    "config-link": (check(fmt="short", paths=1), [
        entry(LINK, "archlint.toml", b"\x00"),
        entry(FILE, "ARCHITECTURE.md", doc),
    ]),
    "profile-link": (check(fmt="human", prof=13, which=1, paths=1), [
        entry(FILE, "ARCHITECTURE.md", "<!-- archlint: profile=evil.toml -->\n" + doc),
        entry(LINK, "evil.toml", b"\x00"),
    ]),
    # Ignore files, hidden folders, a FIFO and /dev/zero where documents are looked for.
    "ignored": (check(git=2, fmt="short", flags=1, paths=1 | 4, eb=1), [
        entry(GITIGNORE, "", "docs/\n!docs/keep.md\n[\n\x1b[2J\n"),
        entry(FILE, "docs/ARCHITECTURE.md", doc),
        entry(FILE, ".hidden/ARCHITECTURE.md", doc),
        entry(FIFO, "fifo.md"), entry(LINK, "zero.md", b"\x04"),
    ]),
    # Standard input with a name that would forge an annotation.
    "stdin": (check(fmt="github", paths=32 | 64, stdin_name=1), [
        entry(STDIN, "x\n::error file=a,line=1::forged\n.md", doc + "\n[Date]\n"),
        entry(FILE, "docs/plan.md", "# Plan\n"),
    ]),
    "stdin-file": (check(fmt="rdjsonl", flags=2, paths=32, stdin_name=2), [
        entry(STDIN, "", "\u00e9t\u00e9 \x1b[31m[Date]\n"),
    ]),
    "no-git": (check(git=0, fmt="checkstyle", reports=[("gitlab", 0, 0)], workspace=True, paths=1), [
        entry(FILE, "a/ARCHITECTURE.md", doc), entry(LINK, "a/up", b"\x03"),
    ]),
}
for name, (header, entries) in hostile.items():
    count += seed(name, header, entries)
# The other commands.
profile = (root / "tests/fixtures/profiles/good/extends-core.toml").read_bytes()
others = {
    "rules": bytes([1, 14]),
    "explain": bytes([1, 15, 9]),
    "explain-name": bytes([1, 15, 23]),
    "profiles": bytes([1, 18]),
    "schema": bytes([1, 19, 1]),
    "profile-show": bytes([1, 16, 7, 0]),
    "profile-show-builtin": bytes([1, 16, 2, 0]),
    "init": bytes([1, 17, 6, 0, 0x81, 1]),
    "init-over": bytes([1, 17, 1, 0, 0x01, 1]),
    "init-default": bytes([1, 17, 0, 0, 3, 0]),
}
for name, header in others.items():
    count += seed(name, header, [
        entry(PROFILE, "p.toml", profile), entry(FILE, "ARCHITECTURE.md", doc),
        entry(LINK, "docs", b"\x02"),
    ])
print(f"command: {count} seeds")
PY
echo "document: $n seeds, profile: $m seeds"
