/** Sessions and signed media links on a fake clock, over accounts held in memory as a roster holds them. */
import { describe, expect, it } from 'vitest';
import { changed, type Account, type AccountChanges } from '../../electron/core/people/people-store.js';
import { MAX_MEDIA_LINK_MS, MEDIA_LINK_MS, Sessions } from '../../electron/core/people/sessions.js';

function setup(idleMs = 60_000) {
  let account: Account = { person: { id: 'p-olive', name: 'olive', displayName: 'Olive', role: 'operator', disabled: false, createdAt: 1 }, sessionEpoch: 0, revision: 0 };
  const olive = account.person;
  let now = 1_000_000;
  const sessions = new Sessions((id) => (id === olive.id ? account : null), () => idleMs, () => now);
  const store = {
    update: (_id: string, changes: AccountChanges) => (account = changed(account, changes)),
    /** A password changed: the epoch moves on, as either repository moves it. */
    newPassword: () => (account = { ...account, sessionEpoch: account.sessionEpoch + 1, revision: account.revision + 1 }),
    account: () => account,
  };
  return { store, olive, sessions, advance: (ms: number) => (now += ms), open: () => sessions.open(account) };
}
const url = (link: string) => new URL(link, 'http://127.0.0.1:1');

describe('sessions', () => {
  it('locks after the idle time unless the person acts, and stays locked until a new sign-in', () => {
    const { open, sessions, advance } = setup(10_000);
    const token = open();
    advance(9_000);
    sessions.touch(token);
    advance(9_000);
    expect(sessions.resolve(token)?.locked).toBe(false);
    advance(2_000);
    expect(sessions.resolve(token)?.locked).toBe(true);
    sessions.touch(token); // too late: acting does not unlock
    expect(sessions.resolve(token)?.locked).toBe(true);
    const again = open();
    sessions.lock(again);
    expect(sessions.resolve(again)?.locked).toBe(true);
  });

  it('signs a media link for one session, path and query, for half an hour; no token in it', () => {
    // An idle lock longer than any link (a locked session's links stop too: accountability-attacks.test.ts).
    const { olive, store, sessions, advance, open } = setup(100 * 3_600_000);
    const token = open();
    const link = sessions.signMedia(token, '/media/cam-1/recording.m3u8?fromMs=1&toMs=2')!;
    expect(link).not.toContain(token);
    expect(sessions.mediaSession(url(link))?.person.name).toBe('olive');
    for (const forged of [link.replace('toMs=2', 'toMs=3'), link.replace('cam-1', 'cam-2'), `${link}&toMs=9`, link.replace(/sig=[^&]+/, 'sig=AAAA'), link.replace(/exp=\d+/, `exp=${Number.MAX_SAFE_INTEGER}`)]) {
      expect(sessions.mediaSession(url(forged)), forged).toBeNull();
    }
    advance(MEDIA_LINK_MS + 1);
    expect(sessions.mediaSession(url(link))).toBeNull();
    // Longer links (a playlist's segments) still end; signing out or a disabled account ends them at once.
    const long = sessions.signMedia(token, '/media/segments/1.ts', 100 * 3_600_000)!;
    advance(MAX_MEDIA_LINK_MS - 1);
    expect(sessions.mediaSession(url(long))).not.toBeNull();
    advance(2);
    expect(sessions.mediaSession(url(long))).toBeNull();
    const fresh = sessions.signMedia(token, '/media/segments/1.ts')!;
    store.update(olive.id, { disabled: true });
    expect(sessions.mediaSession(url(fresh))).toBeNull();
    store.update(olive.id, { disabled: false });
    sessions.close(token);
    expect(sessions.mediaSession(url(fresh))).toBeNull();
  });

  it('ends every session of an older epoch once told (a password changed on another workstation), and says so to who watches', () => {
    const { store, sessions, open } = setup();
    const [a, b] = [open(), open()];
    const ended: string[] = [];
    sessions.onEnd(a, () => ended.push('a'));
    sessions.onEnd(b, () => ended.push('b'));
    store.newPassword();
    // Before the roster's change is heard, resolving already refuses them.
    expect(sessions.resolve(a)).toBeNull();
    sessions.endInvalid();
    expect(ended.sort()).toEqual(['a', 'b']);
    expect(sessions.resolve(open())?.person.name).toBe('olive');
  });

  it('keeps the session of the person who changed their own password, and only that one', async () => {
    const { store, sessions, open } = setup();
    const [mine, other] = [open(), open()];
    const kept = await sessions.keepAcross(mine, async () => {
      const account = store.newPassword();
      // The directory's notice can come back before the write returns.
      sessions.endInvalid();
      expect(sessions.resolve(mine)).not.toBeNull();
      return account;
    });
    expect(kept?.sessionEpoch).toBe(1);
    sessions.endInvalid();
    expect(sessions.resolve(mine)?.person.name).toBe('olive');
    expect(sessions.resolve(other)).toBeNull();
  });

  it('keeps the session at its old epoch when the password change fails', async () => {
    const { sessions, open } = setup();
    const mine = open();
    await expect(sessions.keepAcross(mine, () => Promise.reject(new Error('The directory cannot be reached.')))).rejects.toThrow('cannot be reached');
    sessions.endInvalid();
    expect(sessions.resolve(mine)?.person.name).toBe('olive');
  });

  it('ends a disabled person’s sessions for good: enabling the account again revives none', () => {
    const { store, olive, sessions, open } = setup();
    const token = open();
    // Disabled and enabled again before this workstation heard of either.
    store.update(olive.id, { disabled: true });
    store.update(olive.id, { disabled: false });
    expect(sessions.resolve(token)).toBeNull();
  });
});
