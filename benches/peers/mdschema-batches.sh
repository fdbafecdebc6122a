#!/usr/bin/env bash
# Run mdschema over the corpus's documents below the current folder (every
# ARCHITECTURE.md, or the files a `./docs/*.md`-style pattern names), 1,000 files per
# call: mdschema refuses more ("too many files matched (limit: 1000)"). The calls run
# one after another. Exit status: 0 if every call was clean, 1 otherwise.
#   usage: mdschema-batches.sh MDSCHEMA_BINARY SCHEMA [PATTERN]
set -uo pipefail
bin="$1"
schema="$2"
pattern="${3:-./**/ARCHITECTURE.md}"
# find's -path matches `/` with `*`: `./**/ARCHITECTURE.md` becomes `./*/ARCHITECTURE.md`.
pattern="${pattern/\*\*\//*\/}"
find . -type d -name .git -prune -o -type f -path "$pattern" -print | LC_ALL=C sort |
    xargs -r -n 1000 "$bin" check --schema "$schema"
case $? in
    0) exit 0 ;;
    123) exit 1 ;; # some call found violations
    *) exit 2 ;;
esac
