#!/usr/bin/env python3
"""Latency of `archlint server`: from a change sent to the diagnostics received, for a
75 KB architecture document (the comprehensive template's fixture sections repeated),
over stdio as an editor would. Prints the median and the 90th percentile of RUNS
changes, and the CPUs the machine has.

    python3 benches/lsp_latency.py [ARCHLINT_BINARY] [--runs N]
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def document(size: int) -> str:
    section = (
        "## Components\n\n### Ledger {i}\n\n- **Purpose**: Keeps the entries of book {i}.\n"
        "- **Location**: `src/ledger_{i}/`\n\nThe ledger writes each entry once and reads them "
        "back in order; see `src/ledger_{i}/mod.rs` and [the notes](notes/ledger-{i}.md).\n\n"
        "```mermaid\nflowchart LR\n  A[Client {i}] --> B[Ledger {i}]\n  B --> C[(Store)]\n```\n\n"
    )
    head = "# Architecture\n\n> Last updated: 2026-12-01\n\n## Overview\n\nA bookkeeping system.\n\n"
    out, i = [head], 0
    while sum(map(len, out)) < size:
        out.append(section.format(i=i))
        i += 1
    return "".join(out)


class Client:
    def __init__(self, argv, cwd):
        self.p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def recv(self):
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            header += self.p.stdout.read(1)
        n = int(header.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        return json.loads(self.p.stdout.read(n))

    def wait(self, method):
        while True:
            m = self.recv()
            if m.get("method") == method:
                return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default=str(ROOT / "target/release/archlint"))
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        repo = Path(d)
        (repo / ".git").mkdir()
        (repo / "archlint.toml").write_text('profile = "comprehensive"\n')
        text = document(75 * 1024)
        doc = repo / "ARCHITECTURE.md"
        doc.write_text(text)
        uri = doc.as_uri()
        c = Client([args.binary, "server"], repo)
        c.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
        c.recv()
        c.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        c.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
        c.wait("textDocument/publishDiagnostics")
        times = []
        for v in range(2, args.runs + 2):
            changed = text.replace("A bookkeeping system.", f"A bookkeeping system ({v}).")
            start = time.perf_counter()
            c.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": v},
                "contentChanges": [{"text": changed}]}})
            m = c.wait("textDocument/publishDiagnostics")
            times.append((time.perf_counter() - start) * 1000)
            assert m["params"]["version"] == v
            time.sleep(0.05)
        c.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        c.recv()
        c.send({"jsonrpc": "2.0", "method": "exit"})
        c.p.wait(10)
    times.sort()
    print(f"document: {len(text) / 1024:.0f} KB, {args.runs} changes, {os.cpu_count()} CPUs")
    print(f"change -> diagnostics: median {statistics.median(times):.1f} ms, "
          f"p90 {times[int(len(times) * 0.9)]:.1f} ms (includes the server's 10 ms debounce)")


if __name__ == "__main__":
    main()
