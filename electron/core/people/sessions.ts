/**
 * Who is signed in where. A session is a random bearer token the shell keeps in page memory and
 * sends with every call (never a cookie: a cookie for 127.0.0.1 reaches every other port of it).
 * A session resolves to its person as they are now (a new role applies at once, a disabled account
 * stops at once) and locks after a while without the person's own activity. A session belongs to its
 * person's session epoch: once the epoch moves on (a password changed or reset, the account disabled,
 * on this workstation or another of the site), the session is over.
 * Recorded media are fetched by elements that send no headers (video.js, img), so they get links
 * signed for one session and a short time: the link names the session by a handle, not its token.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionPerson } from '../../../shared/api.js';
import type { SessionLookup } from '../api/dispatch.js';
import type { Account } from './people-store.js';

interface Session {
  personId: string;
  /** The person's session epoch when it opened (or when its own person moved the epoch on, keeping it). */
  epoch: number;
  handle: string;
  lastActiveMs: number;
  /** The idle-lock time when the person last acted: raising it later must not unlock a session that already locked. */
  lockAfterMs: number;
}

/** How long a signed media link works. Segments of a playlist are signed when the playlist is served. */
export const MEDIA_LINK_MS = 30 * 60_000;
/** The longest any link works (a day's playlist played through at 1×, and some). */
export const MAX_MEDIA_LINK_MS = 25 * 3_600_000;

export class Sessions implements SessionLookup {
  private readonly byToken = new Map<string, Session>();
  private readonly linkKey = randomBytes(32);
  /** What to do when a session ends: its sockets close at once (sign-out, password reset, account disabled). */
  private readonly onEnded = new Map<string, Set<() => void>>();

  constructor(
    private readonly account: (personId: string) => Account | null,
    private readonly idleLockMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session for an account as just read (its epoch then). */
  open(account: Account): string {
    const token = randomBytes(32).toString('base64url');
    const handle = createHash('sha256').update(token).digest('base64url').slice(0, 22);
    this.byToken.set(token, { personId: account.person.id, epoch: account.sessionEpoch, handle, lastActiveMs: this.now(), lockAfterMs: this.idleLockMs() });
    return token;
  }

  close(token: string): void {
    this.byToken.delete(token);
    const listeners = this.onEnded.get(token);
    this.onEnded.delete(token);
    for (const listener of listeners ?? []) listener();
  }

  /** Ends every session of a person (a password reset, the account disabled), except `keep`. */
  closeAllOf(personId: string, keep?: string): void {
    for (const [token, s] of this.byToken) if (s.personId === personId && token !== keep) this.close(token);
  }

  /** Ends every session whose account no longer holds it (disabled, or its epoch moved on here or on another workstation). */
  endInvalid(): void {
    for (const [token, s] of this.byToken) if (!this.valid(s)) this.close(token);
  }

  /**
   * Runs `write`, which moves the person's session epoch on (their own password change), keeping
   * `token` across it: the session takes the new epoch; their other sessions, here or elsewhere, end.
   */
  async keepAcross(token: string, write: () => Promise<Account | null>): Promise<Account | null> {
    const session = this.byToken.get(token);
    const before = session?.epoch ?? 0;
    if (session) session.epoch = Number.NaN; // while the write runs, no epoch ends it (a notice may come before the write returns)
    let account: Account | null = null;
    try {
      account = await write();
      return account;
    } finally {
      if (session) session.epoch = account ? account.sessionEpoch : before;
    }
  }

  /** Calls `listener` once when the session ends (at once if it already has); the result stops watching. */
  onEnd(token: string | null, listener: () => void): () => void {
    if (!token || !this.byToken.has(token)) {
      listener();
      return () => undefined;
    }
    const listeners = this.onEnded.get(token) ?? new Set();
    this.onEnded.set(token, listeners.add(listener));
    return () => listeners.delete(listener);
  }

  resolve(token: string | null): { person: SessionPerson; locked: boolean } | null {
    const session = token ? this.byToken.get(token) : undefined;
    if (!session || !this.valid(session)) return null;
    const { id, name, displayName, role } = this.account(session.personId)!.person;
    return { person: { id, name, displayName, role }, locked: this.isLocked(session) };
  }

  private valid(session: Session): boolean {
    const account = this.account(session.personId);
    return account !== null && !account.person.disabled && (Number.isNaN(session.epoch) || account.sessionEpoch === session.epoch);
  }

  /** Idle for longer than the lock time (the shorter of the one when the person last acted and today's). */
  private isLocked(session: Session): boolean {
    return this.now() - session.lastActiveMs > Math.min(session.lockAfterMs, this.idleLockMs());
  }

  /** Locks the session at once: it resolves as locked until its person signs in again. */
  lock(token: string): void {
    const session = this.byToken.get(token);
    if (session) session.lastActiveMs = Number.NEGATIVE_INFINITY;
  }

  /** The person acted: an unlocked session stays awake. A locked one needs a sign-in, not a call. */
  touch(token: string): void {
    const session = this.byToken.get(token);
    if (session && !this.isLocked(session)) Object.assign(session, { lastActiveMs: this.now(), lockAfterMs: this.idleLockMs() });
  }

  /** `path` (with its query) signed for this session, for `validMs` from now (at most a day and an hour). */
  signMedia(token: string, path: string, validMs = MEDIA_LINK_MS): string | null {
    const session = this.byToken.get(token);
    if (!session) return null;
    const url = new URL(path, 'http://media.invalid');
    url.searchParams.set('sid', session.handle);
    url.searchParams.set('exp', String(this.now() + Math.min(validMs, MAX_MEDIA_LINK_MS)));
    url.searchParams.set('sig', this.signature(url));
    return url.pathname + url.search;
  }

  /** The session a signed media link was made for, if the link is intact, unexpired and its session is still signed in and not locked. */
  mediaSession(url: URL): { token: string; person: SessionPerson } | null {
    const sig = url.searchParams.get('sig') ?? '';
    const exp = Number(url.searchParams.get('exp'));
    const expected = Buffer.from(this.signature(url));
    const given = Buffer.from(sig);
    if (!Number.isFinite(exp) || exp < this.now() || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const handle = url.searchParams.get('sid');
    for (const [token, s] of this.byToken) {
      if (s.handle !== handle) continue;
      const resolved = this.resolve(token);
      return resolved && !resolved.locked ? { token, person: resolved.person } : null;
    }
    return null;
  }

  private signature(url: URL): string {
    const params = [...url.searchParams].filter(([k]) => k !== 'sig').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return createHmac('sha256', this.linkKey).update(`${url.pathname}?${new URLSearchParams(params).toString()}`).digest('base64url');
  }
}
