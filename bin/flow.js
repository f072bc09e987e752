#!/usr/bin/env node
// The `flow` command: a thin shell over dist/cli/main.js (built by `npm ci` / `npm run build`).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() })
  .then((code) => { process.exitCode = code; })
  .catch((err) => { process.stderr.write(`flow: internal failure: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 3; });
