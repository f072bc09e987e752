/**
 * The people the studio pretends to be. Each "person" is a fresh user id (`studio-...`) with
 * the profile the author typed; a new person means a new conversation, exactly as for a
 * colleague writing to the bot for the first time. The event worker asks `get(userId)` for
 * the profile of a person it has not seen yet (pass this object as its `profiles` option).
 */
import { randomBytes } from 'node:crypto';
import type { Profile } from '../engine/types.js';

/** The profile fields an author may set (the engine's `user.*`, except the id). */
export const PROFILE_FIELDS = ['name', 'first_name', 'last_name', 'email', 'title', 'department', 'locale'] as const;

/** A studio user id: `studio-<8 hex>-<n>`. */
export const STUDIO_USER = /^studio-[0-9a-f]{8}-[0-9]{1,9}$/;

/** Fills `first_name` and `last_name` from `name` ("Ana Lopez") when they are not given. */
export function fillNameParts(profile: Profile): Profile {
  if (!profile.name) return profile;
  const [first, ...rest] = profile.name.trim().split(/\s+/);
  if (profile.first_name === undefined) profile.first_name = first!;
  if (profile.last_name === undefined && rest.length > 0) profile.last_name = rest.join(' ');
  return profile;
}

/** A lookup of profiles by user id, the shape the event worker's `profiles` option takes. */
export interface ProfileSource {
  get(userId: string): Promise<Profile | undefined>;
}

export interface StudioPeople extends ProfileSource {
  /** Creates a new person with this profile (fields outside `PROFILE_FIELDS` are ignored). */
  create(profile?: Partial<Profile>): { userId: string; profile: Profile };
  /** The profile given to a studio person, if this process created them. */
  profileOf(userId: string): Profile | undefined;
}

/**
 * Creates the people registry. `fallback` answers for ids that are not studio people (outside
 * local mode: the Graph profile client), so one object can serve as the worker's `profiles`.
 */
export function createStudioPeople(options: { fallback?: ProfileSource; limit?: number } = {}): StudioPeople {
  const boot = randomBytes(4).toString('hex');
  const limit = options.limit ?? 1000;
  const profiles = new Map<string, Profile>();
  let counter = 0;
  return {
    create(given = {}) {
      const userId = `studio-${boot}-${++counter}`;
      const profile: Profile = { id: userId };
      for (const key of PROFILE_FIELDS) {
        const v = given[key];
        if (typeof v === 'string' && v.trim() !== '') profile[key] = v.trim();
      }
      fillNameParts(profile);
      profiles.set(userId, profile);
      if (profiles.size > limit) profiles.delete(profiles.keys().next().value!);
      return { userId, profile: { ...profile } };
    },
    profileOf(userId) {
      const p = profiles.get(userId);
      return p ? { ...p } : undefined;
    },
    async get(userId) {
      const p = profiles.get(userId);
      if (p) return { ...p };
      if (STUDIO_USER.test(userId)) return { id: userId };
      return options.fallback?.get(userId);
    },
  };
}
