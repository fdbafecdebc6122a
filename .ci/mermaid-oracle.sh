#!/usr/bin/env bash
# Mermaid's verdicts on tests/mermaid/snippets.jsonl, rebuilt with the pinned Mermaid
# (tests/mermaid/oracle/package-lock.json) and compared with verdicts.jsonl: fails
# when any verdict changed. Needs Node and npm from the machine and the npm registry;
# says so and skips when they are not there.
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../tests/mermaid/oracle"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node or npm is not installed; Mermaid's verdicts were not rebuilt"
  exit 0
fi
if ! npm ci --no-audit --no-fund --loglevel=error >/tmp/archlint-npm.log 2>&1; then
  echo "SKIP: npm ci failed (no registry?): $(tail -n 3 /tmp/archlint-npm.log)"
  exit 0
fi
node judge.mjs check
