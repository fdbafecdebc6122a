#!/usr/bin/env bash
# Run mdschema over every ARCHITECTURE.md below the current folder, 1,000 files per
# call: mdschema refuses more ("too many files matched (limit: 1000)"). The calls run
# one after another. Exit status: 0 if every call was clean, 1 otherwise.
#   usage: mdschema-batches.sh MDSCHEMA_BINARY SCHEMA
set -uo pipefail
bin="$1"
schema="$2"
find . -type d -name .git -prune -o -type f -name ARCHITECTURE.md -print | LC_ALL=C sort |
    xargs -r -n 1000 "$bin" check --schema "$schema"
case $? in
    0) exit 0 ;;
    123) exit 1 ;; # some call found violations
    *) exit 2 ;;
esac
