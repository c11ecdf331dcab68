// Generates TypeScript types from docs/openapi.json with openapi-typescript and type-checks the
// README flow written with openapi-fetch (readme-flow.ts) with tsc. Exit 0 when both succeed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = name => resolve(here, 'node_modules/.bin', name);
mkdirSync(resolve(here, 'generated'), { recursive: true });
const run = (program, args) => execFileSync(program, args, { cwd: here, stdio: 'inherit', env: { ...process.env, SCARF_ANALYTICS: 'false' } });
run(bin('openapi-typescript'), [resolve(here, '../../docs/openapi.json'), '--output', resolve(here, 'generated/api.d.ts'), '--silent']);
run(bin('tsc'), ['-p', resolve(here, 'tsconfig.json')]);
console.log('typescript: the README flow type-checks against docs/openapi.json');
