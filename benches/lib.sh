# shellcheck shell=bash
# Shared by the scripts in benches/: where things are, how each tool is called, and
# how a missing Debian tool or the release build is obtained. Source it; it defines
# variables and functions only.

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
OUT="$BENCH/out"
PEERS="$OUT/peers"
CFG="$BENCH/peers"
TODAY=2026-11-21

MDL_VERSION=0.24.1
RUMDL_VERSION=0.3.0
MDSCHEMA_PKG=@jackchuka/mdschema-linux-x64
MDSCHEMA_VERSION=0.15.4

MDL="$PEERS/node/node_modules/.bin/markdownlint-cli2"
RUMDL="$PEERS/venv/bin/rumdl"
MDSCHEMA="$PEERS/node/node_modules/.bin/mdschema"
ARCHLINT="${ARCHLINT_BIN:-$OUT/bin/archlint}"
FLOOR="$BENCH/floor/target/release/floor"
# The same floor with archlint's allocator (mimalloc).
FLOOR_MI="$BENCH/floor/target-mimalloc/release/floor"

# need_apt COMMAND PACKAGE: install PACKAGE from Debian when COMMAND is missing.
need_apt() {
    if ! command -v "$1" >/dev/null 2>&1; then
        printf '\n== installing %s (Debian package)\n' "$2" >&2
        apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
    fi
}

# release_bin: the binary to measure, on stdout: $ARCHLINT_BIN when set, else a fresh
# release build of the repository.
release_bin() {
    if [[ -n "${ARCHLINT_BIN:-}" ]]; then
        realpath "$ARCHLINT_BIN"
    else
        (cd "$ROOT" && cargo build --release --quiet) >&2
        echo "$ROOT/target/release/archlint"
    fi
}

# Which files of a corpus are its documents (the corpus's archlint.toml says the same):
# `**/ARCHITECTURE.md` for one folder per document; a flat or ADR corpus sets it to its
# folder's `*.md` before timing, and the floor then reads every Markdown file.
DOCS="${DOCS:-**/ARCHITECTURE.md}"

# tool_cmd TOOL TARGET: the command line for TOOL, run from the corpus folder. TARGET
# is `.` for a corpus of many documents, or one document's path.
tool_cmd() {
    local tool="$1" target="$2" all=""
    [[ "$DOCS" != "**/ARCHITECTURE.md" ]] && all="--all-md"
    case "$tool" in
        archlint) echo "$ARCHLINT check --profile comprehensive --format json --today $TODAY $target" ;;
        floor-read) echo "$FLOOR read --threads 2 $all $target" ;;
        floor-parse-1t) echo "$FLOOR parse --threads 1 $all $target" ;;
        floor-parse-2t) echo "$FLOOR parse --threads 2 $all $target" ;;
        floor-parse-1t-mi) echo "$FLOOR_MI parse --threads 1 $all $target" ;;
        floor-parse-2t-mi) echo "$FLOOR_MI parse --threads 2 $all $target" ;;
        rumdl) echo "$RUMDL check --config $CFG/rumdl.toml --no-cache $target" ;;
        markdownlint-cli2)
            if [[ "$target" == . ]]; then
                echo "$MDL --config $CFG/.markdownlint-cli2.jsonc $DOCS"
            else
                echo "$MDL --config $CFG/.markdownlint-cli2.jsonc $target"
            fi ;;
        mdschema)
            # mdschema refuses more than 1,000 files per call ("too many files matched
            # (limit: 1000)"): a corpus goes through in calls of 1,000 files each.
            if [[ "$target" == . ]]; then
                echo "bash $CFG/mdschema-batches.sh $MDSCHEMA $CFG/mdschema.yml ./$DOCS"
            else
                echo "$MDSCHEMA check --schema $CFG/mdschema.yml $target"
            fi ;;
        *) echo "lib.sh: unknown tool $tool" >&2; return 2 ;;
    esac
}

# once CORPUS LOGDIR TOOL TARGET: one run under GNU time -v (peak memory), its output
# kept for report.py verify. Never fails: a linter's non-zero exit is expected.
once() {
    local corpus="$1" logs="$2" tool="$3" target="$4" cmd
    cmd="$(tool_cmd "$tool" "$target")"
    (
        set -f # the command line holds a glob for the tool, not for the shell
        # shellcheck disable=SC2086 # $cmd is a command line, split into its words
        cd "$corpus" && /usr/bin/time -v -o "$logs/$tool.time" $cmd >"$logs/$tool.out" 2>"$logs/$tool.err"
    ) || true
}

install_peers() {
    mkdir -p "$PEERS"
    if [[ ! -x "$MDL" || ! -x "$MDSCHEMA" ]]; then
        command -v npm >/dev/null || { echo "npm is needed (apt-get install -y npm)" >&2; return 2; }
        echo "installing markdownlint-cli2@$MDL_VERSION and $MDSCHEMA_PKG@$MDSCHEMA_VERSION into $PEERS/node" >&2
        npm install --silent --no-audit --no-fund --prefix "$PEERS/node" \
            "markdownlint-cli2@$MDL_VERSION" "$MDSCHEMA_PKG@$MDSCHEMA_VERSION" >&2
    fi
    if [[ ! -x "$RUMDL" ]]; then
        echo "installing rumdl==$RUMDL_VERSION into a venv at $PEERS/venv" >&2
        python3 -m venv "$PEERS/venv"
        "$PEERS/venv/bin/pip" install --quiet "rumdl==$RUMDL_VERSION" >&2
    fi
}

peer_versions() {
    echo "markdownlint-cli2 $("$MDL" --help 2>/dev/null | head -1 | sed 's/^markdownlint-cli2 //')"
    "$RUMDL" --version
    "$MDSCHEMA" version 2>/dev/null | head -1 | sed 's/ (.*//'
}
