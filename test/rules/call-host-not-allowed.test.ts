import { describe, expect, it } from 'vitest';
import { staticHost, hostAllowed } from '../../src/language/rules/call-host-not-allowed.js';
import { check } from './helpers.js';

const flow = (url: string) => `states:\n  a:\n    call: { url: "${url}" }\n    next: b\n  b: { say: B, end: true }\n`;
const bot = 'env_allow: [API]\ncall_allow: [helpdesk.example.com, "api.example.com:8443"]\n';

describe('call-host-not-allowed', () => {
  it('reads the host and port of a literal URL, and nothing when a template decides the host', () => {
    expect(staticHost('https://Helpdesk.example.com:8080/x?y')).toMatchObject({ host: 'helpdesk.example.com', port: '8080', start: 8, end: 33 });
    expect(staticHost('{{env.API}}/tickets')).toBeUndefined();
    expect(staticHost('https://{{env.HOST}}/tickets')).toBeUndefined();
    expect(hostAllowed(['a.example.com'], 'a.example.com', '99')).toBe(true);
    expect(hostAllowed(['a.example.com:80'], 'a.example.com', '99')).toBe(false);
  });

  it('accepts allowed hosts and template hosts', () => {
    for (const url of ['https://helpdesk.example.com/t/{{input}}', 'https://api.example.com:8443/x', '{{env.API}}/x']) {
      expect(check('call-host-not-allowed', { 'main.yaml': flow(url), 'bot.yaml': bot })).toEqual([]);
    }
  });

  it('reports a host or port not allowed, at the host', () => {
    const d = check('call-host-not-allowed', { 'main.yaml': flow('https://helpdesk.exampel.com/t'), 'bot.yaml': bot });
    expect(d.map((x) => `${x.line}:${x.column}-${x.endColumn}`)).toEqual(['3:27-47']);
    expect(d[0]!.suggestion).toBe('helpdesk.example.com');
    expect(check('call-host-not-allowed', { 'main.yaml': flow('https://api.example.com:9000/x'), 'bot.yaml': bot })).toHaveLength(1);
  });

  it('reports every call when bot.yaml has no call_allow', () => {
    const d = check('call-host-not-allowed', flow('{{env.API}}/x'));
    expect(d[0]!.message).toContain('no "call_allow" list');
  });
});
