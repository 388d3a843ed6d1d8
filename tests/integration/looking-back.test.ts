/**
 * Reasons for looking back, on a real core recording a real camera: footage older than instant
 * replay is served only under a playback session opened with a reason (while the setting is on),
 * the reason and the session's length are in the ledger, and so is every live view with its length.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANT_REPLAY_MS } from '../../electron/core/recording/looking-back.js';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { LiveClient } from '../fixtures/live-client.js';
import type { SignedInPerson } from '../fixtures/people.js';
import { fileOlderFootage } from '../fixtures/older-footage.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { segmentLink } from '../fixtures/segment-link.js';
import { waitFor } from '../fixtures/wait-for.js';

interface Entry {
  seq: number;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

let h: TestHost;
let olive: SignedInPerson;
let cameraId: string;

beforeAll(async () => {
  const cam = await startTestCamera({ codec: 'h264', label: 'Looking back' });
  h = await startTestHost({ segmentSeconds: 2 });
  await h.core.ready;
  cameraId = (await h.api.addCamera({ name: 'Looked at', url: cam.url })).id;
  await waitFor('a closed segment', () => h.core.recordings.index.segments(cameraId, 0, Date.now() + 1e6).length >= 1, 60_000);
  olive = await h.as('olive', 'operator');
}, 90_000);
afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

const ledger = () => readFileSync(join(h.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Entry);
const since = (seq: number) => ledger().filter((e) => e.seq > seq);
const lastSeq = () => ledger().at(-1)!.seq;

/** Fetches recorded media as `who`, through a link signed for their session. */
async function media(who: SignedInPerson, path: string) {
  const res = await fetch(new URL(await who.api.mediaLink({ path }), h.baseUrl));
  return { status: res.status, text: await res.text() };
}
const playlist = (fromMs: number, startMs: number, extra = '') => `/media/${cameraId}/recording.m3u8?fromMs=${fromMs}&toMs=${Date.now() + 60_000}&startMs=${startMs}${extra}`;

describe('looking back', () => {
  it('serves instant replay at once, reaching back only so far, and refuses older footage without a playback session', async () => {
    const mark = lastSeq();
    const hourAgo = Date.now() - 3_600_000;
    const replay = await media(olive, playlist(hourAgo, Date.now() - 10_000, '&open=1'));
    expect(replay.status).toBe(200);
    expect(replay.text).toMatch(/#EXTINF/);
    const viewed = since(mark).find((e) => e.action === 'recording.view')!;
    expect(viewed).toMatchObject({ actor: 'olive', subject: cameraId, details: { instantReplay: true } });
    expect(viewed.details.fromMs as number).toBeGreaterThanOrEqual(Date.now() - INSTANT_REPLAY_MS - 60_000); // not the hour asked for

    const older = await media(olive, playlist(hourAgo, hourAgo + 60_000));
    expect(older.status).toBe(403);
    expect(older.text).toContain('needs a reason');
    const picture = await media(olive, `/media/${cameraId}/thumb.jpg?atMs=${hourAgo}`);
    expect(picture.status).toBe(403);
  });

  it('opens a playback session only with a reason or a case reference, serves older footage under it, and enters who, why and for how long', async () => {
    await expect(olive.api.openPlayback({ reason: '  ', caseReference: '' })).rejects.toMatchObject({ code: 'playback.reason-required' });
    const mark = lastSeq();
    const { id } = await olive.api.openPlayback({ reason: 'Report of a break-in on level 2', caseReference: 'CR-77' });
    const hourAgo = Date.now() - 3_600_000;
    const served = await media(olive, playlist(hourAgo, hourAgo + 60_000, `&viewing=${id}`));
    expect(served.status).toBe(200);
    // Another person cannot borrow the session.
    const ivy = await h.as('ivy', 'investigator');
    expect((await media(ivy, playlist(hourAgo, hourAgo + 60_000, `&viewing=${id}`))).status).toBe(403);
    await expect(ivy.api.closePlayback({ id })).rejects.toMatchObject({ code: 'playback.not-found' });

    await olive.api.closePlayback({ id });
    expect((await media(olive, playlist(hourAgo, hourAgo + 60_000, `&viewing=${id}`))).status).toBe(403);
    const entries = since(mark);
    expect(entries.find((e) => e.action === 'playback.open')).toMatchObject({ actor: 'olive', subject: id, details: { reason: 'Report of a break-in on level 2', caseReference: 'CR-77' } });
    expect(entries.find((e) => e.action === 'recording.view' && e.actor === 'olive')).toMatchObject({ details: { viewingId: id } });
    const closed = entries.find((e) => e.action === 'playback.close')!;
    expect(closed).toMatchObject({ actor: 'olive', subject: id, details: { why: 'closed' } });
    expect(closed.details.seconds).toEqual(expect.any(Number));
  });

  it('serves a recorded segment only through a playlist that lists it: no link for a segment alone, none to an older one without the person’s playback session', async () => {
    const { recent, old } = fileOlderFootage(h.core.recordings, cameraId);

    // No link for a segment on its own: its serving would name neither camera nor span in the ledger.
    await expect(olive.api.mediaLink({ path: `/media/segments/${old.id}.ts` })).rejects.toMatchObject({ code: 'api.invalid-argument' });
    await expect(olive.api.mediaLink({ path: `/media/segments/${recent.id}.ts` })).rejects.toMatchObject({ code: 'api.invalid-argument' });
    // Instant replay's playlist lists the recent segment, and its link works; the same link bent to
    // the older segment is not signed for it.
    const mark = ledger().length;
    const recentLink = await segmentLink(olive.api, h.baseUrl, recent);
    expect((await fetch(recentLink)).status).toBe(200);
    expect(ledger().slice(mark).find((e) => e.action === 'recording.view' && e.actor === 'olive')).toMatchObject({ subject: cameraId, details: { instantReplay: true } });
    expect((await fetch(new URL(recentLink.href.replace(`/media/segments/${recent.id}.ts`, `/media/segments/${old.id}.ts`)))).status).toBe(401);
    // Without a session, instant replay's playlist does not reach back to it.
    await expect(segmentLink(olive.api, h.baseUrl, old)).rejects.toThrow(/refused \(403\)/);

    // Under the person's playback session the playlist lists it, with links that carry the session
    // and stop working when it closes.
    const { id } = await olive.api.openPlayback({ reason: 'The hour before the alarm', caseReference: '' });
    const oldLink = await segmentLink(olive.api, h.baseUrl, old, id);
    expect(oldLink.searchParams.get('viewing')).toBe(id);
    expect((await fetch(oldLink)).status).toBe(200);
    await olive.api.closePlayback({ id });
    expect((await fetch(oldLink)).status).toBe(403);
  });

  it('ends a playback session when its person signs out, and says so in the ledger', async () => {
    const ada = await h.as('ada', 'operator');
    const { id } = await ada.api.openPlayback({ reason: '', caseReference: 'CR-78' });
    await ada.api.signOut();
    expect(ledger().find((e) => e.action === 'playback.close' && e.subject === id)).toMatchObject({ actor: 'ada', details: { why: 'session-ended' } });
  });

  it('lets only an administrator switch the reason off, which the ledger records, and then older footage is served without one', async () => {
    await expect(olive.api.setViewingPolicy({ reasonRequired: false })).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect(await olive.api.getViewingPolicy()).toEqual({ reasonRequired: true, instantReplayMinutes: INSTANT_REPLAY_MS / 60_000 });
    await h.api.setViewingPolicy({ reasonRequired: false });
    expect(ledger().filter((e) => e.action === 'settings.viewing-policy').at(-1)).toMatchObject({ actor: 'tester', details: { reasonRequired: { before: true, after: false } } });
    await expect(olive.api.openPlayback({ reason: '', caseReference: '' })).resolves.toMatchObject({ id: expect.any(String) });
    const hourAgo = Date.now() - 3_600_000;
    expect((await media(olive, playlist(hourAgo, hourAgo + 60_000))).status).toBe(200);
    await h.api.setViewingPolicy({ reasonRequired: true });
    expect((await media(olive, playlist(hourAgo, hourAgo + 60_000))).status).toBe(403);
  });

  it('enters each live view with how long it lasted', async () => {
    const mark = lastSeq();
    const live = new LiveClient(h.baseUrl, cameraId, olive.token);
    await waitFor('a live fragment', () => live.fragments.length > 0);
    await live.close();
    const closed = await waitFor('the live view to close in the ledger', () => since(mark).find((e) => e.action === 'stream.close' && e.actor === 'olive'));
    expect(closed).toMatchObject({ subject: cameraId, details: { name: 'Looked at', stream: 'main' } });
    expect(closed.details.seconds).toEqual(expect.any(Number));
    expect(since(mark).find((e) => e.action === 'stream.open' && e.actor === 'olive')!.seq).toBeLessThan(closed.seq);
  });
});
