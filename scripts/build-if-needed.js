// Builds dist/ when it is missing or older than a file under src/ (so `npm start` works from a fresh clone).
import { existsSync, readdirSync, statSync } from 'node:fs';
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
if (!existsSync(stamp) || statSync(stamp).mtimeMs < newest('src')) {
  process.stdout.write('Building (TypeScript -> dist/)...\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
