/** Builds dist/ when it is missing or stale: the end-to-end tests start the built server. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-if-needed.js'], { stdio: 'inherit' });
}
