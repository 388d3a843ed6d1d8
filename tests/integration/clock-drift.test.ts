/**
 * Recorded time against real time, with a real camera whose RTP timestamps run slow (0.8 stream
 * seconds per real second, an encoder falling behind), real ffmpeg, SQLite and ledger.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';
import { MAX_CLOCK_OFFSET_MS } from '../../electron/core/recording/segment-recorder.js';

interface LedgerLine {
  action: string;
  subject: string;
  details: { path?: string; offsetMs?: number; clockOffsetMs?: number };
}

const ledger = (dataDir: string): LedgerLine[] =>
  readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LedgerLine);

let slow: TestCamera;
let steady: TestCamera;
let h: TestHost;
const ids = { slow: '', steady: '' };
/** When each segment row was first seen in the index (ms since epoch), by path. */
const seenAt = new Map<string, number>();

beforeAll(async () => {
  [slow, steady] = await Promise.all([startTestCamera({ label: 'Slow clock', clockRate: 0.8 }), startTestCamera({ label: 'Steady clock' })]);
  h = await startTestHost();
  await h.core.ready;
  ids.slow = (await h.api.addCamera({ name: 'Slow clock', url: slow.url })).id;
  ids.steady = (await h.api.addCamera({ name: 'Steady clock', url: steady.url })).id;
});
afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

describe('recorded time against real time', () => {
  it('re-anchors a camera whose timestamps run slow: its index follows real time, the drift is in the ledger and its status', async () => {
    const index = h.core.recordings.index;
    const rows = (id: string) => index.segments(id, 0, Date.now() + 3_600_000);
    // 8 segments of the slow camera: 32 stream seconds, 40 real ones, 8 s of drift without re-anchoring.
    await waitFor(
      'eight segments of the slow camera',
      () => {
        const now = Date.now();
        for (const s of [...rows(ids.slow), ...rows(ids.steady)]) if (!seenAt.has(s.path)) seenAt.set(s.path, now);
        return rows(ids.slow).length >= 8;
      },
      90_000,
    );

    const segments = rows(ids.slow);
    // A segment is committed within the second ffmpeg lists it, and a run is re-anchored once it is a
    // second off, so each recorded end is at most ~2 s before the segment appeared in the index; a run
    // that followed the stream's clock would fall 0.2 s further behind every second (8 s by the end).
    for (const s of segments.slice(1)) {
      const lag = seenAt.get(s.path)! - s.endMs;
      expect(lag, `${s.path} seen ${lag} ms after its recorded end`).toBeGreaterThan(-500);
      expect(lag, `${s.path} seen ${lag} ms after its recorded end`).toBeLessThan(3_000);
    }
    // Re-anchoring neither overlaps segments nor opens gaps between them.
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.startMs).toBe(segments[i - 1]!.endMs);

    const entries = ledger(h.dataDir);
    const drifts = entries.filter((e) => e.action === 'recording.clock-drift');
    // 8 s of drift in 1 s steps at most: found and corrected several times.
    expect(drifts.length).toBeGreaterThanOrEqual(2);
    expect(drifts.every((e) => e.subject === ids.slow)).toBe(true);
    for (const d of drifts) {
      expect(d.details.offsetMs).toBeLessThan(-MAX_CLOCK_OFFSET_MS);
      // The measured offset is kept with the segment where it was found: in the index, and in the
      // ledger's drift entry naming it (its capture, a minute's Merkle root, binds its times).
      const row = segments.find((s) => s.path === d.details.path)!;
      expect(row.clockOffsetMs).toBe(d.details.offsetMs);
    }

    const status = (await h.api.listStreams()).find((s) => s.cameraId === ids.slow)!;
    expect(status.recording?.state).toBe('recording');
    expect(status.recording?.clockDrift?.offsetMs).toBeLessThan(-MAX_CLOCK_OFFSET_MS);
    expect(segments.map((s) => s.endMs)).toContain(status.recording?.clockDrift?.atMs);
  }, 120_000);

  it('leaves a camera with a steady clock as it is: offsets measured, never re-anchored', async () => {
    const segments = h.core.recordings.index.segments(ids.steady, 0, Date.now() + 3_600_000);
    expect(segments.length).toBeGreaterThanOrEqual(6);
    const measured = segments.filter((s) => s.clockOffsetMs !== null);
    expect(measured.length).toBeGreaterThanOrEqual(segments.length - 2);
    for (const s of measured) expect(Math.abs(s.clockOffsetMs!)).toBeLessThanOrEqual(MAX_CLOCK_OFFSET_MS);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.startMs).toBe(segments[i - 1]!.endMs);
    const status = (await h.api.listStreams()).find((s) => s.cameraId === ids.steady)!;
    expect(status.recording).toEqual({ state: 'recording' });
  });
});
