#!/usr/bin/env bash
# Install the peers archlint is compared with into benches/out/peers/ (once), and check
# that each one, configured like archlint's `comprehensive` profile, flags the same
# defective documents of a generated corpus.
#
#   benches/peers.sh                          install if missing, print versions
#   benches/peers.sh verify CORPUS [LOGDIR]   also run each peer once on CORPUS and compare
#                                             the files it flags with the corpus manifest
#
# Peers (versions pinned in benches/lib.sh):
#   markdownlint-cli2  npm                          MD043 `headings` with `*` wildcards
#   rumdl              PyPI, in a venv              MD043 `headings` with `*` wildcards
#   mdschema           npm's prebuilt binary        a structure schema
#                      @jackchuka/mdschema-linux-x64
# Their configurations: benches/peers/{.markdownlint-cli2.jsonc,rumdl.toml,mdschema.yml}.
# All three check what they can of the `comprehensive` profile: the `# Architecture`
# title and the ten required `##` sections in order. None checks fields, dates,
# diagrams, placeholders, empty sections or references, so only the documents with a
# removed or demoted section are expected from them.
set -euo pipefail
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-install}" in
    install)
        install_peers
        peer_versions
        ;;
    verify)
        [[ $# -ge 2 ]] || { echo "usage: benches/peers.sh verify CORPUS [LOGDIR]" >&2; exit 2; }
        install_peers
        peer_versions
        corpus="$(cd "$2" && pwd)"
        logs="${3:-$OUT/runs/$(basename "$corpus")}"
        mkdir -p "$logs"
        for tool in markdownlint-cli2 rumdl mdschema; do
            echo "running $tool once on $(basename "$corpus")" >&2
            once "$corpus" "$logs" "$tool" .
        done
        python3 "$BENCH/report.py" verify "$corpus" "$logs" markdownlint-cli2 rumdl mdschema
        ;;
    *)
        echo "usage: benches/peers.sh [install | verify CORPUS [LOGDIR]]" >&2
        exit 2
        ;;
esac
