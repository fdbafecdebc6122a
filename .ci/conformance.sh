#!/usr/bin/env bash
# Conformance checks of archlint's integration files against the shared
# schemas and linters. Called by .ci/run only when ../shared exists.
#
# Usage: .ci/conformance.sh PATH-TO-ARCHLINT
#
# (The workflows are linted by .ci/actionlint.sh, which runs whether or not ../shared
# exists.)
#
# Tools come from PyPI only (the registries CI can reach) and are
# cached under ${TMPDIR:-/tmp} so reruns do not reinstall them. Each check
# prints one PASS or FAIL line; the script exits 1 if any check failed.
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared"
# Exported for checks that run the binary (e.g. SARIF validation).
export ARCHLINT_BIN="${1:?usage: .ci/conformance.sh PATH-TO-ARCHLINT}"

cache="${TMPDIR:-/tmp}/archlint-conformance"
venv="$cache/venv"
mkdir -p "$cache"

failed=0
pass() { echo "PASS: $*"; }
fail() {
  echo "FAIL: $*"
  failed=1
}

# --- tools ------------------------------------------------------------------
if ! "$venv/bin/python" -c 'import jsonschema, yaml, xxhash' 2>/dev/null; then
  { python3 -m venv "$venv" &&
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'jsonschema>=4.18,<5' 'pyyaml>=6,<7' 'xxhash>=3,<4'; } ||
    { echo "FAIL: could not install jsonschema, pyyaml and xxhash into $venv"; exit 1; }
fi

# validate SCHEMA DOCUMENT: YAML or JSON document against a JSON Schema.
validate() {
  "$venv/bin/python" - "$1" "$2" <<'PY'
import json, sys
import jsonschema, yaml

schema_path, doc_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(doc_path, encoding="utf-8") as f:
    doc = yaml.safe_load(f)
validator = jsonschema.validators.validator_for(schema)(schema)
errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
for err in errors:
    # best_match descends into anyOf/oneOf to the most specific failure.
    err = jsonschema.exceptions.best_match([err])
    where = "/".join(str(p) for p in err.absolute_path) or "(root)"
    message = err.message if len(err.message) <= 300 else err.message[:300] + "…"
    print(f"  {doc_path}: {where}: {message}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

# --- checks -----------------------------------------------------------------
check_schema() {
  local doc="$1" schema="$2"
  if validate "$shared/schemas/$schema" "$root/$doc"; then
    pass "$doc validates against schemas/$schema"
  else
    fail "$doc does not validate against schemas/$schema"
  fi
}
check_schema action.yml github-action.json
check_schema .pre-commit-hooks.yaml pre-commit-hooks.json

# --- built-in example digests against the templates --------------------------
# Every digest a built-in profile lists must be the digest of a fenced block of the
# template it was derived from (placeholders::digest, computed here independently: the
# block's text with whitespace runs folded to one space; the top 16 bits of XXH3-64 of
# its first 64 bytes, the low 48 bits of XXH3-64 of all of it). A block is the
# text between an opening fence line and the next bare closing fence, so the examples
# that comprehensive.md nests inside ```markdown fences are found too.
if "$venv/bin/python" - "$root/rules" "$shared/templates" <<'PY'; then
import re, sys, tomllib, xxhash

rules, templates = sys.argv[1], sys.argv[2]
problems = []
for name in ("adr", "comprehensive", "enterprise", "service", "walkthrough"):
    with open(f"{rules}/{name}.toml", "rb") as f:
        listed = tomllib.load(f).get("placeholders", {}).get("example-digests", [])
    with open(f"{templates}/{name}.md", encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = set()
    for i, line in enumerate(lines):
        m = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if not m:
            continue
        close = re.compile(r" {0,3}" + re.escape(m.group(1)[0]) + "{%d,}\\s*$" % len(m.group(1)))
        for j in range(i + 1, len(lines)):
            if close.match(lines[j]):
                folded = " ".join("\n".join(lines[i + 1 : j]).split()).encode()
                top = xxhash.xxh3_64_intdigest(folded[:64]) & 0xFFFF_0000_0000_0000
                low = xxhash.xxh3_64_intdigest(folded) & 0x0000_FFFF_FFFF_FFFF
                found.add("%016x" % (top | low))
                break
    if not listed:
        problems.append(f"{name}: lists no example digests")
    for d in listed:
        if d not in found:
            problems.append(f"{name}: digest {d} is no fenced block of templates/{name}.md")
for p in problems:
    print(f"  {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
  pass "example digests: every built-in profile's digests are blocks of its template"
else
  fail "example digests: a built-in profile lists a digest its template does not have"
fi

# --- machine formats: real output over tests/fixtures/formats ---------------
# The fixture set (errors and warnings, a span across lines, non-ASCII text before a
# finding, a folder named `design, v2`) is copied into a scratch repository so that
# SARIF's %SRCROOT% is that repository. SARIF and rdjsonl are validated against the
# official schemas; SARIF also against what GitHub code scanning requires on top;
# junit and checkstyle must be well-formed XML; gitlab must carry GitLab's fields.
formats_dir="$(mktemp -d "${TMPDIR:-/tmp}/archlint-formats.XXXXXX")"
trap 'rm -rf -- "$formats_dir"' EXIT
bin_abs="$(cd -- "$(dirname -- "$ARCHLINT_BIN")" && pwd)/$(basename -- "$ARCHLINT_BIN")"
cp -R "$root/tests/fixtures/formats/." "$formats_dir/"
mkdir -p "$formats_dir/.git"
formats_ok=1
for format in sarif rdjsonl junit checkstyle gitlab; do
  rc=0
  (cd "$formats_dir" && env -u GITHUB_WORKSPACE -u CI_PROJECT_DIR "$bin_abs" check \
    --today 2026-11-21 --profile profile.toml --format "$format" \
    ARCHITECTURE.md "design, v2/ARCHITECTURE.md" clean/ARCHITECTURE.md \
    >"$formats_dir/out.$format") || rc=$?
  if [[ "$rc" -ne 1 ]]; then
    fail "archlint --format $format exited $rc on the format fixtures (expected 1)"
    formats_ok=0
  fi
done

if [[ "$formats_ok" == 1 ]]; then
  if "$venv/bin/python" - "$shared/schemas" "$formats_dir" <<'PY'; then
import json, sys, xml.etree.ElementTree as ET
import jsonschema

schemas, out = sys.argv[1], sys.argv[2]
problems = []

def check(schema_file, doc, what):
    with open(f"{schemas}/{schema_file}", encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.validators.validator_for(schema)(schema)
    for err in validator.iter_errors(doc):
        err = jsonschema.exceptions.best_match([err])
        where = "/".join(str(p) for p in err.absolute_path) or "(root)"
        problems.append(f"{what}: {where}: {err.message[:300]}")

with open(f"{out}/out.sarif", encoding="utf-8") as f:
    sarif = json.load(f)
check("sarif-2.1.0.json", sarif, "sarif")
# GitHub code scanning's own requirements (CONVENTIONS 1.8).
run = sarif["runs"][0]
for rule in run["tool"]["driver"].get("rules", []):
    for field in ("shortDescription", "fullDescription", "help"):
        if not rule.get(field, {}).get("text"):
            problems.append(f"sarif: rule {rule.get('id')} has no {field}.text")
results = run.get("results", [])
if not results:
    problems.append("sarif: no results over the fixtures")
for r in results:
    if not r.get("partialFingerprints"):
        problems.append(f"sarif: a {r.get('ruleId')} result has no partialFingerprints")
    uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    if uri.startswith("file:") or uri.startswith("/"):
        problems.append(f"sarif: {uri} is not relative to the repository")

lines = 0
with open(f"{out}/out.rdjsonl", encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        lines += 1
        check("reviewdog-rdjsonl-diagnostic.schema.json", json.loads(line), f"rdjsonl line {n}")
if not lines:
    problems.append("rdjsonl: no diagnostics over the fixtures")

for fmt, root_tag in (("junit", "testsuites"), ("checkstyle", "checkstyle")):
    try:
        tree = ET.parse(f"{out}/out.{fmt}")
        if tree.getroot().tag != root_tag:
            problems.append(f"{fmt}: root element is <{tree.getroot().tag}>")
    except ET.ParseError as e:
        problems.append(f"{fmt}: not well-formed XML: {e}")

with open(f"{out}/out.gitlab", encoding="utf-8") as f:
    issues = json.load(f)
fingerprints = set()
for i in issues:
    for key in ("description", "check_name", "fingerprint", "severity"):
        if not i.get(key):
            problems.append(f"gitlab: an issue has no {key}")
    if i.get("severity") not in ("info", "minor", "major", "critical", "blocker"):
        problems.append(f"gitlab: severity {i.get('severity')!r}")
    if not i.get("location", {}).get("path") or not i["location"].get("lines", {}).get("begin"):
        problems.append("gitlab: an issue has no location.path or location.lines.begin")
    fingerprints.add(i.get("fingerprint"))
if len(fingerprints) != len(issues):
    problems.append("gitlab: fingerprints are not unique")

for p in problems:
    print(f"  {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
    pass "machine formats: SARIF and rdjsonl validate against their schemas; junit, checkstyle and gitlab are well-formed"
  else
    fail "machine formats: real output does not conform (see above)"
  fi
fi

exit "$failed"
