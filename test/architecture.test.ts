/**
 * Imports run one way: a folder of src/ may import from the folders listed before it, never
 * from those after it; and the pure core never touches the network, the file system or a
 * web framework. The test reads the import lines of every file under src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/** From the bottom up. `errors` is the file src/errors.ts. */
const LAYERS = [
  'diagnostics', 'errors', 'source', 'template', 'expression', 'language', 'compile', 'engine',
  'http', 'testing', 'graph', 'store', 'channel', 'delivery', 'runtime', 'studio', 'server', 'cli',
];

/** Packages (and node: modules) the pure layers must never import. */
const IMPURE = ['fastify', 'better-sqlite3', 'ioredis', 'got', 'undici', 'node:http', 'node:https', 'node:net', 'node:fs', 'node:child_process', 'prom-client'];
const PURE_LAYERS = ['diagnostics', 'template', 'expression', 'compile', 'engine'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function layerOf(file: string): string {
  const rel = relative(SRC, file);
  return rel === 'errors.ts' ? 'errors' : rel.split(/[\\/]/)[0]!;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gms)) found.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

describe('architecture', () => {
  const all = files(SRC);

  it('knows the layer of every folder under src/', () => {
    const unknown = [...new Set(all.map(layerOf))].filter((l) => !LAYERS.includes(l));
    expect(unknown).toEqual([]);
  });

  it('imports only from the same layer or the layers below', () => {
    const wrong: string[] = [];
    for (const file of all) {
      const from = layerOf(file);
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(SRC)) continue;
        const to = layerOf(target);
        if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) wrong.push(`${relative(SRC, file)} imports ${spec} (${from} -> ${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the language, templates, conditions, compiler and engine free of I/O and frameworks', () => {
    const wrong: string[] = [];
    for (const file of all) {
      if (!PURE_LAYERS.includes(layerOf(file))) continue;
      for (const spec of imports(file)) if (IMPURE.includes(spec)) wrong.push(`${relative(SRC, file)} imports ${spec}`);
    }
    expect(wrong).toEqual([]);
  });
});
