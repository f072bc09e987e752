import { describe, expect, it } from 'vitest';
import { check, yaml } from './helpers.js';

const flow = yaml`
  states:
    a: { say: "{{env.HELPDESK_URL}} {{env.HELPDESK_TOKEN}}", end: true }
`;

describe('env-not-allowed', () => {
  it('accepts variables listed in env_allow', () => {
    expect(check('env-not-allowed', { 'main.yaml': flow, 'bot.yaml': 'env_allow: [HELPDESK_URL, HELPDESK_TOKEN]\n' })).toEqual([]);
  });

  it('reports variables not listed, with a suggestion', () => {
    const d = check('env-not-allowed', { 'main.yaml': flow, 'bot.yaml': 'env_allow: [HELPDESK_URL, HELPDESK_TOKN]\n' });
    expect(d).toHaveLength(1);
    expect(d[0]!.suggestion).toBe('env.HELPDESK_TOKN');
    expect(d[0]!.message).toContain('Add HELPDESK_TOKEN to "env_allow"');
  });

  it('reports every env variable when there is no env_allow', () => {
    const d = check('env-not-allowed', flow);
    expect(d).toHaveLength(2);
    expect(d[0]!.message).toContain('bot.yaml has no env_allow list');
  });
});
