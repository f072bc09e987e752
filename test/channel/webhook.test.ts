import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDelivery, toEpochMs } from '../../src/channel/webhook.js';
import { toSendBody } from '../../src/channel/send-api.js';

const dir = new URL('../fixtures/payloads/', import.meta.url);
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
}

describe('parseDelivery on the reference payloads', () => {
  it('reads a text message', () => {
    const out = parseDelivery(fixture('webhook_01_text_message.json'));
    expect(out.problems).toEqual([]);
    expect(out.ignored).toEqual([]);
    expect(out.events).toEqual([
      {
        userId: '6874512390011223',
        pageId: '104857600112233',
        recipient: { id: '6874512390011223' },
        event: { kind: 'text', text: 'What is the status of my expense claim?' },
        mid: 'm_Yk3vQ2cX9pL0aB7dE1fG4hJ6kM8nP0qR2sT4uV6wX8yZ0aC2eG4iK6mO8qS0uW2',
        timestamp: 1732105200318,
        dedupeKey: 'mid:m_Yk3vQ2cX9pL0aB7dE1fG4hJ6kM8nP0qR2sT4uV6wX8yZ0aC2eG4iK6mO8qS0uW2',
        platform: 'messenger',
      },
    ]);
  });

  it('reads a quick reply tap: payload and the tapped title', () => {
    const [e] = parseDelivery(fixture('webhook_02_quick_reply_tap.json')).events;
    expect(e.event).toEqual({ kind: 'quick_reply', payload: 'FILE_NEW_CLAIM', title: 'New Claim' });
  });

  it('reads a postback button with its mid', () => {
    const [e] = parseDelivery(fixture('webhook_03_postback_button.json')).events;
    expect(e.event).toEqual({ kind: 'postback', payload: 'APPROVE_CLAIM:7QX2K', title: 'Approve' });
    expect(e.dedupeKey).toBe('mid:m_Pb2cV4bN6mQ8wE0rT2yU4iO6pA8sD0fG2hJ4kL6zX8cV0bN2mQ4wE6rT8yU0iO2');
  });

  it('reads the Get Started postback', () => {
    const [e] = parseDelivery(fixture('webhook_04_get_started_postback.json')).events;
    expect(e.event).toEqual({ kind: 'postback', payload: 'GET_STARTED_PAYLOAD', title: 'Get Started' });
    expect(e.userId).toBe('7001234567890123');
  });

  it('reads an image attachment as an attachment with its url', () => {
    const [e] = parseDelivery(fixture('webhook_05_image_attachment.json')).events;
    expect(e.event).toEqual({
      kind: 'attachment',
      attachmentType: 'image',
      url: 'https://scontent.example-cdn.net/v/t1.15752-9/receipt_photo_1234.jpg?_nc_cat=1&oh=abc&oe=def',
    });
  });

  it.each([
    ['webhook_06_message_echo.json', 'echo'],
    ['webhook_07_message_read.json', 'read'],
    ['webhook_08_message_delivery.json', 'delivery'],
    ['webhook_12_workplace_mention_in_group_post.json', 'change:mention'],
  ])('ignores %s and counts it as %s', (name, kind) => {
    const out = parseDelivery(fixture(name));
    expect(out).toEqual({ events: [], ignored: [{ kind }], problems: [] });
  });

  it('reads every entry and every event of a batched delivery, in order', () => {
    const out = parseDelivery(fixture('webhook_09_batch_multi_entry.json'));
    expect(out.problems).toEqual([]);
    expect(out.ignored).toEqual([{ kind: 'read' }]);
    expect(out.events.map((e) => [e.pageId, e.userId, e.event.kind])).toEqual([
      ['104857600112233', '6874512390011223', 'text'],
      ['104857600112233', '7001234567890123', 'postback'],
      ['209876543210987', '5566778899001122', 'text'],
    ]);
  });

  it('keeps the Workplace community and marks the platform', () => {
    for (const name of ['webhook_10_workplace_text_message.json', 'webhook_11_workplace_quick_reply.json']) {
      const [e] = parseDelivery(fixture(name)).events;
      expect(e.platform).toBe('workplace');
      expect(e.communityId).toBe('924411223344556');
      expect(e.userId).toBe('100042211335577');
    }
    const [qr] = parseDelivery(fixture('webhook_11_workplace_quick_reply.json')).events;
    expect(qr.event).toEqual({ kind: 'quick_reply', payload: 'device_issue', title: 'Device Issue' });
  });

  it('reads Instagram messages', () => {
    const [e] = parseDelivery(fixture('webhook_13_instagram_text_message.json')).events;
    expect(e.platform).toBe('instagram');
    expect(e.event).toEqual({ kind: 'text', text: 'Is this available in blue?' });
    expect(e.pageId).toBe('17841400000000001');
  });

  it('handles every webhook fixture without problems', () => {
    const names = readdirSync(dir).filter((n) => n.startsWith('webhook_'));
    expect(names.length).toBe(13);
    for (const name of names) expect(parseDelivery(fixture(name)).problems).toEqual([]);
  });
});

function delivery(event: Record<string, unknown>, entry: Record<string, unknown> = {}): unknown {
  return { object: 'page', entry: [{ id: 'P1', time: 1732105200512, ...entry, messaging: [event] }] };
}

describe('parseDelivery edge cases', () => {
  it('replies into a Workplace group thread when the event carries one', () => {
    const withThread = delivery({ sender: { id: 'u1' }, recipient: { id: 'P1' }, thread: { id: '4455' }, timestamp: 1, message: { mid: 'm', text: 'hi' } });
    expect(parseDelivery(withThread).events[0].recipient).toEqual({ id: 'u1', thread_key: 't_4455' });
    const withKey = delivery({ sender: { id: 'u1' }, recipient: { id: 'P1', thread_key: 't_9' }, message: { mid: 'm', text: 'hi' } });
    expect(parseDelivery(withKey).events[0].recipient).toEqual({ id: 'u1', thread_key: 't_9' });
  });

  it('keeps the person with the thread, so that Messenger (which has no threads) still replies to the person', () => {
    const event = delivery({ sender: { id: 'u1' }, recipient: { id: 'P1' }, thread_key: 't_777', postback: { payload: 'GO', title: 'Go' } });
    const recipient = parseDelivery(event).events[0].recipient;
    const message = { kind: 'text' as const, text: 'Hi' };
    expect(toSendBody(recipient, message, 'workplace')?.recipient).toEqual({ thread_key: 't_777' });
    expect(toSendBody(recipient, message, 'messenger')?.recipient).toEqual({ id: 'u1' });
  });

  it('ignores events without a sender (Workplace sends some)', () => {
    const out = parseDelivery(delivery({ recipient: { id: 'P1' }, timestamp: 1, message: { text: 'auto' } }));
    expect(out).toEqual({ events: [], ignored: [{ kind: 'no-sender' }], problems: [] });
  });

  it('accepts timestamps as numbers or strings, in seconds or milliseconds', () => {
    const at = (timestamp: unknown) =>
      parseDelivery(delivery({ sender: { id: 'u' }, timestamp, postback: { payload: 'X' } })).events[0].timestamp;
    expect(at(1527459824)).toBe(1527459824000);
    expect(at('1527459824')).toBe(1527459824000);
    expect(at(1527459824123)).toBe(1527459824123);
    expect(at('1527459824123')).toBe(1527459824123);
    expect(at('soon')).toBe(1732105200512); // falls back to entry.time
    expect(toEpochMs(undefined)).toBeUndefined();
    expect(toEpochMs(-5)).toBeUndefined();
  });

  it('accepts ids given as JSON numbers', () => {
    const out = parseDelivery({ object: 'page', entry: [{ id: 42, messaging: [{ sender: { id: 7 }, timestamp: 1, message: { text: 'x' } }] }] });
    expect(out.events[0]).toMatchObject({ userId: '7', pageId: '42' });
  });

  it('derives a stable dedupe key from sender, time and payload when there is no mid', () => {
    const one = parseDelivery(delivery({ sender: { id: 'u' }, timestamp: 1000, postback: { payload: 'A' } })).events[0].dedupeKey;
    const same = parseDelivery(delivery({ sender: { id: 'u' }, timestamp: 1000, postback: { payload: 'A' } })).events[0].dedupeKey;
    const otherPayload = parseDelivery(delivery({ sender: { id: 'u' }, timestamp: 1000, postback: { payload: 'B' } })).events[0].dedupeKey;
    const otherTime = parseDelivery(delivery({ sender: { id: 'u' }, timestamp: 1001, postback: { payload: 'A' } })).events[0].dedupeKey;
    expect(one).toMatch(/^h:[0-9a-f]{40}$/);
    expect(same).toBe(one);
    expect(new Set([one, otherPayload, otherTime]).size).toBe(3);
  });

  it('prefers the text to the attachment of a shared link, and reads attachments without payload', () => {
    const link = parseDelivery(delivery({ sender: { id: 'u' }, message: { text: 'https://x', attachments: [{ type: 'fallback' }] } }));
    expect(link.events[0].event).toEqual({ kind: 'text', text: 'https://x' });
    const bare = parseDelivery(delivery({ sender: { id: 'u' }, message: { attachments: [{ type: 'fallback' }] } }));
    expect(bare.events[0].event).toEqual({ kind: 'attachment', attachmentType: 'fallback' });
  });

  it('counts other objects, standby events and unknown event kinds', () => {
    expect(parseDelivery({ object: 'group', entry: [] }).ignored).toEqual([{ kind: 'object:group' }]);
    const out = parseDelivery({ object: 'page', entry: [{ id: 'P', standby: [{}, {}], messaging: [{ sender: { id: 'u' }, reaction: {} }, { sender: { id: 'u' } }] }] });
    expect(out.ignored).toEqual([{ kind: 'standby' }, { kind: 'standby' }, { kind: 'reaction' }, { kind: 'unknown' }]);
  });

  it('says where the unreadable parts are, and reads the rest', () => {
    const out = parseDelivery({ object: 'page', entry: [null, { id: 'P', messaging: 'x' }, { messaging: [{}] }, { id: 'P', messaging: [7, { sender: { id: 'u' }, message: { text: 'ok' } }] }] });
    expect(out.events.map((e) => e.event)).toEqual([{ kind: 'text', text: 'ok' }]);
    expect(out.problems).toEqual([
      'entry[0]: the entry is not a JSON object; it was skipped.',
      'entry[1].messaging: expected a list of events; it was skipped.',
      'entry[2]: the entry has no page "id"; its 1 event(s) were skipped.',
      'entry[3].messaging[0]: the event is not a JSON object; it was skipped.',
    ]);
    expect(parseDelivery('nope').problems).toHaveLength(1);
    expect(parseDelivery({ entry: [] }).problems[0]).toContain('"object"');
  });

  it('is not fooled by __proto__ keys', () => {
    const body = JSON.parse('{"object":"page","entry":[{"id":"P","messaging":[{"__proto__":{"message":{"text":"evil"}},"sender":{"id":"u","__proto__":{"id":"x"}}}]}]}');
    const out = parseDelivery(body);
    expect(out.events).toEqual([]);
    expect(out.ignored).toEqual([{ kind: 'unknown' }]);
    expect(({} as Record<string, unknown>).message).toBeUndefined();
  });

  it('reads big batches completely', () => {
    const messaging = Array.from({ length: 5000 }, (_, i) => ({ sender: { id: `u${i % 50}` }, timestamp: 1700000000000 + i, message: { mid: `m${i}`, text: 't' } }));
    const out = parseDelivery({ object: 'page', entry: [{ id: 'P', messaging }] });
    expect(out.events).toHaveLength(5000);
    expect(new Set(out.events.map((e) => e.dedupeKey)).size).toBe(5000);
  });
});

describe('parseDelivery fuzzing', () => {
  const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('1527459824', '1732105200318', '__proto__', 'page'));
  const key = fc.constantFrom('object', 'entry', 'id', 'time', 'messaging', 'changes', 'standby', 'sender', 'recipient', 'timestamp', 'message', 'postback', 'text', 'mid', 'quick_reply', 'payload', 'title', 'attachments', 'type', 'url', 'is_echo', 'read', 'community', 'thread', 'thread_key', '__proto__', 'constructor', 'field');
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  })).value;
  const shaped = fc.record({
    object: fc.oneof(fc.constantFrom('page', 'instagram', 'group'), scalar),
    entry: fc.array(fc.record({ id: scalar, time: scalar, messaging: fc.array(json, { maxLength: 4 }) }, { requiredKeys: [] }), { maxLength: 4 }),
  }, { requiredKeys: [] });

  it('never throws, and every event it returns is complete', () => {
    fc.assert(
      fc.property(fc.oneof(json, shaped), (body) => {
        const copy = JSON.stringify(body);
        const out = parseDelivery(JSON.parse(copy));
        for (const e of out.events) {
          expect(typeof e.userId).toBe('string');
          expect(typeof e.pageId).toBe('string');
          expect(Number.isFinite(e.timestamp)).toBe(true);
          expect(e.dedupeKey.length).toBeGreaterThan(2);
          expect(e.recipient.id ?? e.recipient.thread_key).toBeTruthy();
        }
        expect(Array.isArray(out.ignored) && Array.isArray(out.problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not change its input', () => {
    fc.assert(
      fc.property(shaped, (body) => {
        const before = JSON.stringify(body);
        parseDelivery(body);
        expect(JSON.stringify(body)).toBe(before);
      }),
      { numRuns: 100 },
    );
  });
});
