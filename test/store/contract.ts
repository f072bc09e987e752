/**
 * The store contract suite (house style 7): every Store adapter passes these same tests; each
 * adapter's own test file is mostly one call to `runStoreContract`. Time is always passed in
 * (`now`), never read from the clock, so nothing here depends on timing.
 *
 * The semantics the port leaves open, as these tests pin them down:
 * - dedupe: a key is remembered for 7 days after it arrived (`now` of `addInbound`), also
 *   after its event was handled; later it is accepted again;
 * - a live lease (`until > now`) blocks everyone, its holder included (one owner id may run
 *   several workers); `commit` needs a live lease of the same owner, else `lost-lease`;
 *   `lost-lease` is checked before `conflict`; a failed commit changes nothing;
 * - `claimUser` picks the person with the oldest pending event among those not leased;
 * - outbox heads are handed out oldest first; a leased head (live lease, any owner) is
 *   skipped; `ackOutbox` and `dropOutbox` remove the record whoever holds it now (sending it
 *   again would double it); `retryOutbox` only applies while the caller still holds it, and
 *   frees it for a claim at `notBefore`;
 * - `fireDueTimers` moves timers with `at <= now` (earliest first) into inbound with key
 *   `timer:<userId>:<timerId>` (not subject to dedupe: the move itself is exactly once), an
 *   event `{ userId, pageId, recipient?, event: { kind: 'timer', timerId }, timestamp: at }`
 *   and `receivedAt = now`; page and recipient come from the last event handled by the
 *   commit that set the timer (else its last reply, else the person's earlier timers);
 * - `commit` does not re-arm a timer whose fired event is still waiting in inbound and is
 *   not among the handled ones (the step was computed before the timer fired);
 * - a stored conversation of another format version reads as `undefined`, `rev` kept;
 * - a lease is also free once its owner's heartbeat lapsed or it retired (an owner that never
 *   sent a heartbeat is judged by `until` alone); `commit` ignores liveness (contract-liveness.ts);
 * - `commitNow` (contract-direct.ts) writes only for a person with no pending event, no lease
 *   that counts and an unchanged `rev`, and marks the key seen as `addInbound` would; a
 *   refusal writes nothing, not even the key.
 */
import { describe } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { directContract } from './contract-direct.js';
import { inboundContract } from './contract-inbound.js';
import { livenessContract } from './contract-liveness.js';
import { outboxContract } from './contract-outbox.js';
import { sharedContract, type OpenPair } from './contract-shared.js';

export interface ContractOptions {
  /**
   * For stores that outlive an instance (SQLite, Redis): opens a store and returns a way to
   * open another instance on the same data. Enables the reopen and two-instance tests.
   */
  openPair?: OpenPair;
}

/** Runs the whole contract against fresh, empty stores made by `make`. */
export function runStoreContract(name: string, make: () => Promise<Store>, options: ContractOptions = {}): void {
  describe(`Store contract: ${name}`, () => {
    inboundContract(make);
    directContract(make);
    outboxContract(make);
    livenessContract(make, options.openPair);
    if (options.openPair) sharedContract(options.openPair);
  });
}
