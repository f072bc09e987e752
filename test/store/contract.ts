/**
 * The store contract suite (house style 7): every Store adapter passes these same tests; each
 * adapter's own test file is mostly one call to `runStoreContract`. Time is always passed in
 * (`now`), never read from the clock, so nothing here depends on timing.
 */
import { describe } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { inboundContract } from './contract-inbound.js';
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
    outboxContract(make);
    if (options.openPair) sharedContract(options.openPair);
  });
}
