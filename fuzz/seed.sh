#!/usr/bin/env bash
# Seed the fuzz corpora from the repository's fixtures (corpus/ is not committed).
#   corpus/document: every Markdown fixture and doc
#   corpus/profile:  every built-in and fixture profile, and the configs in fixtures
#   corpus/mermaid:  the conformance set's sources and the fixtures' mermaid blocks
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")"
root=..
mkdir -p corpus/document corpus/profile corpus/mermaid
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
echo "document: $n seeds, profile: $m seeds"
