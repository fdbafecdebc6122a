#!/usr/bin/env python3
"""Helpers for the action tests (tests/action/*.sh): read action.yml the way a
runner does, and check what the action printed and wrote.

  action_harness.py lint ACTION.yml
      Checks action.yml itself: every input reaches the run step through env
      only, no `${{ ... }}` inside any `run:`, the outputs the action promises
      are declared, and (when PyYAML is installed) that the small parser below
      reads the file exactly as PyYAML does. One `ok`/`not ok` line per check.
  action_harness.py envname ACTION.yml INPUT
      The environment variable the run step maps INPUT to.
  action_harness.py env ACTION.yml RUNNER_TEMP [--all-empty] [NAME=VALUE ...]
      The run step's environment as a runner builds it, NUL-separated
      `VAR=VALUE` entries: every declared input, with the given value, else its
      default (empty without one); --all-empty gives every input as empty.
  action_harness.py run ACTION.yml
      The run step's `run:` text.
  action_harness.py output FILE NAME
      One output from a $GITHUB_OUTPUT file (`k=v` or `k<<DELIM` form); exits 1
      when it is missing or set twice.
  action_harness.py annotations STDOUT REPORT.json CWD WORKSPACE
      The `::error`/`::warning` annotations archlint printed equal the findings
      of REPORT.json (a separate run of the binary): same severity, file
      (relative to WORKSPACE), line, column and rule, one for one.
  action_harness.py short STDOUT REPORT.json CWD MATCHER.json
      Every finding of REPORT.json (run in CWD) is one line of STDOUT that the problem
      matcher's regexp parses into the same file, line, column, severity,
      message and rule, and no other line parses.
  action_harness.py md-safe SUMMARY.md LINK_PREFIX
      Text from the report cannot escape its code spans: outside code spans the
      summary holds nothing the report could have supplied (checked with the
      marker `evil`), and, when cmark-gfm is installed, the rendered HTML has no
      image, no raw HTML and no link that does not start with LINK_PREFIX.

Standard library only; PyYAML is used when present, to cross-check.
"""

import json
import os
import re
import shutil
import subprocess
import sys

# --------------------------------------------------------------------------
# A parser for the block-style YAML subset action.yml uses: mappings,
# sequences ("- "), plain, single- and double-quoted scalars, `|` block
# scalars and comments. Anything else raises ValueError.


class MiniYaml:
    def __init__(self, text):
        self.lines = text.splitlines()
        self.i = 0

    @staticmethod
    def indent(line):
        return len(line) - len(line.lstrip(" "))

    def skip(self):
        while self.i < len(self.lines):
            s = self.lines[self.i].strip()
            if s and not s.startswith("#"):
                return True
            self.i += 1
        return False

    def node(self, min_indent):
        if not self.skip():
            return None
        line = self.lines[self.i]
        ind = self.indent(line)
        if ind < min_indent:
            return None
        if line.lstrip().startswith("-"):
            return self.seq(ind)
        return self.map(ind)

    def seq(self, ind):
        out = []
        while self.skip():
            line = self.lines[self.i]
            if self.indent(line) != ind or not line.lstrip().startswith("-"):
                break
            rest = line.lstrip()[1:]
            if not rest.strip():
                self.i += 1
                out.append(self.node(ind + 1))
                continue
            if not rest.startswith(" "):
                raise ValueError(f"line {self.i + 1}: unsupported sequence item")
            sub = ind + 1 + self.indent(rest)
            self.lines[self.i] = " " * sub + rest.lstrip(" ")
            if key_split(rest.strip()) is not None:
                out.append(self.map(sub))
            else:
                out.append(scalar(rest.strip(), self.i))
                self.i += 1
        return out

    def map(self, ind):
        out = {}
        while self.skip():
            line = self.lines[self.i]
            li = self.indent(line)
            if li < ind or line.lstrip().startswith("- ") and li == ind:
                break
            if li > ind:
                raise ValueError(f"line {self.i + 1}: unexpected indentation")
            kv = key_split(line.strip())
            if kv is None:
                raise ValueError(f"line {self.i + 1}: not a mapping entry")
            key, rest = kv
            if key in out:
                raise ValueError(f"line {self.i + 1}: duplicate key {key}")
            self.i += 1
            if rest in ("|", "|-", "|+"):
                out[key] = self.block(ind, rest)
            elif rest.startswith((">", "|", "&", "*", "!", "{", "[")):
                raise ValueError(f"line {self.i}: unsupported YAML: {rest[:10]}")
            elif rest == "":
                if self.skip() and self.lines[self.i].lstrip().startswith("- ") and self.indent(
                    self.lines[self.i]
                ) == ind:
                    out[key] = self.seq(ind)
                else:
                    child = self.node(ind + 1)
                    out[key] = child
            else:
                out[key] = scalar(rest, self.i - 1)
        return out

    def block(self, ind, style):
        body = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip() and self.indent(line) <= ind:
                break
            body.append(line)
            self.i += 1
        while body and not body[-1].strip():
            body.pop()
        if not body:
            return ""
        strip = min(self.indent(x) for x in body if x.strip())
        text = "\n".join(x[strip:] for x in body)
        return text if style == "|-" else text + "\n"


def key_split(s):
    m = re.match(r"^([A-Za-z0-9_.-]+):(?:\s+(.*))?$", s)
    if not m:
        return None
    return m.group(1), (m.group(2) or "").strip()


def scalar(s, lineno):
    if s.startswith('"'):
        end = 1
        while True:
            end = s.index('"', end)
            if s[end - 1] != "\\" or s[end - 2 : end] == "\\\\":
                break
            end += 1
        if s[end + 1 :].strip() and not s[end + 1 :].strip().startswith("#"):
            raise ValueError(f"line {lineno + 1}: text after a quoted scalar")
        return json.loads(s[: end + 1])
    if s.startswith("'"):
        m = re.match(r"^'((?:[^']|'')*)'\s*(#.*)?$", s)
        if not m:
            raise ValueError(f"line {lineno + 1}: bad single-quoted scalar")
        return m.group(1).replace("''", "'")
    s = re.split(r"\s+#", s, maxsplit=1)[0].strip()
    if s in ("true", "false"):
        return s == "true"
    if re.fullmatch(r"-?[0-9]+", s):
        return int(s)
    if s in ("", "~", "null"):
        return None
    return s


def normalize(value):
    """What a runner makes of a scalar: a string."""
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def load_action(path, prefer_pyyaml=True):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if prefer_pyyaml:
        try:
            import yaml  # noqa: PLC0415
        except ImportError:
            pass
        else:
            return normalize(yaml.safe_load(text))
    return normalize(MiniYaml(text).node(0))


# --------------------------------------------------------------------------
# The action's inputs and its run step.

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def run_step(action):
    steps = action["runs"]["steps"]
    found = [s for s in steps if s.get("id") == "run"]
    if len(found) != 1:
        raise ValueError("action.yml needs exactly one step with id `run`")
    return found[0]


def input_env_names(action):
    """{input name: env var} from every step's `VAR: ${{ inputs.NAME }}` (the run
    step's, and the install step's for `version`)."""
    names = {}
    for step in action["runs"]["steps"]:
        for var, value in (step.get("env") or {}).items():
            m = re.fullmatch(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}", value)
            if m:
                names[m.group(1)] = var
    return names


def step_env(action, runner_temp, given):
    inputs = action.get("inputs") or {}
    values = {}
    for name, spec in inputs.items():
        default = (spec or {}).get("default", "")
        if "${{" in default:
            raise ValueError(f"default of {name} holds an expression the test cannot evaluate")
        values[name] = given[name] if name in given else default
    for name in given:
        if name not in inputs:
            raise ValueError(f"the test gives input `{name}`, which action.yml does not declare")

    def evaluate(m):
        expr = m.group(1)
        if expr == "runner.temp":
            return runner_temp
        if expr.startswith("inputs."):
            name = expr[len("inputs.") :]
            if name not in values:
                raise ValueError(f"env uses undeclared input {name}")
            return values[name]
        raise ValueError(f"the test cannot evaluate ${{{{ {expr} }}}}")

    return {var: EXPR.sub(evaluate, value) for var, value in (run_step(action).get("env") or {}).items()}


def lint(path):
    results = []

    def check(name, cond, detail=""):
        results.append((bool(cond), name, detail))

    action = load_action(path)
    inputs = action.get("inputs") or {}
    names = input_env_names(action)
    check("inputs are declared", inputs)
    missing = sorted(set(inputs) - set(names))
    check("every input reaches a step through env", not missing, f"not in env: {missing}")
    for name, var in sorted(names.items()):
        check(
            f"input {name} is passed as {var} (ARCHLINT_INPUT_*, not a name archlint reads)",
            var.startswith("ARCHLINT_INPUT_"),
        )
    runs = [(s.get("name") or s.get("id") or "?", s.get("run", "")) for s in action["runs"]["steps"]]
    bad = [n for n, r in runs if "${{" in r]
    check("no ${{ ... }} inside any run: text", not bad, f"steps: {bad}")
    outputs = action.get("outputs") or {}
    for out in ("exit-code", "errors", "warnings", "files", "sarif-file"):
        value = (outputs.get(out) or {}).get("value", "")
        check(
            f"output {out} is declared from the run step",
            re.fullmatch(r"\$\{\{\s*steps\.run\.outputs\." + re.escape(out) + r"\s*\}\}", value),
            f"value: {value!r}",
        )
    try:
        import yaml  # noqa: PLC0415, F401
    except ImportError:
        print("# PyYAML not installed: the test reads action.yml with its own parser")
    else:
        try:
            mine = load_action(path, prefer_pyyaml=False)
            check("the fallback YAML parser reads action.yml as PyYAML does", mine == action)
        except ValueError as err:
            check("the fallback YAML parser reads action.yml as PyYAML does", False, str(err))
    failed = 0
    for good, name, detail in results:
        print(("ok - " if good else "not ok - ") + name)
        if not good:
            failed += 1
            if detail:
                print(f"#   {detail}")
    return 1 if failed else 0


# --------------------------------------------------------------------------
# Outputs and what archlint printed.


def read_outputs(path):
    out = {}
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        m = re.match(r"^([^=<]+)<<(.+)$", line)
        if m:
            name, delim, body = m.group(1), m.group(2), []
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise ValueError(f"output {name}: no closing delimiter")
            i += 1
            value = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
        else:
            raise ValueError(f"bad output line: {line!r}")
        out.setdefault(name, []).append(value)
    return out


def unescape_prop(s):
    for a, b in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        s = s.replace(a, b)
    return s


def findings(report_path, cwd, workspace):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    out = []
    for entry in report["files"]:
        full = os.path.normpath(os.path.join(cwd, entry["path"]))
        rel = os.path.relpath(full, workspace)
        for d in entry["diagnostics"]:
            out.append((entry["path"], rel, d))
    return out


def annotations(stdout, report, cwd, workspace):
    got = []
    with open(stdout, encoding="utf-8") as f:
        for line in f.read().splitlines():
            m = re.match(r"^::(error|warning|notice) (.*?)::(.*)$", line)
            if not m:
                continue
            props = {}
            for part in m.group(2).split(","):
                k, _, v = part.partition("=")
                props[k] = unescape_prop(v)
            if props.get("title") == "archlint action":
                continue
            rule = re.fullmatch(r"archlint \((.+)\)", props.get("title", ""))
            got.append(
                (
                    m.group(1),
                    props.get("file"),
                    props.get("line"),
                    props.get("col"),
                    rule.group(1) if rule else None,
                )
            )
    want = []
    for _, rel, d in findings(report, cwd, workspace):
        want.append((d["severity"], rel, str(d["line"]), str(d["column"]), d["rule"]))
    # A finding over several lines has no col= (GitHub's rule); compare the rest.
    got_cmp = sorted((s, f, ln, r) for s, f, ln, _c, r in got)
    want_cmp = sorted((s, f, ln, r) for s, f, ln, _c, r in want)
    problems = []
    if got_cmp != want_cmp:
        problems.append(f"annotations {got_cmp}\n  != findings {want_cmp}")
    want_cols = {(s, f, ln, r): c for s, f, ln, c, r in want}
    for s, f, ln, c, r in got:
        if c is not None and want_cols.get((s, f, ln, r)) != c:
            problems.append(f"column of {(s, f, ln, r)}: {c} != {want_cols.get((s, f, ln, r))}")
    if not want:
        problems.append("the report has no findings: nothing was compared")
    return problems


def short(stdout, report, cwd, matcher):
    with open(matcher, encoding="utf-8") as f:
        pattern = json.load(f)["problemMatcher"][0]["pattern"][0]
    rx = re.compile(pattern["regexp"])
    keys = ("file", "line", "column", "severity", "message", "code")
    got = []
    with open(stdout, encoding="utf-8") as f:
        for line in f.read().splitlines():
            m = rx.match(line)
            if m:
                got.append(tuple(m.group(pattern[k]) for k in keys))
    want = [
        (path, str(d["line"]), str(d["column"]), d["severity"], d["message"], d["rule"])
        for path, _rel, d in findings(report, cwd, cwd)
    ]
    problems = []
    if sorted(got) != sorted(want):
        problems.append(f"matched lines {sorted(got)}\n  != findings {sorted(want)}")
    if not want:
        problems.append("the report has no findings: nothing was compared")
    return problems


def code_spans_split(line):
    """(outside, inside): the text of a line outside and inside code spans, by
    CommonMark's rule (a run of N backticks closes at the next run of exactly
    N; an unmatched run is literal text). Backslash-escaped backticks outside
    a span do not open one."""
    outside, inside = [], []
    i, n = 0, len(line)
    while i < n:
        if line[i] == "\\" and i + 1 < n:
            outside.append(line[i : i + 2])
            i += 2
            continue
        if line[i] != "`":
            outside.append(line[i])
            i += 1
            continue
        j = i
        while j < n and line[j] == "`":
            j += 1
        run = j - i
        k = j
        close = -1
        while k < n:
            if line[k] == "`":
                m = k
                while m < n and line[m] == "`":
                    m += 1
                if m - k == run:
                    close = k
                    break
                k = m
            else:
                k += 1
        if close < 0:
            outside.append(line[i:j])
            i = j
        else:
            inside.append(line[j:close])
            outside.append("`…`")
            i = close + run
    return "".join(outside), inside


def md_safe(summary, link_prefix, marker="evil"):
    problems = []
    with open(summary, encoding="utf-8") as f:
        text = f.read()
    if marker not in text:
        problems.append(f"the summary does not hold the marker {marker!r}: nothing was tested")
    # The summary's own links (percent-encoded, so without `)` or spaces) may
    # hold the marker from a file name.
    own_link = re.compile(r"\]\(" + re.escape(link_prefix) + r"[^)\s]*\)")
    for no, line in enumerate(text.splitlines(), 1):
        outside, _ = code_spans_split(own_link.sub("](LINK)", line))
        at = outside.lower().find(marker)
        if at >= 0:
            problems.append(f"line {no}: outside a code span: …{outside[max(0, at - 40) : at + 60]}…")
        if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in line):
            problems.append(f"line {no}: control character: {line!r}")
    cmark = shutil.which("cmark-gfm")
    if cmark is None:
        print("# cmark-gfm not installed: the rendered HTML is not checked")
        return problems
    html = subprocess.run(
        [cmark, "--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    allowed = {
        "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "a", "br", "em",
    }
    for tag in re.findall(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)", html):
        if tag.lower() not in allowed:
            problems.append(f"rendered HTML has a <{tag}> element")
    for href in re.findall(r"<a\s+href=\"([^\"]*)\"", html):
        if not href.startswith(link_prefix):
            problems.append(f"rendered HTML links to {href}")
    for outside in re.split(r"<code>.*?</code>", html, flags=re.S):
        if marker in re.sub(r"<[^>]*>", "", outside).lower():
            problems.append(f"rendered HTML shows {marker!r} outside <code>")
            break
    return problems


def report_problems(problems, limit=12):
    problems = list(dict.fromkeys(problems))
    if len(problems) > limit:
        problems = problems[:limit] + [f"... and {len(problems) - limit} more"]
    for p in problems:
        print(p)
    return 1 if problems else 0


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "lint":
        return lint(args[0])
    if cmd == "envname":
        names = input_env_names(load_action(args[0]))
        if args[1] not in names:
            print(f"input {args[1]} is not passed to the run step", file=sys.stderr)
            return 1
        print(names[args[1]])
        return 0
    if cmd == "env":
        action = load_action(args[0])
        given = {}
        rest = args[2:]
        if rest[:1] == ["--all-empty"]:
            given = {name: "" for name in action.get("inputs") or {}}
            rest = rest[1:]
        for item in rest:
            name, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"not NAME=VALUE: {item}")
            given[name] = value
        env = step_env(action, args[1], given)
        sys.stdout.write("".join(f"{k}={v}\0" for k, v in env.items()))
        return 0
    if cmd == "run":
        sys.stdout.write(run_step(load_action(args[0]))["run"])
        return 0
    if cmd == "output":
        values = read_outputs(args[0]).get(args[1], [])
        if len(values) != 1:
            print(f"output {args[1]} set {len(values)} times", file=sys.stderr)
            return 1
        sys.stdout.write(values[0])
        return 0
    if cmd == "annotations":
        return report_problems(annotations(*args))
    if cmd == "short":
        return report_problems(short(*args))
    if cmd == "md-safe":
        return report_problems(md_safe(*args))
    print(f"unknown command {cmd}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
