import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appSecretProof, signBody, verifySignature } from '../../src/channel/signature.js';

// Test vectors from messenger-protocol.md §3.3 and §6 (computed there with Python hmac).
const SECRET = 'app_secret_example';
const BODY = Buffer.from(
  '{"object":"page","entry":[{"id":"1234","time":1700000000000,"messaging":[{"sender":{"id":"111"},"recipient":{"id":"1234"},"timestamp":1700000000000,"message":{"mid":"m_1","text":"hi"}}]}]}',
);
const SHA1 = 'sha1=4cc28d11fdd7e1d05092d43579dfa8a54f2d2ac0';
const SHA256 = 'sha256=ddddbea64c7c1a0ad81bfd619ed9767d73d64bb51fc627fd013d3b63cc1e4ed5';

describe('verifySignature', () => {
  it('uses the reference body of exactly 188 bytes', () => {
    expect(BODY.length).toBe(188);
  });

  it('accepts the reference X-Hub-Signature-256', () => {
    expect(verifySignature(BODY, { 'x-hub-signature-256': SHA256 }, SECRET)).toBe('ok');
  });

  it('finds headers whatever their case, and takes the first of repeated ones', () => {
    expect(verifySignature(BODY, { 'X-Hub-Signature-256': SHA256 }, SECRET)).toBe('ok');
    expect(verifySignature(BODY, { 'x-hub-signature-256': [SHA256, 'sha256=00'] }, SECRET)).toBe('ok');
  });

  it('accepts upper-case hex digits', () => {
    expect(verifySignature(BODY, { 'x-hub-signature-256': `sha256=${SHA256.slice(7).toUpperCase()}` }, SECRET)).toBe('ok');
  });

  it('rejects a signature made with another secret', () => {
    expect(verifySignature(BODY, { 'x-hub-signature-256': signBody(BODY, 'another_secret') }, SECRET)).toBe('invalid');
  });

  it('rejects a body changed by one byte', () => {
    const changed = Buffer.from(BODY.toString().replace('"hi"', '"ho"'));
    expect(verifySignature(changed, { 'x-hub-signature-256': SHA256 }, SECRET)).toBe('invalid');
  });

  it('rejects wrong lengths, bad digits, a wrong prefix and an empty value without throwing', () => {
    for (const value of [SHA256.slice(0, -2), `${SHA256}00`, `${SHA256.slice(0, -1)}g`, SHA256.replace('sha256=', 'sha1='), '', 'sha256=']) {
      expect(verifySignature(BODY, { 'x-hub-signature-256': value }, SECRET)).toBe('invalid');
    }
  });

  it('says missing when neither header is there', () => {
    expect(verifySignature(BODY, {}, SECRET)).toBe('missing');
    expect(verifySignature(BODY, { 'content-type': 'application/json', 'x-hub-signature-256': undefined }, SECRET)).toBe('missing');
  });

  it('falls back to the sha1 header when the 256 header is absent', () => {
    expect(verifySignature(BODY, { 'x-hub-signature': SHA1 }, SECRET)).toBe('ok');
    expect(verifySignature(BODY, { 'x-hub-signature': 'sha1=4cc28d11fdd7e1d05092d43579dfa8a54f2d2ac1' }, SECRET)).toBe('invalid');
  });

  it('ignores a valid sha1 header when a wrong 256 header is present', () => {
    expect(verifySignature(BODY, { 'x-hub-signature': SHA1, 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, SECRET)).toBe('invalid');
  });

  it('refuses everything with an empty app secret', () => {
    const signed = `sha256=${createHmac('sha256', '').update(BODY).digest('hex')}`;
    expect(verifySignature(BODY, { 'x-hub-signature-256': signed }, '')).toBe('invalid');
  });

  it('checks the raw bytes: \\u-escaped and raw UTF-8 bodies sign differently', () => {
    const escaped = Buffer.from('{"t":"\\u00e4\\u00f6\\u00e5"}');
    const header = 'sha256=20769eadc5a7a946576694de0845a0ed27f07e37305e15966b0fd4cf3f8567ee';
    expect(verifySignature(escaped, { 'x-hub-signature-256': header }, SECRET)).toBe('ok');
    expect(verifySignature(Buffer.from('{"t":"äöå"}'), { 'x-hub-signature-256': header }, SECRET)).toBe('invalid');
  });

  it('signBody produces what verifySignature accepts', () => {
    expect(signBody(BODY, SECRET)).toBe(SHA256);
  });
});

describe('appSecretProof', () => {
  it('matches the classic reference vector', () => {
    expect(appSecretProof('EAAexampletoken', SECRET)).toEqual({
      appsecret_proof: '522e1b8d67a703df15a215d9a328f997dade124c0ee3a40d0decbbd5b96e42f9',
    });
  });

  it('matches the time-stamped reference vector', () => {
    expect(appSecretProof('EAAexampletoken', SECRET, 1700000000)).toEqual({
      appsecret_proof: 'ac2f98d9e6d770f5ede17905d690486a88f375954918d611dde644e11bd3d854',
      appsecret_time: '1700000000',
    });
  });

  it('uses the integer part of the seconds', () => {
    expect(appSecretProof('EAAexampletoken', SECRET, 1700000000.9)).toEqual(appSecretProof('EAAexampletoken', SECRET, 1700000000));
  });

  it('refuses a time that is not a number of seconds', () => {
    expect(() => appSecretProof('t', 's', Number.NaN)).toThrow(/Unix seconds/);
    expect(() => appSecretProof('t', 's', -1)).toThrow(/Unix seconds/);
  });
});
