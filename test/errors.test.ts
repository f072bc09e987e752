import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allErrorCodes, errorInfo, errorMessage, flowError, FlowstateError } from '../src/errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const documented = [...doc.matchAll(/^## (FLOW_ERR_[A-Z0-9_]+)\s*$/gm)].map((m) => m[1]);

describe('runtime error catalogue', () => {
  it('documents every code in docs/errors.md', () => {
    const missing = allErrorCodes().map((e) => e.code).filter((c) => !documented.includes(c));
    expect(missing).toEqual([]);
  });

  it('documents no code that does not exist', () => {
    expect(documented.filter((c) => errorInfo(c) === undefined)).toEqual([]);
  });

  it('documents each code once, in sorted order', () => {
    expect(documented).toEqual([...new Set(documented)].sort());
  });

  it('gives the same HTTP status in the docs as in the code', () => {
    for (const { code, statusCode } of allErrorCodes()) {
      const section = doc.split(`## ${code}\n`)[1]?.split('\n## ')[0] ?? '';
      const status = /HTTP status: (\d+)/.exec(section)?.[1];
      expect({ code, status: status === undefined ? undefined : Number(status) }).toEqual({ code, status: statusCode });
    }
  });

  it('names codes in one style', () => {
    for (const { code } of allErrorCodes()) expect(code).toMatch(/^FLOW_ERR_[A-Z0-9_]+$/);
  });

  it('fills templates in order and marks missing arguments', () => {
    expect(errorMessage('FLOW_ERR_SEND_TEMPORARY', 500, 2, 'down')).toContain('(HTTP 500, Graph code 2: down)');
    expect(errorMessage('FLOW_ERR_SEND_TEMPORARY', 500)).toContain('(HTTP 500, Graph code ?: ?)');
  });

  it('builds errors with code and status', () => {
    const err = flowError('FLOW_ERR_SIGNATURE_INVALID', 'sha256=…');
    expect(err).toBeInstanceOf(FlowstateError);
    expect(err.code).toBe('FLOW_ERR_SIGNATURE_INVALID');
    expect(err.statusCode).toBe(403);
    expect(flowError('FLOW_ERR_SEND_GAVE_UP', 12, 'x').statusCode).toBeUndefined();
  });
});
