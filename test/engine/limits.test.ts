import { describe, expect, it } from 'vitest';
import { cutTitle, fitMessages, splitText } from '../../src/engine/limits.js';
import { Chat, botFrom } from './helpers.js';

const cps = (s: string) => [...s].length;

describe('platform limits', () => {
  it('cuts titles over 20 code points with an ellipsis', () => {
    expect(cutTitle('Short')).toBe('Short');
    expect(cutTitle('x'.repeat(20))).toBe('x'.repeat(20));
    expect(cutTitle('A very long title indeed')).toBe('A very long title i…');
    expect(cps(cutTitle('😀'.repeat(30)))).toBe(20);
  });

  it('splits long texts at sentence ends, then at spaces', () => {
    const sentence = 'This is a sentence of some length. ';
    const text = sentence.repeat(100);
    const parts = splitText(text, 2000);
    expect(parts.length).toBe(2);
    for (const p of parts) expect(cps(p)).toBeLessThanOrEqual(2000);
    expect(parts[0]!.endsWith('.')).toBe(true);
    const words = 'word '.repeat(500);
    const wparts = splitText(words, 640);
    for (const p of wparts) {
      expect(cps(p)).toBeLessThanOrEqual(640);
      expect(p.endsWith('word')).toBe(true);
    }
    expect(splitText('x'.repeat(1500), 640).map(cps)).toEqual([640, 640, 220]);
    expect(parts.join(' ')).toBe(text.trim());
  });

  it('keeps quick replies and buttons on the last part, at most 13 and 3, 640 for button texts', () => {
    const quick = Array.from({ length: 15 }, (_, i) => ({ title: `Choice number ${i} is long`, payload: `P${i}` }));
    const out = fitMessages([
      { kind: 'text', text: 'Hello. '.repeat(400), quick_replies: quick },
      { kind: 'buttons', text: 'Pick. '.repeat(200), buttons: Array.from({ length: 4 }, (_, i) => ({ type: 'postback' as const, title: `B${i}`, payload: `B${i}` })) },
    ]);
    const withQuick = out.filter((m) => m.kind === 'text' && m.quick_replies);
    expect(withQuick).toHaveLength(1);
    const qi = out.indexOf(withQuick[0]!);
    expect(out.slice(0, qi).every((m) => m.kind === 'text' && m.text.startsWith('Hello.'))).toBe(true);
    const next = out[qi + 1]!;
    expect(next.kind !== 'image' && next.text.startsWith('Pick.')).toBe(true);
    const q = withQuick[0]!.kind === 'text' ? withQuick[0]!.quick_replies! : [];
    expect(q).toHaveLength(13);
    expect(q[0]!.title).toBe('Choice number 0 is…');
    const buttons = out.filter((m) => m.kind === 'buttons');
    expect(buttons).toHaveLength(1);
    expect(out[out.length - 1]).toBe(buttons[0]);
    expect(buttons[0]!.kind === 'buttons' && buttons[0]!.buttons).toHaveLength(3);
    for (const m of out) if (m.kind !== 'image') expect(cps(m.text)).toBeLessThanOrEqual(m.kind === 'buttons' ? 640 : 2000);
  });

  it('drops empty texts and gives choices without text a "…"', () => {
    expect(fitMessages([{ kind: 'text', text: '  ' }])).toEqual([]);
    expect(fitMessages([{ kind: 'text', text: '', quick_replies: [{ title: 'a', payload: 'b' }] }])).toEqual([{ kind: 'text', text: '…', quick_replies: [{ title: 'a', payload: 'b' }] }]);
  });

  it('applies to rendered flow messages (a long rendered say with buttons)', () => {
    const b = botFrom({
      'f.yaml': `
states:
  a:
    image: https://example.com/a.png
    say: ["First.", "{{input}}"]
    buttons:
      - { title: Go, goto: b }
  b: { say: Done., end: true }
`,
    });
    const chat = new Chat(b);
    const out = chat.text('Blah blah. '.repeat(100));
    expect(out.messages[0]).toEqual({ kind: 'image', url: 'https://example.com/a.png' });
    expect(out.messages[1]).toEqual({ kind: 'text', text: 'First.' });
    const last = out.messages[out.messages.length - 1]!;
    expect(last.kind).toBe('buttons');
    for (const m of out.messages) if (m.kind !== 'image') expect(cps(m.text)).toBeLessThanOrEqual(m.kind === 'buttons' ? 640 : 2000);
  });
});
