/**
 * The simple-template fast path renders exactly what Handlebars renders, for every template
 * it accepts, whatever the data (texts, numbers, lists, nested objects, missing values,
 * primitives on the way of a path).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderWithHandlebars, type TemplateScope } from '../../src/template/render.js';
import { renderSimple, simpleParts } from '../../src/template/simple-template.js';

const names = fc.constantFrom('name', 'ticket', 'list', 'n', 'user', 'env', 'input', 'error', 'missing', 'a-b', 'x_1');
const keys = fc.constantFrom('id', 'first_name', 'length', '0', '1', 'status', 'message', 'deep', 'HOME');
const path = fc.tuple(names, fc.array(keys, { maxLength: 3 })).map(([h, rest]) => [h, ...rest].join('.'));
const text = fc.string({ maxLength: 8 }).filter((t) => !t.includes('{') && !t.includes('}') && !t.includes('\\'));
const template = fc.array(fc.oneof(text, path.map((p) => `{{${p}}}`)), { minLength: 1, maxLength: 5 }).map((xs) => xs.join(''));
const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(keys, tie('v'), { maxKeys: 3 })),
})).v;

describe('simple templates', () => {
  it('accept plain references only', () => {
    expect(simpleParts('Hi {{user.first_name}}, ticket {{ticket.id}}.')).toEqual(['Hi ', ['user', 'first_name'], ', ticket ', ['ticket', 'id'], '.']);
    for (const t of ['{{upper name}}', '{{#if a}}x{{/if}}', '{{this.name}}', '{{@root.x}}', '{{../a}}', '{{~name}}', '{{! note }}', '{{name.__proto__}}', '{{a.[b c]}}']) {
      expect(simpleParts(t)).toBeUndefined();
    }
  });

  it('render exactly what Handlebars renders', () => {
    fc.assert(
      fc.property(template, fc.dictionary(names, value, { maxKeys: 6 }), fc.dictionary(keys, fc.string({ maxLength: 5 }), { maxKeys: 3 }), fc.option(fc.string({ maxLength: 5 })), (source, vars, user, input) => {
        const scope: TemplateScope = { user, vars, env: { HOME: 'h' }, input: input ?? undefined, error: { status: 500, message: 'down' }, language: 'en' };
        const parts = simpleParts(source);
        if (!parts) return;
        const fast = renderSimple(parts, scope);
        if (fast === undefined) return; // handed over to Handlebars by design
        expect(fast).toBe(renderWithHandlebars(source, scope));
      }),
      { numRuns: 2000 },
    );
  });
});
