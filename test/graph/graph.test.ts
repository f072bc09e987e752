import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/language/model.js';
import { flowToDot, flowToMermaid } from '../../src/graph/index.js';

const flow: Flow = {
  states: {
    welcome: { say: 'Hi', quick_replies: [{ title: 'Say "yes"', goto: 'end' }, { title: { en: 'Other', fr: 'Autre' }, flow: 'main-menu' }] },
    end: { say: 'Age?', ask: { save: 'age', type: 'integer', on_fail: 'human' }, next: [{ if: 'age > 17', goto: 'done' }, { goto: 'human' }], after: [{ after: '10m', goto: 'human' }] },
    human: { say: 'Bye', end: true },
    done: { say: 'Done', next: 'nowhere' },
  },
};

describe('flowToMermaid', () => {
  it('draws states, labelled choices and conditions, flow jumps and dashed exceptional edges', () => {
    expect(flowToMermaid('my-flow', flow, { highlight: 'end' })).toBe(
      [
        'flowchart TD',
        '  %% flow: my-flow',
        '  start_(("start"))',
        '  s_welcome["welcome"]',
        '  s_end["end"]',
        '  s_human(["human"])',
        '  s_done["done"]',
        '  f_main_menu[["flow: main-menu"]]',
        '  s_nowhere{{"nowhere"}}',
        '  start_ --> s_welcome',
        '  s_welcome -->|"Say #quot;yes#quot;"| s_end',
        '  s_welcome -->|"Other"| f_main_menu',
        '  s_end -->|"age #gt; 17"| s_done',
        '  s_end -->|"otherwise"| s_human',
        '  s_end -.->|"on_fail"| s_human',
        '  s_end -.->|"after 10m"| s_human',
        '  s_done --> s_nowhere',
        '  classDef otherFlow fill:#e8f0fe,stroke:#4a6fd0',
        '  class f_main_menu otherFlow',
        '  classDef missing fill:#fde2e2,stroke:#c0392b,stroke-dasharray:4 2',
        '  class s_nowhere missing',
        '  classDef current fill:#ffe08a,stroke:#b58900,stroke-width:3px',
        '  class s_end current',
        '',
      ].join('\n'),
    );
  });
  it('keeps ids unique after sanitising', () => {
    const out = flowToMermaid('x', { states: { 'a-b': { say: 'x', next: 'a_b' }, a_b: { say: 'y', end: true } } });
    expect(out).toContain('s_a_b["a-b"]');
    expect(out).toContain('s_a_b_2(["a_b"])');
    expect(out).toContain('s_a_b --> s_a_b_2');
  });
});

describe('flowToDot', () => {
  it('writes the same picture as DOT', () => {
    const out = flowToDot('my-flow', flow);
    expect(out.startsWith('digraph "my-flow" {\n')).toBe(true);
    expect(out).toContain('  s_welcome -> s_end [label="Say \\"yes\\""];');
    expect(out).toContain('  s_end -> s_human [label="on_fail", style=dashed];');
    expect(out).toContain('  f_main_menu [label="flow: main-menu", shape=component, color="#4a6fd0"];');
    expect(out).toContain('  s_human [label="human", peripheries=2];');
    expect(out.trimEnd().endsWith('}')).toBe(true);
  });
});
