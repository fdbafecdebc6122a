// Mermaid's own parser as the oracle for tests/mermaid/snippets.jsonl.
//
//   node judge.mjs check   rebuild every verdict and fail when one differs from verdicts.jsonl
//   node judge.mjs write   rebuild verdicts.jsonl
//   node judge.mjs ask     read diagrams from standard input, separated by lines of
//                          `----`, and print Mermaid's verdict on each (for exploring)
//
// A verdict is what `mermaid.parse(source, { suppressErrors: false })` does under Node
// with a jsdom window: resolving means valid, throwing means invalid (errors thrown while
// Mermaid builds its model count too, as they do in a browser). The first line of
// verdicts.jsonl names the mermaid and jsdom versions that gave them.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, '..');
const require = createRequire(import.meta.url);
const version = (name) => require(`${name}/package.json`).version;

// Mermaid expects a browser: DOMPurify hooks need `window`/`document`, the sequence
// diagram's colour check needs `Option`. Copy what Node lacks from a jsdom window.
const { window } = new JSDOM('<!doctype html><html><body></body></html>', {
  pretendToBeVisual: true,
});
for (const key of Object.getOwnPropertyNames(window)) {
  if (!(key in globalThis)) {
    try {
      globalThis[key] = window[key];
    } catch {
      // read-only on globalThis: Node's own value stays
    }
  }
}
globalThis.window = window;
globalThis.document = window.document;

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const firstLine = (e) =>
  String(e?.message ?? e)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0) ?? '';

async function judge(source) {
  try {
    await mermaid.parse(source, { suppressErrors: false });
    return { valid: true, error: null };
  } catch (e) {
    return { valid: false, error: firstLine(e).slice(0, 200) };
  }
}

const mode = process.argv[2];
if (mode === 'ask') {
  const input = readFileSync(0, 'utf8');
  for (const source of input.split(/^----$/m)) {
    const text = source.replace(/^\n/, '').replace(/\n$/, '');
    const v = await judge(text);
    console.log(`${v.valid ? 'valid  ' : 'INVALID'} ${JSON.stringify(text)}${v.error ? `\n        ${v.error}` : ''}`);
  }
  process.exit(0);
}
if (mode !== 'check' && mode !== 'write') {
  console.error('usage: node judge.mjs check|write|ask');
  process.exit(2);
}
const lines = (path) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l));

const snippets = lines(join(corpus, 'snippets.jsonl'));
const header = { mermaid: version('mermaid'), jsdom: version('jsdom'), node: process.version };
const verdicts = [];
for (const s of snippets) {
  verdicts.push({ id: s.id, ...(await judge(s.source)) });
}

const path = join(corpus, 'verdicts.jsonl');
if (mode === 'write') {
  const text = [header, ...verdicts].map((v) => JSON.stringify(v)).join('\n') + '\n';
  writeFileSync(path + '.tmp', text);
  renameSync(path + '.tmp', path);
  const invalid = verdicts.filter((v) => !v.valid).length;
  console.log(`${verdicts.length} verdicts (${invalid} invalid) by mermaid ${header.mermaid}`);
  process.exit(0);
}

const [storedHeader, ...stored] = lines(path);
let problems = 0;
if (storedHeader.mermaid !== header.mermaid) {
  console.error(`verdicts.jsonl was made by mermaid ${storedHeader.mermaid}; this is ${header.mermaid}`);
  problems++;
}
const byId = new Map(stored.map((v) => [v.id, v]));
for (const v of verdicts) {
  const old = byId.get(v.id);
  if (!old) {
    console.error(`${v.id}: no stored verdict`);
    problems++;
  } else if (old.valid !== v.valid || old.error !== v.error) {
    console.error(`${v.id}: stored ${JSON.stringify(old)}, mermaid now says ${JSON.stringify(v)}`);
    problems++;
  }
  byId.delete(v.id);
}
for (const id of byId.keys()) {
  console.error(`${id}: stored verdict for a snippet that is not in snippets.jsonl`);
  problems++;
}
if (problems) {
  console.error(`${problems} verdicts differ: run \`node judge.mjs write\` after reading them`);
  process.exit(1);
}
console.log(`${verdicts.length} stored verdicts agree with mermaid ${header.mermaid}`);
