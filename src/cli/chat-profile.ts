/**
 * `flow chat` options that shape the conversation: `--as name=Ana,locale=fr_FR` (the
 * person's profile) and `--mock file` (answers for `call` steps, in the flow test format).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Profile } from '../engine/types.js';
import { fillNameParts, PROFILE_FIELDS } from '../studio/people.js';
import type { Mock } from '../testing/test-file.js';
import { UsageError } from './io.js';

const PROFILE_KEYS = ['id', ...PROFILE_FIELDS] as const;

/** Parses `--as key=value,key=value`; `name=Ana Lopez` also fills first and last name when not given. */
export function parseProfile(text: string | undefined): Profile {
  const profile: Profile = { id: 'cli-user' };
  if (text === undefined) return profile;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq).trim();
    if (eq < 0 || !(PROFILE_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(`--as takes key=value pairs separated by commas, with the keys ${PROFILE_KEYS.join(', ')}; "${part}" is not one. Example: --as first_name=Ana,locale=fr_FR`);
    }
    (profile as unknown as Record<string, string>)[key] = part.slice(eq + 1).trim();
  }
  return fillNameParts(profile);
}

/** Reads mocks from a YAML file: a flow test file (its `mocks:`), a file with `mocks:`, or a list. */
export function readMocks(path: string, given: string): Mock[] {
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`The mock file "${given}" cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' ? (data as { mocks?: unknown }).mocks : undefined;
  if (!Array.isArray(list)) throw new UsageError(`The mock file "${given}" has no mocks: write a list under "mocks:", e.g. mocks: [{ method: POST, url: "http://helpdesk.test/tickets", status: 201, json: { id: T-42 } }].`);
  list.forEach((m, i) => {
    if (!m || typeof m !== 'object' || typeof (m as Mock).url !== 'string') {
      throw new UsageError(`Mock ${i + 1} in "${given}" has no url: each mock needs at least url:, and usually method:, status: and json:.`);
    }
  });
  return list as Mock[];
}
