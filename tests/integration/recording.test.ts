/**
 * Continuous recording against real RTSP cameras, real ffmpeg, real SQLite and real files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, stopAllTestCameras, type TestCamera } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { ffmpegFor } from '../fixtures/process-table.js';
import { waitFor } from '../fixtures/wait-for.js';
import { probeSeconds, segmentFiles, sha256 } from '../fixtures/recording-checks.js';
import { applyRetention } from '../../electron/core/recording/retention.js';
import type { AuditEntry } from '../../shared/api.js';
import { checkInclusion, minuteOf, segmentLeaf } from '../../electron/core/audit/capture-proof.js';
import { treeHash } from '../../electron/core/audit/merkle-tree.js';
import type { SegmentRow } from '../../electron/core/recording/segment-index.js';
import { startHostProcess, tempDataDir, writeCameraFile } from '../fixtures/host-process.js';

let cams: TestCamera[] = [];

beforeAll(async () => {
  cams = await Promise.all([1, 2].map((n) => startTestCamera({ codec: 'h264', label: `Rec ${n}` })));
});
afterAll(async () => stopAllTestCameras());

const ledgerEntries = (dataDir: string) => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);

/** The segments the ledger's minute entries name (path → the entry), and whether any segment.closed was written. */
function capturedPaths(dataDir: string): { minutes: Map<string, AuditEntry>; segmentClosed: number } {
  const minutes = new Map<string, AuditEntry>();
  const entries = ledgerEntries(dataDir);
  for (const e of entries) if (e.action === 'recording.minute') for (const p of e.details!.paths as string[]) minutes.set(p, e);
  return { minutes, segmentClosed: entries.filter((e) => e.action === 'segment.closed').length };
}

/** The row's capture entry, read where the row says it is, proves it: its inclusion path leads to the entry's root. */
function expectProven(dataDir: string, row: SegmentRow): AuditEntry {
  const ledger = readFileSync(join(dataDir, 'audit.jsonl'));
  expect(row.ledgerOffset, row.path).not.toBeNull();
  const entry = JSON.parse(ledger.subarray(row.ledgerOffset!, ledger.indexOf(0x0a, row.ledgerOffset!)).toString()) as AuditEntry;
  expect(entry).toMatchObject({ action: 'recording.minute', subject: row.cameraId });
  expect(checkInclusion(row, row.proof!, entry), row.path).toBeNull();
  return entry;
}

describe('continuous recording', () => {
  let h: TestHost;
  const ids: string[] = [];

  beforeAll(async () => {
    h = await startTestHost();
    await h.core.ready;
    for (const [i, cam] of cams.entries()) ids.push((await h.api.addCamera({ name: `Rec ${i + 1}`, url: cam.url })).id);
  });
  afterAll(async () => h?.close());

  it('records 2 cameras for 30 s into contiguous, readable, hashed and indexed segments, with nobody watching', async () => {
    const started = Date.now();
    const index = h.core.recordings.index;
    const closedOf = (id: string) => index.segments(id, started - 60_000, Date.now() + 60_000);
    await waitFor('30 s of both cameras recorded', () => ids.every((id) => (closedOf(id).at(-1)?.endMs ?? 0) >= started + 30_000), 120_000);
    for (const id of ids) {
      const segments = closedOf(id);
      expect(segments.length).toBeGreaterThanOrEqual(6);
      for (let i = 1; i < segments.length; i++) expect(segments[i]!.startMs - segments[i - 1]!.endMs).toBeLessThanOrEqual(100);
      let probed = 0;
      for (const s of segments) {
        const file = join(h.core.recordings.root, s.path);
        probed += probeSeconds(file);
        expect(sha256(file)).toBe(s.sha256);
        expect(s.repaired).toBe(false);
      }
      // The files hold the time the index says they do, and that is the 30 s of wall time waited for.
      const indexed = (segments.at(-1)!.endMs - segments[0]!.startMs) / 1_000;
      expect(Math.abs(probed - indexed)).toBeLessThanOrEqual(1.5);
      expect(indexed).toBeGreaterThan(30 - 4);
      expect(index.ranges(id, started - 60_000, Date.now())).toHaveLength(1);
      const status = (await h.api.listStreams()).find((s) => s.cameraId === id)!;
      expect(status.health.subscribers).toBe(0);
      expect(status.recording).toEqual({ state: 'recording' });
    }
    // The storage figure shown beside the retention settings is what the indexed files take.
    const all = ids.flatMap((id) => index.segments(id, 0, Date.now() + 60_000));
    const usage = await h.api.getStorageUsage();
    expect(usage.oldestMs).toBe(Math.min(...all.map((s) => s.startMs)));
    expect(usage.usedBytes).toBeGreaterThanOrEqual(all.reduce((sum, s) => sum + statSync(join(h.core.recordings.root, s.path)).size, 0));

    // Each minute is sealed once it is over (its camera recording on): when a segment of the next minute
    // commits, one ledger entry per camera and minute, whose Merkle root each row's inclusion path leads
    // to from its record (evidence extracts read it there).
    const nextMinuteBegun = (id: string) => minuteOf(closedOf(id).at(-1)!.endMs) > minuteOf(closedOf(id)[0]!.endMs);
    await waitFor('a segment of each camera in a minute after its first', () => ids.every(nextMinuteBegun), 120_000);
    const { minutes, segmentClosed } = capturedPaths(h.dataDir);
    expect(segmentClosed).toBe(0);
    for (const id of ids) {
      const segments = closedOf(id);
      const over = segments.filter((s) => minuteOf(s.endMs) < minuteOf(segments.at(-1)!.endMs));
      expect(over.length).toBeGreaterThan(0);
      const entryOfMinute = new Map<number, number>();
      for (const s of over) {
        expect(s.captureOpen, `${s.path} is sealed: a segment of a later minute committed`).toBe(false);
        const entry = expectProven(h.dataDir, s);
        expect(minutes.get(s.path)?.seq).toBe(entry.seq);
        // One entry for the whole minute, not one per segment.
        expect(entryOfMinute.get(minuteOf(s.endMs)) ?? entry.seq, s.path).toBe(entry.seq);
        entryOfMinute.set(minuteOf(s.endMs), entry.seq);
      }
    }
  }, 180_000);

  it('keeps every closed segment intact when ffmpeg is SIGKILLed mid-segment, and the gap stays within the reconnect time', async () => {
    const id = ids[0]!;
    const index = h.core.recordings.index;
    await waitFor('a closed segment', () => index.segments(id, 0, Date.now() + 60_000).length >= 1, 30_000);
    await new Promise((r) => setTimeout(r, 1_500)); // well into the next segment
    const before = index.segments(id, 0, Date.now() + 60_000);
    // Its ffmpeg as it is connected to the camera now (on a busy machine it may be between reconnects).
    const proc = await waitFor('the camera’s ffmpeg, connected', () => ffmpegFor(cams[0]!.port)[0], 30_000);
    const statusesBefore = h.statuses.length;
    const killedAt = Date.now();
    process.kill(proc.pid, 'SIGKILL');
    // How long the camera was really gone: until its stream was live again (on a busy machine the
    // camera and ffmpeg may take far longer than the fast backoff to come back).
    const down = await waitFor('the stream to go down', () => {
      const i = h.statuses.slice(statusesBefore).findIndex((s) => s.cameraId === id && s.stream === 'main' && s.state !== 'live');
      return i === -1 ? undefined : statusesBefore + i;
    }, 30_000);
    await h.waitForState(id, 'live', down + 1, 60_000);
    const liveAgainAt = Date.now();
    await waitFor('recording to resume', () => index.segments(id, killedAt + 1, Date.now() + 60_000).filter((s) => !s.repaired && s.startMs > killedAt).length >= 1, 30_000);
    for (const s of before) expect(sha256(join(h.core.recordings.root, s.path))).toBe(s.sha256);
    const after = index.segments(id, 0, Date.now() + 60_000);
    // The segment being written at the kill: the latest repaired one begun before it (a busy machine
    // may have stalled and restarted this camera earlier, leaving an older repaired segment).
    const salvaged = after.filter((s) => s.repaired && s.startMs < killedAt).at(-1);
    expect(salvaged, 'the segment being written was trimmed and kept').toBeDefined();
    expect(salvaged!.startMs).toBeGreaterThanOrEqual(before.at(-1)!.endMs);
    expect(probeSeconds(join(h.core.recordings.root, salvaged!.path))).toBeGreaterThan(0);
    const resumed = after.find((s) => s.startMs > salvaged!.startMs)!;
    // The only footage lost is the reconnect: recording resumes with the stream. (What the camera
    // sent before the kill but ffmpeg had not yet written is lost with it; on a busy machine the
    // camera itself lags, so the salvaged end is not compared with the moment of the kill.)
    expect(resumed.startMs).toBeGreaterThanOrEqual(salvaged!.endMs);
    expect(resumed.startMs).toBeLessThanOrEqual(liveAgainAt + 1_500);
  }, 240_000);
});

describe('after a crash', () => {
  it('seals the minute a crash left open from the index kept, once each file hashes as recorded, marked as after the restart', async () => {
    const dataDir = tempDataDir();
    const crashed = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile([{ name: 'Crash', url: cams[1]!.url }])]);
    const root = join(dataDir, 'recordings');
    await waitFor('two closed segments', () => existsSync(root) && segmentFiles(root).filter((p) => !p.includes('/incoming/')).length >= 2, 40_000);
    await crashed.stop('SIGKILL');
    await waitFor('its ffmpeg to die with it', () => ffmpegFor(cams[1]!.port).length === 0, 5_000);
    const before = capturedPaths(dataDir).minutes;
    const closed = segmentFiles(root).filter((p) => !p.includes('/incoming/'));
    const open = closed.filter((p) => !before.has(p));
    expect(open.length, 'segments whose minute the crash left open').toBeGreaterThan(0);

    const restarted = await startTestHost({ dataDir });
    expect((await restarted.core.ready).hashMismatches).toEqual([]);
    for (const path of closed) {
      const entry = expectProven(dataDir, restarted.core.recordings.index.byPath(path)!);
      if (open.includes(path)) expect(entry.details, path).toMatchObject({ afterRestart: true });
      else expect(entry.seq).toBe(before.get(path)!.seq);
    }
    // An export of that footage says so in its manifest.
    const rows = open.map((p) => restarted.core.recordings.index.byPath(p)!).sort((a, b) => a.startMs - b.startMs);
    const job = await restarted.api.startExport({ cameraIds: [rows[0]!.cameraId], fromMs: rows[0]!.startMs, toMs: rows.at(-1)!.endMs, reason: 'crash test', caseReference: 'C-RESTART', recipient: null, workingCopy: false });
    const done = await waitFor('the export to end', async () => {
      const now = await restarted.api.getExport({ id: job.id });
      return now.state === 'running' ? undefined : now;
    }, 60_000);
    expect(done.state, done.error?.message).toBe('done');
    const manifest = JSON.parse(readFileSync(join(done.packagePath!, 'manifest.json'), 'utf8'));
    const sources = manifest.cameras[0].sourceSegments as Array<{ path: string; inclusion: { sealedAfterRestart?: boolean } }>;
    for (const s of sources.filter((x) => open.includes(x.path))) expect(s.inclusion.sealedAfterRestart, s.path).toBe(true);
    expect(sources.some((x) => open.includes(x.path))).toBe(true);
    await restarted.close();
  }, 180_000);

  it('rebuilds the index from disk on restart and it matches the files and the hashes taken at capture', async () => {
    // A real crash: the host process SIGKILLed mid-recording (its ffmpeg dies with it), index deleted.
    const dataDir = tempDataDir();
    const crashed = await startHostProcess(['--data', dataDir, '--cameras', writeCameraFile([{ name: 'Crash', url: cams[1]!.url }])]);
    const root = join(dataDir, 'recordings');
    await waitFor('three closed segments', () => existsSync(root) && segmentFiles(root).filter((p) => !p.includes('/incoming/')).length >= 3, 40_000);
    // The index is lost with the crash: only minutes sealed before it prove their segments afterwards.
    await waitFor('a minute sealed', () => capturedPaths(dataDir).minutes.size > 0 || undefined, 120_000);
    await crashed.stop('SIGKILL');
    await waitFor('its ffmpeg to die with it', () => ffmpegFor(cams[1]!.port).length === 0, 5_000);
    for (const f of ['recordings.sqlite', 'recordings.sqlite-wal', 'recordings.sqlite-shm']) rmSync(join(dataDir, f), { force: true });
    const capturedBefore = capturedPaths(dataDir).minutes;
    expect(capturedBefore.size).toBeGreaterThanOrEqual(1);
    const interrupted = segmentFiles(root).filter((p) => p.includes('/incoming/'));
    expect(interrupted.length, 'a segment was being written when the host died').toBeGreaterThan(0);

    const restarted = await startTestHost({ dataDir });
    const report = await restarted.core.ready;
    expect(report.hashMismatches).toEqual([]);
    expect(report.indexed).toBeGreaterThanOrEqual(3);
    // The app says what it did: the same report is what the UI shows at start.
    expect(await restarted.api.getRecordingCheck()).toEqual(report);
    const onDisk = segmentFiles(root).filter((p) => !p.includes('/incoming/'));
    const rows = restarted.core.recordings.index.all();
    expect(rows.map((r) => r.path).sort()).toEqual(onDisk);
    for (const r of rows) {
      expect(sha256(join(root, r.path))).toBe(r.sha256);
      expect(probeSeconds(join(root, r.path))).toBeGreaterThan(0);
    }
    // The rows of each minute sealed before the crash give that minute's Merkle root: their hashes,
    // times and sizes are those taken at capture.
    const byPath = new Map(rows.map((r) => [r.path, r]));
    for (const entry of new Set(capturedBefore.values())) {
      const leaves = (entry.details!.paths as string[]).map((p) => segmentLeaf(byPath.get(p)!));
      expect(treeHash(leaves).toString('hex'), String(entry.details!.minute)).toBe(entry.details!.root);
    }
    // Every segment the crash interrupted was committed or salvaged: nothing is left half-done.
    // (The restarted host records again, so a new run may already be writing in incoming/.)
    expect(segmentFiles(root).filter((p) => interrupted.includes(p))).toEqual([]);
    expect(readFileSync(join(dataDir, 'audit.jsonl'), 'utf8')).toContain('"recording.reconciled"');
    await restarted.close();
  }, 180_000); // waits for a minute to be sealed before the crash
});

describe('retention', () => {
  it('deletes the oldest first, never locked footage, and leaves index and disk in agreement', async () => {
    const h = await startTestHost({ segmentSeconds: 2 });
    await h.core.ready;
    const cam = await h.api.addCamera({ name: 'Retained', url: cams[0]!.url });
    const index = h.core.recordings.index;
    await waitFor('six closed segments', () => index.segments(cam.id, 0, Date.now() + 1e6).length >= 6, 40_000);
    await h.api.updateCamera({ id: cam.id, changes: { recording: false } });
    const all = index.segments(cam.id, 0, Date.now() + 1e6);
    const [oldest, second, third] = all;
    index.addLock(cam.id, { startMs: second!.startMs + 10, endMs: second!.endMs - 10 }, 'incident 7');
    const keepBytes = all.slice(-2).reduce((n, s) => n + s.bytes, 0) + second!.bytes;
    const deletions: string[] = [];
    await applyRetention(index, h.core.recordings.root, { maxAgeDays: 31, maxTotalBytes: keepBytes, maxBytesPerCamera: null }, Date.now(), (action, _s, d) => void deletions.push(`${action}:${d.path}:${d.reason}`));
    const left = index.segments(cam.id, 0, Date.now() + 1e6).map((s) => s.path);
    expect(left).toContain(second!.path);
    expect(left).not.toContain(oldest!.path);
    expect(left).not.toContain(third!.path);
    expect(left).toEqual([second!.path, ...all.slice(-2).map((s) => s.path)]);
    expect(deletions[0]).toBe(`segment.deleted:${oldest!.path}:total-quota`);

    // A day after the newest segment ended: everything unlocked and older goes, the lock still holds.
    const newest = all.at(-1)!;
    await applyRetention(index, h.core.recordings.root, { maxAgeDays: 1, maxTotalBytes: 1e12, maxBytesPerCamera: null }, newest.endMs + 86_400_000, () => undefined);
    expect(index.segments(cam.id, 0, Date.now() + 1e6).map((s) => s.path)).toEqual([second!.path, newest.path]);
    expect(segmentFiles(join(h.core.recordings.root, cam.id)).filter((p) => !p.includes('incoming'))).toEqual([second!.path, newest.path].map((p) => p.slice(cam.id.length + 1)));
    await h.close();
  });

  it('keeps its floor of free space on a small disk: the oldest unlocked footage goes first, locked footage never', async () => {
    const root = mkdtempSync(join(tmpdir(), 'watchroom-small-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', root]);
    const h = await startTestHost({ segmentSeconds: 2, recordingsDir: root });
    try {
      await h.core.ready;
      const cam = await h.api.addCamera({ name: 'Small disk', url: cams[0]!.url });
      const index = h.core.recordings.index;
      await waitFor('six closed segments', () => index.segments(cam.id, 0, Date.now() + 1e6).length >= 6, 40_000);
      await h.api.updateCamera({ id: cam.id, changes: { recording: false } });
      const all = index.segments(cam.id, 0, Date.now() + 1e6);
      const [oldest, second, third] = all;
      index.addLock(cam.id, { startMs: second!.startMs + 10, endMs: second!.endMs - 10 }, 'incident 8');
      // A floor just above what is free now by the oldest segment and half the third: the second is locked.
      const free = () => {
        const disk = statfsSync(root);
        return disk.bavail * disk.bsize;
      };
      const floor = { fraction: 0, bytes: free() + oldest!.bytes + third!.bytes / 2 };
      const deletions: string[] = [];
      await applyRetention(index, root, { maxAgeDays: 31, maxTotalBytes: 1e12, maxBytesPerCamera: null }, Date.now(), (action, _s, d) => void deletions.push(`${action}:${d.path}:${d.reason}`), floor);
      expect(deletions).toEqual([oldest, third].map((s) => `segment.deleted:${s!.path}:free-space`));
      expect(index.segments(cam.id, 0, Date.now() + 1e6).map((s) => s.path)).toEqual([second!, ...all.slice(3)].map((s) => s.path));
      expect(segmentFiles(join(root, cam.id)).filter((p) => !p.includes('incoming'))).toEqual([second!, ...all.slice(3)].map((s) => s.path.slice(cam.id.length + 1)));
      expect(free()).toBeGreaterThanOrEqual(floor.bytes);

      // Space that deleting footage does not give back (here every segment has a second link) ends the
      // pass after one round, instead of emptying the disk of footage without reaching the floor.
      for (const s of all.slice(3)) linkSync(join(root, s.path), join(root, `held-${s.id}.ts`));
      deletions.length = 0;
      await applyRetention(index, root, { maxAgeDays: 31, maxTotalBytes: 1e12, maxBytesPerCamera: null }, Date.now(), (action, _s, d) => void deletions.push(`${action}:${d.path}:${d.reason}`), { fraction: 0, bytes: free() + 1 });
      expect(deletions).toEqual([`segment.deleted:${all[3]!.path}:free-space`]);
    } finally {
      await h.close();
      execFileSync('umount', ['-l', root]);
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a full disk', () => {
  it('puts the affected camera in a clear error state, damages nothing, and leaves other cameras recording', async () => {
    const h = await startTestHost();
    await h.core.ready;
    const full = await h.api.addCamera({ name: 'Small disk', url: cams[0]!.url, recording: false });
    const fine = await h.api.addCamera({ name: 'Big disk', url: cams[1]!.url });
    const mountPoint = join(h.core.recordings.root, full.id);
    mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', mountPoint]);
    try {
      const mark = h.statuses.length;
      await h.api.updateCamera({ id: full.id, changes: { recording: true } });
      const status = await waitFor(
        'a disk-full error on the small-disk camera',
        () => h.statuses.slice(mark).find((s) => s.cameraId === full.id && s.recording?.state === 'error'),
        60_000,
      );
      expect(status.recording!.reason).toMatch(/disk is full/);
      // Live view goes on for the camera whose disk is full.
      await h.waitForState(full.id, 'live', h.statuses.length - 1 >= 0 ? mark : 0);
      const fineBefore = h.core.recordings.index.segments(fine.id, 0, Date.now() + 1e6).length;
      await waitFor('the other camera to keep recording', () => h.core.recordings.index.segments(fine.id, 0, Date.now() + 1e6).length >= fineBefore + 2, 20_000);
      for (const rel of segmentFiles(mountPoint)) expect(probeSeconds(join(mountPoint, rel)), rel).toBeGreaterThan(0);
      for (const s of h.core.recordings.index.segments(full.id, 0, Date.now() + 1e6)) expect(sha256(join(h.core.recordings.root, s.path))).toBe(s.sha256);
    } finally {
      await h.api.updateCamera({ id: full.id, changes: { recording: false } });
      execFileSync('umount', ['-l', mountPoint]);
      await h.close();
    }
  });
});
