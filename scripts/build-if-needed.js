// Builds dist/ with the TypeScript compiler when it is missing or older than a file under src/
// (so `npm start` works from a fresh clone); `--force` always builds. Writes dist/.built.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const stamp = 'dist/.built';
const force = process.argv.includes('--force');
if (force || !existsSync(stamp) || statSync(stamp).mtimeMs < newest('src')) {
  if (!force) process.stdout.write('Building (TypeScript -> dist/)...\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  writeFileSync(stamp, new Date().toISOString() + '\n');
}
