/**
 * Validation benchmark: `npx tsx bench/validate.bench.ts`.
 *
 * Two bots: one flow of 1,000 states, and a folder of 200 flows of 50 states. For each,
 * times the full `checkProjectTexts` (YAML with positions, schema, every semantic rule) and,
 * as the floor, a bare `yaml.parseDocument` of the same texts. Prints the median of several
 * repetitions and the ratio full / floor (the target is within 1.5x of the floor). Floor and
 * full runs alternate within each repetition, so a busy machine slows both alike; the median
 * of the per-repetition ratios is printed too, as it is the steadier figure on a shared machine.
 */
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { checkProjectTexts } from '../src/language/validate.js';

const REPS = Number(process.env.REPS ?? 9);

/** One state of a generated flow; every few states use each feature the rules look at. */
function state(i: number, n: number): string {
  const next = i + 1 < n ? `s${i + 1}` : 'done';
  switch (i % 5) {
    case 0:
      return `  s${i}:\n    say: "Hi {{user.first_name}}, step ${i} of ${n}. What do you need?"\n    quick_replies:\n      - title: Option A\n        set: { choice: a }\n        goto: ${next}\n      - title: Option B\n        set: { choice: b }\n        goto: ${next}\n      - title: Stop here\n        goto: done\n`;
    case 1:
      return `  s${i}:\n    say:\n      - "You picked {{choice}}."\n      - How many items?\n    ask:\n      save: qty${i}\n      type: integer\n      min: 1\n      max: 20\n      retry: "A number from 1 to 20, please."\n      on_fail: done\n    after:\n      - after: 10m\n        say: Still there?\n    next:\n      - if: qty${i} > 10 and user.department == "Sales"\n        goto: ${next}\n      - goto: ${next}\n`;
    case 2:
      return `  s${i}:\n    set: { note${i}: "{{upper choice}} x{{count}}" }\n    say: "{{#if (gt count 3)}}Many{{else}}Few{{/if}} items."\n    next: ${next}\n`;
    case 3:
      return `  s${i}:\n    say: Shall I go on?\n    buttons:\n      - title: Continue\n        goto: ${next}\n      - title: Help page\n        url: https://help.example.com/step-${i}\n`;
    default:
      return `  s${i}:\n    call:\n      method: POST\n      url: "https://api.example.com/items/${i}"\n      json: { choice: "{{choice}}", who: "{{user.email}}" }\n      save: r${i}\n      timeout: 10s\n      on_error: done\n    next: ${next}\n`;
  }
}

function flow(id: string, n: number, keyword: string): string {
  let text = `title: Generated ${id}\ntriggers:\n  keywords: [${keyword}]\nvars:\n  count: 1\n  choice: none\nstates:\n`;
  for (let i = 0; i < n; i++) text += state(i, n);
  return text + '  done:\n    say: "Bye {{user.first_name}}!"\n    end: true\n';
}

const bot = 'default_flow: f0\ncall_allow: [api.example.com]\n';
const bots = {
  'one flow of 1,000 states': [{ path: 'flows/bot.yaml', text: bot.replace('f0', 'big') }, { path: 'flows/big.yaml', text: flow('big', 1000, 'big') }],
  '200 flows of 50 states': [{ path: 'flows/bot.yaml', text: bot }, ...Array.from({ length: 200 }, (_, k) => ({ path: `flows/f${k}.yaml`, text: flow(`f${k}`, 50, `go${k}`) }))],
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

for (const [name, files] of Object.entries(bots)) {
  const chars = files.reduce((n, f) => n + f.text.length, 0);
  const first = checkProjectTexts('flows', files).diagnostics;
  // Warm up both paths (JIT, schema compilation).
  for (let i = 0; i < 2; i++) {
    checkProjectTexts('flows', files);
    for (const f of files) parseDocument(f.text);
  }
  const full: number[] = [];
  const floor: number[] = [];
  for (let r = 0; r < REPS; r++) {
    floor.push(time(() => { for (const f of files) parseDocument(f.text); }));
    full.push(time(() => checkProjectTexts('flows', files)));
  }
  const f = median(full);
  const p = median(floor);
  console.log(`${name}: ${files.length} files, ${(chars / 1024).toFixed(0)} KiB, ${first.length} diagnostics`);
  const perRep = median(full.map((x, i) => x / floor[i]!));
  console.log(`  yaml.parseDocument (floor): ${p.toFixed(1)} ms   checkProjectTexts: ${f.toFixed(1)} ms   ratio ${(f / p).toFixed(2)}x   (median of ${REPS}; median of per-repetition ratios ${perRep.toFixed(2)}x)`);
  if (first.length > 0) console.log(`  first diagnostic: ${first[0]!.file}:${first[0]!.line} ${first[0]!.code} ${first[0]!.message.slice(0, 100)}`);
}
