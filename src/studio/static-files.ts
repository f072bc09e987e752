/**
 * The studio's browser files: plain HTML, CSS and ES modules kept in `src/studio/static/`
 * (no build step), found from the package root so the same code works from `src/` (tsx,
 * tests) and from `dist/` (npm start); and Mermaid from the installed package, never a CDN.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The folder holding `package.json`, walking up from `start`. */
export function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'studio', 'static'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`the studio's files (src/studio/static) were not found above ${start}; reinstall the package`);
    dir = up;
  }
}

export interface StaticAsset {
  body: Buffer;
  type: string;
}

/** Reads every file of the static folder (a few kilobytes) into memory, keyed by its path with `/`. */
export function loadAssets(dir: string): Map<string, StaticAsset> {
  const out = new Map<string, StaticAsset>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const type = TYPES[extname(name)];
        if (type) out.set(relative(dir, p).split(sep).join('/'), { body: readFileSync(p), type });
      }
    }
  };
  walk(dir);
  return out;
}

/** The studio's static folder, from wherever this module runs. */
export function staticDir(): string {
  return join(findPackageRoot(dirname(fileURLToPath(import.meta.url))), 'src', 'studio', 'static');
}

/** `mermaid.min.js` of the installed `mermaid` package. */
export function mermaidPath(): string {
  return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
}
