#!/usr/bin/env bash
# shellcheck disable=SC2317 # the predicates below are called through check()
# Tests .pre-commit-hooks.yaml with the real pre-commit, installed from PyPI into a
# throwaway virtualenv, against a fixture git repository.
#
# Usage: tests/clients/pre-commit.sh ARCHLINT_BINARY
#
# The `archlint-system` hook runs ARCHLINT_BINARY (put on PATH as `archlint`).
# The `archlint` hook (language: rust) makes pre-commit `cargo install` archlint
# from this checkout's HEAD; it is opt-in because that build takes minutes:
#
#   ARCHLINT_TEST_RUST_HOOK=1        also test the `archlint` hook
#   ARCHLINT_TEST_CARGO_TARGET_DIR   cargo's target directory for that build, kept
#                                    between runs (default:
#                                    ~/.cache/archlint-tests/pre-commit-target)
#   ARCHLINT_HOOKS_FILE              test this file instead of the working tree's
#                                    .pre-commit-hooks.yaml (e.g. an old version)
#
# How the hooks under test reach pre-commit: pre-commit reads hook definitions
# from a COMMITTED .pre-commit-hooks.yaml at `rev`. So the script clones this
# checkout at HEAD into a temporary directory, copies the working tree's
# .pre-commit-hooks.yaml over the clone's, commits it there, and points the
# fixture's .pre-commit-config.yaml (`repo:` that clone, `rev:` its commit) at it.
# This is what a user's configuration does, and, unlike `pre-commit try-repo`,
# it picks up nothing else from the working tree (try-repo also commits every
# other modified tracked file, so the rust hook would build half-edited sources)
# and it honours PRE_COMMIT_HOME (try-repo always uses a throwaway store).
#
# Needs bash, git, python3 (with venv) and network access to PyPI; without them it
# prints "SKIP: ..." and exits 0. Prints `ok - ...` / `not ok - ...` lines and a
# final `N passed, N failed`; exits 1 if anything failed.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 ARCHLINT_BINARY" >&2
  exit 2
fi
if [[ ! -x "$1" ]]; then
  echo "$0: not an executable file: $1" >&2
  exit 2
fi
bin="$(cd -- "$(dirname -- "$1")" && pwd)/$(basename -- "$1")"
checkout="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
hooks_file="${ARCHLINT_HOOKS_FILE:-$checkout/.pre-commit-hooks.yaml}"
T="$(mktemp -d "${TMPDIR:-/tmp}/archlint-pre-commit-test.XXXXXX")"
trap 'rm -rf -- "$T"' EXIT

# shellcheck source=tests/clients/tap.sh
. "$checkout/tests/clients/tap.sh"

# --- pre-commit, from PyPI ----------------------------------------------------
export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! err="$(python3 -m venv "$T/venv" 2>&1)"; then
  echo "SKIP: pre-commit could not be installed: python3 -m venv failed: ${err##*$'\n'}"
  exit 0
fi
if ! err="$("$T/venv/bin/pip" install --quiet --retries 1 --timeout 20 pre-commit 2>&1)"; then
  echo "SKIP: pre-commit could not be installed: pip install pre-commit failed: ${err##*$'\n'}"
  exit 0
fi
pc="$T/venv/bin/pre-commit"
echo "# $("$pc" --version), $("$bin" --version), git $(git --version | cut -d' ' -f3)"

# Git and pre-commit see only what this script sets up.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export PRE_COMMIT_HOME="$T/pre-commit-home"
unset PRE_COMMIT_COLOR PRE_COMMIT_ALLOW_NO_CONFIG SKIP CLICOLOR_FORCE NO_COLOR ARCHLINT_CONFIG || true
mkdir -p "$T/bin"
ln -s "$bin" "$T/bin/archlint"
base_path="$PATH"
export PATH="$T/bin:$base_path"

# --- the hook repository: HEAD plus the hooks file under test -------------------
hooks_repo="$T/hooks-repo"
git clone --quiet --no-checkout -- "$checkout" "$hooks_repo"
git -C "$hooks_repo" checkout --quiet --detach "$(git -C "$checkout" rev-parse HEAD)"
cp -- "$hooks_file" "$hooks_repo/.pre-commit-hooks.yaml"
if ! git -C "$hooks_repo" diff --quiet; then
  # Fixed identity and dates: the same hooks file gives the same commit every run.
  GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
    git -C "$hooks_repo" -c user.name=archlint-test -c user.email=test@archlint.invalid \
    commit --quiet --no-verify -m 'test: hooks file under test' -- .pre-commit-hooks.yaml
fi
rev="$(git -C "$hooks_repo" rev-parse HEAD)"

out="$T/out"
valid_manifest() { "$pc" validate-manifest "$hooks_file" >"$out" 2>&1; }
check "the hooks file is a valid pre-commit manifest" "$out" valid_manifest

# --- the fixture project ---------------------------------------------------------
P="$T/project"
mkdir -p "$P/docs" "$P/notes" "$P/src"
git -C "$P" init --quiet
git -C "$P" config user.name "Fixture Author"
git -C "$P" config user.email "fixture@archlint.invalid"
git -C "$P" config commit.gpgsign false

# The same configuration a user writes (README), with `repo:` the local clone.
cat >"$P/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $hooks_repo
    rev: $rev
    hooks:
      - id: archlint-system
EOF
sed 's/id: archlint-system/id: archlint/' "$P/.pre-commit-config.yaml" >"$T/rust-config.yaml"

# write_docs OWNER: the three documents, each with an ownership line. OWNER is
# "clean" (real teams), "fixed" (other real teams) or "broken" (placeholders).
write_docs() {
  local en ja lower
  case "$1" in
    clean)
      en="The household team owns this design."
      ja="担当チーム：家計チーム。"
      lower="The web team maintains the site described here." ;;
    fixed)
      en="The finance tools team owns this design."
      ja="担当チーム：財務ツールチーム。"
      lower="The documentation team maintains the site described here." ;;
    broken)
      en="Owned by [Team Name]."
      ja="担当チーム：[Team Name]。"
      lower="Maintained by [Team Name], reviewed by [Reviewer Name]." ;;
  esac
  cat >"$P/ARCHITECTURE.md" <<EOF
# Architecture

## Overview

Ledgerly keeps the budget of one household in a single SQLite file. $en

## System Architecture

A command-line front end calls a small storage layer. No server runs.

## Components

The importer reads bank statements; the reporter prints totals per month.

## Data Flow

Statements pass through the importer into SQLite, and the reporter reads them back.

## Design Decisions

SQLite, because one file is easy to copy to a backup disk.

## Security

Only the owner of the database file may read it.

## Deployment

One static binary per platform.

## Future Considerations

Sharing a budget between two laptops.
EOF
  cat >"$P/docs/ARCHITECTURE.ja.md" <<EOF
# Architecture

## Overview

Ledgerly は家計簿を一つの SQLite ファイルに保存するツールです。$ja

## System Architecture

コマンドラインの画面から小さな保存層を呼び出します。サーバーはありません。

## Components

取り込み部が銀行の明細を読み、集計部が月ごとの合計を表示します。

## Data Flow

明細は取り込み部を通って SQLite に入り、集計部がそれを読み出します。

## Design Decisions

ファイル一つならバックアップが簡単なので SQLite を選びました。

## Security

データベースファイルは所有者だけが読めます。

## Deployment

プラットフォームごとに一つの実行ファイルを配布します。

## Future Considerations

二台のノートパソコンで家計簿を共有する機能を検討中です。
EOF
  cat >"$P/docs/architecture.md" <<EOF
# Architecture

## Overview

The Ledgerly website: install instructions and a user guide. $lower

## System Architecture

A static site generator turns Markdown pages into HTML.

## Components

Pages, a theme, and a search index built at publish time.

## Data Flow

Markdown goes in, HTML and the index come out, and a CDN serves them.

## Design Decisions

Static pages, because they need no server to patch.

## Security

Nothing on the site takes input from visitors.

## Deployment

Each merge to the main branch publishes the site.

## Future Considerations

Translations of the user guide.
EOF
}

# notes_doc OWNER: notes/design.md, outside archlint's default includes.
notes_doc() {
  local owner="The sync team."
  if [[ "$1" == broken ]]; then owner="[Owner Name]"; fi
  sed -e "s/^Ledgerly keeps the budget.*/Design notes for syncing budgets. Owner: $owner/" \
    "$P/ARCHITECTURE.md" >"$P/notes/design.md"
}

write_docs clean
notes_doc clean
echo 'print("ledgerly")' >"$P/src/app.py"
git -C "$P" add -A
git -C "$P" commit --quiet -m "initial"

short_re='^.+:[0-9]+:[0-9]+: (error|warning): .+ \[[a-z0-9-]+\]$'

# run_pc OUT ARGS...: pre-commit in the project; sets rc.
run_pc() {
  local file="$1"
  shift
  rc=0
  (cd "$P" && "$pc" "$@") >"$file" 2>&1 || rc=$?
}
# hook_lines OUT: what the hook printed (pre-commit shows it after
# "- exit code: N" and a blank line), without CRs, colour codes or blank lines.
hook_lines() {
  tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;]*m//g' | awk 'seen && NF { print } /^- exit code: /{ seen = 1 }'
}
# finding_lines OUT: the hook's lines that have the short format's shape.
finding_lines() { hook_lines "$1" | grep -E -- "$short_re" || true; }
has_finding_for() {
  local lines
  lines="$(finding_lines "$1")"
  grep -q -- "^$2:" <<<"$lines"
}
ran_and_failed() { [[ $rc -eq 1 ]] && grep -q 'Failed$' "$1" && ! grep -q 'Skipped$' "$1"; }
failed_on() { ran_and_failed "$1" && has_finding_for "$1" "$2"; }
passed() { [[ $rc -eq 0 ]] && grep -q 'Passed$' "$1"; }
skipped() { [[ $rc -eq 0 ]] && grep -q 'Skipped$' "$1"; }
no_human_report() { ! grep -qE '╭─|│|help:' "$1"; }

# --- a change to one document that only the new `files` pattern matches ----------
for doc in docs/ARCHITECTURE.ja.md docs/architecture.md; do
  write_docs broken
  for other in ARCHITECTURE.md docs/ARCHITECTURE.ja.md docs/architecture.md; do
    if [[ "$other" != "$doc" ]]; then git -C "$P" checkout --quiet -- "$other"; fi
  done
  git -C "$P" add -A
  run_pc "$out" run --color never archlint-system
  check "a commit changing only $doc runs the hook, which fails on it (exit $rc)" "$out" \
    failed_on "$out" "$doc"
  git -C "$P" reset --quiet --hard
done

# --- all three documents with placeholders ---------------------------------------
write_docs broken
git -C "$P" add -A
ref="$T/reference"
ref_rc=0
(cd "$P" && "$bin" check --format short --color never) >"$ref" 2>&1 || ref_rc=$?
echo "# archlint check --format short in the fixture (exit $ref_rc):"
sed 's/^/#   /' "$ref"
run_pc "$out" run --color never archlint-system
check "the hook fails with exit 1 when the documents have findings (exit $rc)" "$out" ran_and_failed "$out"
for doc in ARCHITECTURE.md docs/ARCHITECTURE.ja.md docs/architecture.md; do
  check "  ... $doc is checked: its findings are in the output" "$out" has_finding_for "$out" "$doc"
done
hook_lines "$out" >"$T/hook"
n_findings="$(finding_lines "$out" | wc -l)"
n_lines="$(wc -l <"$T/hook")"
check "  ... one line per finding ($n_findings), in the short format, then one summary line" "$out" \
  test "$n_findings" -ge 3 -a "$n_lines" -eq $((n_findings + 1))
check "  ... no line of the human report (source excerpts, help)" "$out" no_human_report "$T/hook"
check "  ... the hook prints exactly what \`archlint check --format short\` prints" "$out" \
  cmp -s "$T/hook" "$ref"

# On a terminal pre-commit gives the hook a pseudo-terminal; still one line each.
run_pc "$out" run --color always archlint-system
check "with --color always (a pseudo-terminal), still one short line per finding" "$out" \
  test "$rc" -eq 1 -a "$(finding_lines "$out" | wc -l)" -eq "$n_findings"

# --- fixed documents pass --------------------------------------------------------
write_docs fixed
git -C "$P" add -A
run_pc "$out" run --color never archlint-system
check "the hook passes (exit 0) once the documents are fixed (exit $rc)" "$out" passed "$out"
git -C "$P" commit --quiet -m "fix the documents"

# --- configuration and other Markdown --------------------------------------------
notes_doc broken
git -C "$P" commit --quiet -am "notes with a placeholder (not an included document yet)"
printf 'include = ["**/ARCHITECTURE.md", "**/ARCHITECTURE.*.md", "notes/**/*.md"]\n' >"$P/archlint.toml"
git -C "$P" add archlint.toml
run_pc "$out" run --color never archlint-system
check "a commit changing only archlint.toml re-checks every document (exit $rc)" "$out" \
  failed_on "$out" notes/design.md
notes_doc clean
git -C "$P" add -A
git -C "$P" commit --quiet -m "include the notes"

notes_doc broken
git -C "$P" add -A
run_pc "$out" run --color never archlint-system
check "a commit changing only a Markdown file the configuration includes runs the hook (exit $rc)" "$out" \
  failed_on "$out" notes/design.md
git -C "$P" reset --quiet --hard

echo 'print("ledgerly 2")' >"$P/src/app.py"
git -C "$P" add -A
run_pc "$out" run --color never archlint-system
check "a commit changing no Markdown or configuration skips the hook (exit $rc)" "$out" skipped "$out"
git -C "$P" reset --quiet --hard

# --- git commit through the installed hook -----------------------------------------
run_pc "$out" install
head_before="$(git -C "$P" rev-parse HEAD)"
write_docs broken
git -C "$P" add -A
rc=0
git -C "$P" commit -m "placeholders" >"$out" 2>&1 || rc=$?
head_is() { [[ "$(git -C "$P" rev-parse HEAD)" == "$1" ]]; }
refused() { [[ $rc -ne 0 ]] && head_is "$head_before" && has_finding_for "$1" ARCHITECTURE.md; }
committed() { [[ $rc -eq 0 ]] && ! head_is "$head_before"; }
check "\`git commit\` is refused by the installed hook (exit $rc)" "$out" refused "$out"
write_docs clean
git -C "$P" add -A
rc=0
git -C "$P" commit -m "owners" >"$out" 2>&1 || rc=$?
check "\`git commit\` succeeds once the documents are clean (exit $rc)" "$out" committed
run_pc "$out" uninstall

# --- the `archlint` hook (language: rust) ------------------------------------------
if [[ "${ARCHLINT_TEST_RUST_HOOK:-}" != 1 ]]; then
  echo "# the \`archlint\` hook (language: rust) was not tested; set ARCHLINT_TEST_RUST_HOOK=1 (builds archlint, minutes)"
  finish
fi
if ! command -v cargo >/dev/null; then
  not_ok "ARCHLINT_TEST_RUST_HOOK=1 but cargo is not on PATH"
  finish
fi
export CARGO_TARGET_DIR="${ARCHLINT_TEST_CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/archlint-tests/pre-commit-target}"
mkdir -p "$CARGO_TARGET_DIR"
export PATH="$base_path" # the built archlint, not ARCHLINT_BINARY
echo "# the \`archlint\` hook: pre-commit builds archlint $rev with cargo (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
git -C "$P" rm --quiet archlint.toml # back to the default includes
write_docs broken
git -C "$P" add -A
start=$(date +%s)
run_pc "$out" run --color never --config "$T/rust-config.yaml" archlint
elapsed=$(($(date +%s) - start))
echo "# first run of the \`archlint\` hook, including pre-commit's cargo install: ${elapsed}s"
check "the \`archlint\` hook fails with exit 1 when the documents have findings (exit $rc)" "$out" ran_and_failed "$out"
for doc in ARCHITECTURE.md docs/ARCHITECTURE.ja.md docs/architecture.md; do
  check "  ... $doc is checked: its findings are in the output" "$out" has_finding_for "$out" "$doc"
done
hook_lines "$out" >"$T/hook"
n_findings="$(finding_lines "$out" | wc -l)"
check "  ... one short line per finding ($n_findings), then one summary line" "$out" \
  test "$n_findings" -ge 3 -a "$(wc -l <"$T/hook")" -eq $((n_findings + 1))
write_docs fixed
git -C "$P" add -A
start=$(date +%s)
run_pc "$out" run --color never --config "$T/rust-config.yaml" archlint
elapsed=$(($(date +%s) - start))
echo "# second run (environment cached): ${elapsed}s"
check "the \`archlint\` hook passes once the documents are fixed (exit $rc)" "$out" passed "$out"
finish
