// Lints docs/openapi.json with Spectral and the OWASP API Security ruleset (.spectral.yaml).
// Fails on any error-severity finding that spectral-ignore.json does not list with a reason, on an
// entry that no longer matches anything (a stale excuse), and on more than 20 entries.
// Usage: node lint.mjs [document]   (from anywhere; prints a summary, exit 1 on failure)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const documentPath = resolve(process.argv[2] ?? resolve(here, '../../docs/openapi.json'));
const { entries } = JSON.parse(readFileSync(resolve(here, 'spectral-ignore.json'), 'utf8'));
if (entries.length > 20) fail(`spectral-ignore.json lists ${entries.length} entries: at most 20.`);
for (const e of entries) if (!e.rule || !e.where || !e.reason || e.reason.length < 40) fail(`entry without rule, where or a real reason: ${JSON.stringify(e)}`);

let output;
try {
  output = execFileSync(resolve(here, 'node_modules/.bin/spectral'),
    ['lint', documentPath, '--ruleset', resolve(here, '.spectral.yaml'), '--format', 'json', '--quiet', '--fail-severity', 'error'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SCARF_ANALYTICS: 'false' } });
} catch (e) {
  if (e.status !== 1 || !e.stdout) throw e; // 1: findings at error severity, reported below
  output = e.stdout;
}
const findings = output.trim() ? JSON.parse(output) : [];

// Component schemas a client sends: reachable from request bodies and parameters.
const document = JSON.parse(readFileSync(documentPath, 'utf8'));
const inputs = new Set();
const visit = node => {
  if (Array.isArray(node)) return node.forEach(visit);
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      const name = value.slice('#/components/schemas/'.length);
      if (!inputs.has(name)) { inputs.add(name); visit(document.components.schemas[name]); }
    } else visit(value);
  }
};
for (const item of Object.values(document.paths)) for (const operation of Object.values(item)) {
  visit(operation.requestBody);
  visit(operation.parameters);
}
const isOutput = path => path[0] === 'components' && path[1] === 'schemas' && !inputs.has(path[2]);

const used = new Map(); // entry index -> findings it excuses
const excused = f => entries.find((e, i) => {
  const hit = e.rule === f.code && (e.where === '@output' ? isOutput(f.path) : new RegExp(e.where).test(f.path.join('.')));
  if (hit) used.set(i, (used.get(i) ?? 0) + 1);
  return hit;
});
const errors = findings.filter(f => f.severity === 0);
const unexcused = errors.filter(f => !excused(f));
const stale = entries.filter((_, i) => !used.has(i));
const warnings = findings.filter(f => f.severity === 1).length;

for (const f of unexcused) console.log(`error ${f.code} at ${f.path.join('.')}: ${f.message}`);
for (const e of stale) console.log(`stale ignore entry (matches nothing): ${e.rule} ${e.where}`);
entries.forEach((e, i) => console.log(`excused ${String(used.get(i) ?? 0).padStart(4)}  ${e.rule} ${e.where}`));
console.log(`spectral (OWASP): ${errors.length} errors, ${errors.length - unexcused.length} excused by ${entries.length} entries, ${unexcused.length} not; ${warnings} warnings`);
if (unexcused.length > 0 || stale.length > 0) process.exit(1);

function fail(message) { console.error(message); process.exit(1); }
