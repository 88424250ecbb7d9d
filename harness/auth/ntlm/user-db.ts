// The server's account store: NT hashes only (the password never needs to be kept).
import { ntHash } from './ntlmv2.ts';

export interface UserDb {
  /** User names compare case-insensitively (Windows accounts do). */
  lookup(user: string, domain: string): { ntHash: Uint8Array } | undefined;
}

/**
 * An in-memory UserDb. An entry without `domain` matches any domain the client names (a
 * workgroup server accepts "WORKGROUP\\user", ".\\user" and "user" alike); with `domain`, the
 * domain must match case-insensitively.
 */
export function userDb(entries: Array<{ user: string; password: string; domain?: string }>): UserDb {
  const table = entries.map((e) => ({ user: e.user.toLowerCase(), domain: e.domain?.toLowerCase(), ntHash: ntHash(e.password) }));
  return {
    lookup(user, domain) {
      const u = user.toLowerCase();
      const d = domain.toLowerCase();
      const hit = table.find((e) => e.user === u && (e.domain === undefined || e.domain === d));
      return hit ? { ntHash: hit.ntHash.slice() } : undefined;
    },
  };
}
