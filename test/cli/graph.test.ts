import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { HELPDESK_FLOW, memoryIo, tempProject } from './helpers.js';

describe('flow graph on a broken flow', () => {
  it('shows only the problems of the flow itself, each with its own line quoted', async () => {
    const cwd = tempProject({ 'flows/helpdesk.yaml': 'states: [\n', 'flows/other.yaml': HELPDESK_FLOW, 'flows/bot.yaml': 'call_allow: 5\n' });
    const io = memoryIo(cwd);
    expect(await main(['graph', 'helpdesk'], io)).toBe(1);
    expect(io.err()).toContain('The flow "helpdesk" cannot be drawn until these problems are fixed');
    expect(io.err()).toContain('flows/helpdesk.yaml:');
    expect(io.err()).not.toContain('bot.yaml');
  });

  it('suggests the closest state for a misspelt --highlight', async () => {
    const io = memoryIo(tempProject({ 'flows/helpdesk.yaml': HELPDESK_FLOW }));
    expect(await main(['graph', 'helpdesk', '--highlight', 'welcom'], io)).toBe(2);
    expect(io.err()).toContain('Did you mean "welcome"?');
  });
});
