import { describe, expect, it } from 'vitest';
import { at, check } from './helpers.js';

const flow = (say: string) => `states:\n  a:\n    say: ${say}\n    buttons: [{ title: OK, goto: a }]\n`;

describe('button-text-too-long', () => {
  it('accepts 640 characters on the message with buttons, and long earlier messages', () => {
    expect(check('button-text-too-long', flow('x'.repeat(640)))).toEqual([]);
    expect(check('button-text-too-long', flow(`["${'y'.repeat(1500)}", Short]`))).toEqual([]);
  });

  it('reports the last message when it is over 640 characters', () => {
    const d = check('button-text-too-long', flow(`[Hello, "${'x'.repeat(641)}"]`));
    expect(at(d)).toEqual(['3:18']);
    expect(d[0]!.message).toContain('641 characters');
  });
});
