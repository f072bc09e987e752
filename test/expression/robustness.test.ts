import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCondition, compileCondition, ConditionSyntaxError } from '../../src/expression/condition.js';

const conditionish = fc.stringMatching(/^[a-z0-9 .\[\]()"'=!<>&|+\-*/,?:@_]{0,25}$/);

describe('conditions on arbitrary text', () => {
  it('analysis never throws and keeps offsets inside the source', () => {
    fc.assert(fc.property(conditionish, (source) => {
      const { refs, error } = analyzeCondition(source);
      for (const span of [...refs, ...(error ? [error] : [])]) {
        expect(span.start).toBeGreaterThanOrEqual(0);
        expect(span.end).toBeGreaterThanOrEqual(span.start);
        expect(span.end).toBeLessThanOrEqual(source.length);
      }
    }), { numRuns: 400 });
  });

  it('compiles exactly what analysis accepts, and evaluation never throws', () => {
    fc.assert(fc.property(conditionish, (source) => {
      const { error } = analyzeCondition(source);
      let compiled: ((scope: Record<string, unknown>) => boolean) | undefined;
      try {
        compiled = compileCondition(source);
      } catch (thrown) {
        expect(thrown).toBeInstanceOf(ConditionSyntaxError);
        expect(error).toBeDefined();
      }
      if (compiled) expect(typeof compiled({ a: 1, b: 'x', c: [1], d: { e: null } })).toBe('boolean');
    }), { numRuns: 400 });
  });
});
