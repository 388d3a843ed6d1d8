/** Sessions and signed media links on a fake clock, over a real account store. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PeopleStore } from '../../electron/core/people/people-store.js';
import { MAX_MEDIA_LINK_MS, MEDIA_LINK_MS, Sessions } from '../../electron/core/people/sessions.js';

function setup(idleMs = 60_000) {
  const store = new PeopleStore(join(mkdtempSync(join(tmpdir(), 'watchroom-sessions-')), 'people.sqlite'));
  const olive = store.add({ name: 'olive', displayName: 'Olive', role: 'operator', passwordHash: 'x' })!;
  let now = 1_000_000;
  const sessions = new Sessions(store, () => idleMs, () => now);
  return { store, olive, sessions, advance: (ms: number) => (now += ms) };
}
const url = (link: string) => new URL(link, 'http://127.0.0.1:1');

describe('sessions', () => {
  it('locks after the idle time unless the person acts, and stays locked until a new sign-in', () => {
    const { olive, sessions, advance } = setup(10_000);
    const token = sessions.open(olive.id);
    advance(9_000);
    sessions.touch(token);
    advance(9_000);
    expect(sessions.resolve(token)?.locked).toBe(false);
    advance(2_000);
    expect(sessions.resolve(token)?.locked).toBe(true);
    sessions.touch(token); // too late: acting does not unlock
    expect(sessions.resolve(token)?.locked).toBe(true);
    const again = sessions.open(olive.id);
    sessions.lock(again);
    expect(sessions.resolve(again)?.locked).toBe(true);
  });

  it('signs a media link for one session, path and query, for half an hour; no token in it', () => {
    // An idle lock longer than any link (a locked session's links stop too: accountability-attacks.test.ts).
    const { olive, store, sessions, advance } = setup(100 * 3_600_000);
    const token = sessions.open(olive.id);
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
});
