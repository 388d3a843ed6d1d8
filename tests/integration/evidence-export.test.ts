/**
 * Evidence export and verification on real recordings: real cameras, ffmpeg, SQLite, files, and the
 * standard tools a recipient has (sha256sum, openssl). The tamper corpus runs the watchroom-verify CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { copyFileSync, cpSync, createWriteStream, existsSync, statSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDownloadPath, type ExportJob, type ExportRequest } from '../../shared/evidence.js';
import { WatchroomError } from '../../shared/errors.js';
import { canonicalJson } from '../../electron/core/canonical-json.js';
import { AuditLedger, entryHash } from '../../electron/core/audit/audit-ledger.js';
import { buildPackage } from '../../electron/core/evidence/evidence-export.js';
import { localExportSources } from '../../electron/core/evidence/export-sources.js';
import type { SegmentIndex, SegmentRow } from '../../electron/core/recording/segment-index.js';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { formatSums } from '../../electron/core/evidence/package-files.js';
import { startTestCamera, stopAllTestCameras } from '../fixtures/camera-server.js';
import { startTestHost, type TestHost } from '../fixtures/test-host.js';
import { waitFor } from '../fixtures/wait-for.js';
import { sha256 } from '../fixtures/recording-checks.js';
import { checkInclusion, type InclusionProof } from '../../electron/core/audit/capture-proof.js';

const VERIFY_CLI = join(import.meta.dirname, '..', '..', 'dist', 'electron', 'cli', 'watchroom-verify.js');
let h: TestHost;
const ids: string[] = [];
let range: { fromMs: number; toMs: number };
let pkg: string;

const request = (over: Partial<ExportRequest> = {}): ExportRequest => ({
  cameraIds: ids,
  ...range,
  reason: 'Assault reported outside block C; requested by DC Shah',
  caseReference: 'CASE-2026-0142',
  // A recipient makes it a disclosure, which needs a second person (tests/integration/disclosure.test.ts).
  recipient: null,
  workingCopy: true,
  ...over,
});

async function finished(job: ExportJob): Promise<ExportJob> {
  return waitFor(`export ${job.id} to end`, async () => {
    const now = await h.api.getExport({ id: job.id });
    return now.state === 'running' ? undefined : now;
  }, 120_000);
}

function ledgerLines(): Array<{ seq: number; action: string; actor: string; details?: Record<string, unknown> }> {
  return readFileSync(join(h.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

function probe(file: string): { codec: string; duration: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const json = JSON.parse(out) as { streams: Array<{ codec_name: string }>; format: { duration: string } };
  return { codec: json.streams[0]!.codec_name, duration: Number(json.format.duration) };
}

beforeAll(async () => {
  h = await startTestHost();
  await h.core.ready;
  for (const n of [1, 2]) {
    const cam = await startTestCamera({ codec: 'h264', label: `Evidence ${n}` });
    ids.push((await h.api.addCamera({ name: `Block C ${n}`, url: cam.url.replace('rtsp://', 'rtsp://viewer:s3cret-pw@') })).id);
  }
  // 20 s from a second into both recordings, once both have closed segments past its end.
  const index = h.core.recordings.index;
  const firstStart = await waitFor('both cameras recording', () => {
    const starts = ids.map((id) => index.segments(id, 0, Date.now() + 60_000)[0]?.startMs);
    return starts.every((s) => s !== undefined) ? Math.max(...(starts as number[])) : undefined;
  }, 30_000);
  range = { fromMs: firstStart + 1_500, toMs: firstStart + 21_500 };
  await waitFor('footage past the range', () => ids.every((id) => index.segments(id, 0, Date.now() + 60_000).some((s) => s.endMs >= range.toMs)), 60_000);
}, 120_000);

afterAll(async () => {
  await h?.close();
  await stopAllTestCameras();
});

describe('evidence export', () => {
  it('exports 2 cameras × 20 s that sha256sum and openssl verify, with the chain from capture to package', async () => {
    const job = await finished(await h.api.startExport(request()));
    expect(job).toMatchObject({ state: 'done', fraction: 1 });
    pkg = job.packagePath!;
    expect(pkg).toMatch(/WR-CASE-2026-0142-\d{8}T\d{6}Z$/);

    // The recipient's tools, nothing of ours.
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pkg, encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    expect(sums.stdout.trim().split('\n').every((l) => l.endsWith(': OK'))).toBe(true);
    const openssl = spawnSync('openssl', ['dgst', '-sha256', '-verify', 'signer.pub.pem', '-signature', 'SHA256SUMS.sig', 'SHA256SUMS'], { cwd: pkg, encoding: 'utf8' });
    expect(openssl.stdout.trim()).toBe('Verified OK');

    const manifest = JSON.parse(readFileSync(join(pkg, 'manifest.json'), 'utf8'));
    expect(readFileSync(join(pkg, 'manifest.json'), 'utf8')).toBe(canonicalJson(manifest));
    expect(manifest).toMatchObject({ caseReference: 'CASE-2026-0142', reason: request().reason, recipient: request().recipient, exportedBy: { user: 'tester', role: 'admin' } });
    expect(manifest.requested).toEqual({ startUtc: new Date(range.fromMs).toISOString(), endUtc: new Date(range.toMs).toISOString() });
    expect(manifest.signer.fingerprint).toBe((await h.api.getSigningKey()).fingerprint);
    // Credentials never leave: not in the manifest, not anywhere in the package.
    for (const file of readdirSync(pkg, { recursive: true }).map(String)) {
      if (!file.endsWith('.mp4') && !existsSync(join(pkg, file, '.'))) expect(readFileSync(join(pkg, file), 'utf8'), file).not.toContain('s3cret-pw');
    }
    expect(manifest.cameras.map((c: { url: string }) => c.url).join()).not.toContain('viewer');

    const masters = manifest.files.filter((f: { role: string }) => f.role === 'master');
    const working = manifest.files.filter((f: { role: string }) => f.role === 'working');
    expect(masters).toHaveLength(2);
    expect(working).toHaveLength(2);
    for (const w of working) {
      const master = masters.find((m: { cameraId: string }) => m.cameraId === w.cameraId);
      expect(w.derivedFrom).toBe(master.sha256);
      expect(sha256(join(pkg, master.path))).toBe(master.sha256);
      const p = probe(join(pkg, w.path));
      expect(p.codec).toBe('h264');
      expect(Math.abs(p.duration - 20)).toBeLessThan(0.25); // exact cut
    }
    for (const m of masters) {
      const p = probe(join(pkg, m.path));
      expect(p.codec).toBe('h264');
      // Keyframe-accurate: starts at the keyframe at or before the request (GOP ≤ 2 s), ends at the request.
      const actualStart = Date.parse(m.startUtc);
      expect(actualStart).toBeLessThanOrEqual(range.fromMs + 50);
      expect(range.fromMs - actualStart).toBeLessThan(2_100);
      expect(Math.abs(p.duration - (range.toMs - actualStart) / 1000)).toBeLessThan(0.25);
      expect(m.durationSeconds).toBeCloseTo(p.duration, 1);
    }

    // Source segments carry the hashes recorded at capture, each proven by its inclusion path to the
    // Merkle root of its minute's ledger entry, which the extract holds as the ledger does.
    const index = h.core.recordings.index;
    const extract = readFileSync(join(pkg, 'custody', 'audit-extract.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const inLedger = new Map(ledgerLines().map((e) => [e.seq, e]));
    const cameras = manifest.cameras as Array<{ id: string; sourceSegments: Array<{ path: string; sha256: string; startUtc: string; endUtc: string; bytes: number; repaired: boolean; clockOffsetMs: number | null; inclusion: InclusionProof & { entrySeq: number } }> }>;
    const sources = cameras.flatMap((c) => c.sourceSegments);
    expect(sources.length).toBeGreaterThanOrEqual(10);
    for (const c of cameras) {
      for (const s of c.sourceSegments) {
        expect(s.sha256).toBe(index.byPath(s.path)!.sha256);
        const entry = extract.find((e) => e.seq === s.inclusion.entrySeq);
        expect(entry, s.path).toEqual(inLedger.get(s.inclusion.entrySeq));
        expect(entry).toMatchObject({ action: 'recording.minute', actor: 'system', subject: c.id });
        expect(checkInclusion({ cameraId: c.id, path: s.path, sha256: s.sha256, startMs: Date.parse(s.startUtc), endMs: Date.parse(s.endUtc), bytes: s.bytes, repaired: s.repaired, clockOffsetMs: s.clockOffsetMs }, s.inclusion, entry), s.path).toBeNull();
        // How far its camera's clock had drifted when it closed, as the index measured it.
        expect(s.clockOffsetMs, s.path).toBe(index.byPath(s.path)!.clockOffsetMs);
      }
    }
    expect(sources.some((s) => typeof s.clockOffsetMs === 'number')).toBe(true);
    // One entry per camera and minute (plus any minute sealed early), not one per segment.
    const minutes = extract.filter((e) => e.action === 'recording.minute');
    expect(minutes.map((e) => e.seq)).toEqual([...new Set(sources.map((s) => s.inclusion.entrySeq))].sort((a, b) => a - b));
    expect(minutes.length).toBeLessThan(sources.length / 2);
    expect(extract.filter((e) => e.action === 'segment.closed')).toEqual([]);
    expect(manifest.custody.captureEntries).toEqual(minutes.map((e) => ({ seq: e.seq, hash: e.hash, camera: e.subject, minute: e.details.minute })));
    const exportEntry = extract[extract.length - 1];
    expect(exportEntry).toMatchObject({ action: 'evidence.export', actor: 'tester', details: { caseReference: 'CASE-2026-0142', reason: request().reason, manifestSha256: sha256(join(pkg, 'manifest.json')) } });
    expect(ledgerLines().some((e) => e.seq === exportEntry.seq && e.action === 'evidence.export')).toBe(true);
    expect(readFileSync(join(pkg, 'README.txt'), 'utf8')).toContain('openssl dgst -sha256 -verify signer.pub.pem -signature SHA256SUMS.sig SHA256SUMS');
  });

  it('verifies in the app and with the CLI, and both verifications enter the ledger', async () => {
    const report = await h.api.verifyPackage({ path: pkg });
    expect(report).toMatchObject({ ok: true, caseReference: 'CASE-2026-0142', signer: { trusted: true }, failures: [] });
    expect(report.filesChecked).toBe(8); // 2 masters, 2 working, manifest, extract, key, README
    const cli = spawnSync(process.execPath, [VERIFY_CLI, pkg, '--data', h.dataDir], { encoding: 'utf8' });
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stdout).toContain('RESULT:  VERIFIED');
    await waitFor('the CLI verification in the ledger', () => ledgerLines().find((e) => e.action === 'evidence.verify' && e.details?.via === 'cli'), 15_000);
    const app = ledgerLines().find((e) => e.action === 'evidence.verify' && e.details?.via === 'app')!;
    expect(app.details).toMatchObject({ ok: true, caseReference: 'CASE-2026-0142', failures: [], sha256sumsSha256: sha256(join(pkg, 'SHA256SUMS')) });
  });

  it('tamper corpus: each change is caught by watchroom-verify with its own reason', async () => {
    const manifest = JSON.parse(readFileSync(join(pkg, 'manifest.json'), 'utf8'));
    const master: string = manifest.files.find((f: { role: string }) => f.role === 'master').path;
    const workingFile: string = manifest.files.find((f: { role: string }) => f.role === 'working').path;
    const rewriteSums = (dir: string) => {
      const listed = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.slice(66));
      writeFileSync(join(dir, 'SHA256SUMS'), formatSums(listed.map((path) => ({ path, sha256: sha256(join(dir, path)) }))));
    };
    const cases: Record<string, [string, (dir: string) => void]> = {
      'one byte flipped in a clip': ['file-hash-mismatch', (d) => {
        const bytes = readFileSync(join(d, master));
        bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
        writeFileSync(join(d, master), bytes);
      }],
      'a clip truncated': ['file-truncated', (d) => truncateSync(join(d, master), 10_000)],
      'a manifest field edited': ['manifest-changed-since-export', (d) => writeFileSync(join(d, 'manifest.json'), canonicalJson({ ...manifest, reason: 'routine' }))],
      're-signed with another key': ['manifest-signer-mismatch', (d) => {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        writeFileSync(join(d, 'signer.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
        rewriteSums(d);
        writeFileSync(join(d, 'SHA256SUMS.sig'), sign('sha256', readFileSync(join(d, 'SHA256SUMS')), privateKey));
      }],
      'SHA256SUMS rewritten to match a tampered clip': ['signature-invalid', (d) => {
        const bytes = readFileSync(join(d, master));
        bytes[bytes.length - 100]! ^= 0xff;
        writeFileSync(join(d, master), bytes);
        rewriteSums(d);
      }],
      'a SHA256SUMS line listed twice': ['sums-duplicate-path', (d) => {
        const first = readFileSync(join(d, 'SHA256SUMS'), 'utf8').split('\n')[0]!;
        writeFileSync(join(d, 'SHA256SUMS'), `${first}\n${readFileSync(join(d, 'SHA256SUMS'), 'utf8')}`);
      }],
      'a file added': ['file-unlisted', (d) => writeFileSync(join(d, 'master', 'extra.mp4'), 'not footage')],
      'a file removed': ['file-missing', (d) => rmSync(join(d, workingFile))],
      'a file renamed': ['file-renamed', (d) => renameSync(join(d, master), join(d, 'master', 'renamed.mp4'))],
      'an audit-extract line removed': ['custody-entry-missing', (d) => {
        const lines = readFileSync(join(d, 'custody', 'audit-extract.jsonl'), 'utf8').split('\n');
        writeFileSync(join(d, 'custody', 'audit-extract.jsonl'), lines.slice(1).join('\n'));
      }],
    };
    const workRoot = mkdtempSync(join(tmpdir(), 'watchroom-tamper-'));
    const trust = join(workRoot, 'workstation.pem');
    writeFileSync(trust, (await h.api.getSigningKey()).publicKeyPem);
    const run = (dir: string) => {
      const r = spawnSync(process.execPath, [VERIFY_CLI, dir, '--trust', trust, '--json'], { encoding: 'utf8' });
      return { status: r.status, codes: (JSON.parse(r.stdout) as { failures: Array<{ code: string }> }).failures.map((f) => f.code) };
    };
    expect(run(pkg)).toEqual({ status: 0, codes: [] });
    const reasons = new Set<string>();
    for (const [name, [code, tamper]] of Object.entries(cases)) {
      const dir = join(workRoot, name.replace(/\W+/g, '-'));
      cpSync(pkg, dir, { recursive: true });
      tamper(dir);
      const result = run(dir);
      expect(result.status, name).toBe(1);
      expect(result.codes, name).toContain(code);
      reasons.add(code);
    }
    expect(reasons.size).toBe(Object.keys(cases).length);
  });

  it('refuses an export without reason or case reference, with an empty or reversed range, or where nothing was recorded, and writes nothing', async () => {
    const exportsDir = join(h.dataDir, 'exports');
    const before = readdirSync(exportsDir);
    const refused = async (over: Partial<ExportRequest>) => {
      try {
        await h.api.startExport(request(over));
      } catch (error) {
        return error as WatchroomError;
      }
      throw new Error('startExport accepted a bad request');
    };
    // Argument validation runs at the process boundary (dispatch), as for every call.
    const viaBoundary = async (over: Partial<ExportRequest>) => {
      const r = await h.core.call(h.token, 'startExport', { ...request(), ...over });
      return r.ok ? [] : (r.error.fields ?? [{ field: '', message: r.error.message }]).map((f) => `${f.field}: ${f.message}`);
    };
    expect(await viaBoundary({ reason: '  ' })).toEqual(['reason: Give the reason for this export.']);
    expect(await viaBoundary({ caseReference: '' })).toEqual(['caseReference: Give the case reference.']);
    expect(await viaBoundary({ toMs: range.fromMs })).toEqual(['toMs: The end of the range must come after its start.']);
    expect(await viaBoundary({ fromMs: range.toMs, toMs: range.fromMs })).toEqual(['toMs: The end of the range must come after its start.']);
    expect((await refused({ fromMs: range.fromMs - 7_200_000, toMs: range.fromMs - 3_600_000 })).code).toBe('export.no-recording');
    // Operators watch; investigators export.
    const olive = await h.as('olive', 'operator');
    await expect(olive.api.startExport(request())).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(olive.api.verifyPackage({ path: exportsDir })).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect(readdirSync(exportsDir)).toEqual(before);
  });

  it('a package handed to the browser shell is copied file by file under received/ and verified there; bad uploads are refused', async () => {
    const session = { authorization: `Bearer ${h.token}` };
    const put = (uploadId: string, path: string, body: Buffer, headers: Record<string, string> = session) =>
      fetch(`${h.baseUrl}/received/${uploadId}/${path}`, { method: 'PUT', headers, body: new Uint8Array(body) });
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: pkg, encoding: 'utf8' }).trim().split('\n').map((f) => f.slice(2));
    const name = pkg.split('/').pop()!;
    const uploadId = randomUUID();
    let folder = '';
    for (const f of files) {
      const res = await put(uploadId, [name, ...f.split('/')].map(encodeURIComponent).join('/'), readFileSync(join(pkg, f)));
      expect(res.status, await res.clone().text()).toBe(200);
      folder = ((await res.json()) as { folder: string }).folder;
    }
    expect(folder).toBe(join(h.dataDir, 'received', uploadId, name));
    expect(await h.api.verifyPackage({ path: folder })).toMatchObject({ ok: true, caseReference: 'CASE-2026-0142', filesChecked: 8 });

    const manifest = readFileSync(join(pkg, 'manifest.json'));
    expect((await put(uploadId, `${name}/manifest.json`, manifest)).status).toBe(409); // nothing overwritten
    expect(existsSync(join(h.dataDir, 'received', uploadId)), 'a failed upload leaves nothing').toBe(false);
    expect((await put('not-a-uuid', `${name}/manifest.json`, manifest)).status).toBe(400);
    for (const bad of [`${name}/..%2F..%2Fescape.txt`, '..%2Fescape.txt', 'manifest.json', `${name}/%2Fetc%2Fpasswd`]) {
      const res = await put(randomUUID(), bad, manifest);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code, bad).toBe('upload.bad-path');
    }
    expect(existsSync(join(h.dataDir, 'escape.txt'))).toBe(false);
    expect((await put(randomUUID(), `${name}/manifest.json`, manifest, {})).status).toBe(401);
    const operator = await h.as('uploading-operator', 'operator');
    expect((await put(randomUUID(), `${name}/manifest.json`, manifest, { authorization: `Bearer ${operator.token}` })).status).toBe(403);
    expect((await put(randomUUID(), `${name}/manifest.json`, manifest, { ...session, origin: 'https://evil.example' })).status).toBe(403);
  });

  it('a package made here downloads as a streamed zip through a signed link, to those who may export, and sha256sum -c passes in the unzipped folder', async () => {
    const name = pkg.split('/').pop()!;
    const download = async (token: string, path = packageDownloadPath(name)) => fetch(`${h.baseUrl}${await h.core.api(token).mediaLink({ path })}`);
    const before = ledgerLines().length;

    // A link, no header: what an <a download> sends.
    const res = await download(h.token);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${name}.zip"`);
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-download-'));
    const zipFile = join(dir, `${name}.zip`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(zipFile));
    expect(statSync(zipFile).size).toBe(Number(res.headers.get('content-length')));
    // Every file stored as it is: the video is compressed already.
    const listing = execFileSync('unzip', ['-v', zipFile], { encoding: 'utf8' });
    expect(listing).toMatch(/\bStored\b/);
    expect(listing).not.toMatch(/\bDefl/);
    execFileSync('unzip', ['-q', zipFile, '-d', dir]);
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(dir, name), encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    expect(sums.stdout.trim().split('\n')).toHaveLength(readFileSync(join(pkg, 'SHA256SUMS'), 'utf8').trim().split('\n').length);
    expect(readdirSync(join(dir, name), { recursive: true }).map(String).sort()).toEqual(readdirSync(pkg, { recursive: true }).map(String).sort());

    // The ledger says who took which package, by its hashes.
    const entries = ledgerLines().slice(before).filter((e) => e.action === 'evidence.download');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'tester', subject: 'CASE-2026-0142', details: { package: name, packageId: JSON.parse(readFileSync(join(pkg, 'manifest.json'), 'utf8')).packageId, sha256sumsSha256: sha256(join(pkg, 'SHA256SUMS')) } });

    // A download cancelled half way is cut off there (its files let go of); the next one is whole.
    const cancelled = new AbortController();
    const partial = await fetch(`${h.baseUrl}${await h.api.mediaLink({ path: packageDownloadPath(name) })}`, { signal: cancelled.signal });
    await partial.body!.getReader().read();
    cancelled.abort();
    const again = await download(h.token);
    expect(Buffer.from(await again.arrayBuffer()).equals(readFileSync(zipFile))).toBe(true);

    // Only those who may export; only packages made here, named as they are; only through a signed link.
    for (const role of ['operator', 'evidence-officer'] as const) {
      const other = await h.as(`download-${role}`, role);
      const refused = await download(other.token);
      expect(refused.status, role).toBe(403);
      expect(await refused.text()).toMatch(/permission to export/);
    }
    const unknown = await download(h.token, '/media/packages/WR-NO-SUCH-CASE.zip');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('There is no package WR-NO-SUCH-CASE in this workstation’s exports; it may have been moved or deleted.');
    for (const bad of ['..%2F..%2Faudit.jsonl', '.partial-x', '%2Fetc', '..']) {
      const res = await download(h.token, `/media/packages/${bad}.zip`);
      expect(res.status, bad).toBe(404);
      expect(await res.text(), bad).toBe('That is not the name of an evidence package.');
    }
    expect((await fetch(`${h.baseUrl}/media/packages/${name}.zip`, { headers: { authorization: `Bearer ${h.token}` } })).status).toBe(401);
    expect(ledgerLines().slice(before).filter((e) => e.action === 'evidence.download')).toHaveLength(3);
  });

  it('a cancelled export leaves nothing behind and is logged', async () => {
    const exportsDir = join(h.dataDir, 'exports');
    const before = readdirSync(exportsDir);
    const job = await h.api.startExport(request());
    await h.api.cancelExport({ id: job.id });
    expect((await finished(job)).state).toBe('cancelled');
    expect(readdirSync(exportsDir)).toEqual(before);
    expect(ledgerLines().some((e) => e.action === 'evidence.export-cancelled')).toBe(true);
  });

  it('an export to a full disk fails with a clear error and leaves nothing behind', async () => {
    // Room for half of the first camera's footage: the master cannot fit.
    const footage = h.core.recordings.index.segments(ids[0]!, range.fromMs, range.toMs).reduce((n, s) => n + s.bytes, 0);
    const mountPoint = mkdtempSync(join(tmpdir(), 'watchroom-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(footage / 2 / 4096) * 4096}`, 'tmpfs', mountPoint]);
    try {
      const keys = mkdtempSync(join(tmpdir(), 'watchroom-keys-'));
      // A copy of the workstation's ledger: the index points into it for each segment's capture entry.
      copyFileSync(join(h.dataDir, 'audit.jsonl'), join(keys, 'audit.jsonl'));
      const ledger = new AuditLedger(join(keys, 'audit.jsonl'));
      const ctx = {
        sources: localExportSources({ recordingsRoot: h.core.recordings.root, index: h.core.recordings.index, ledger }), ledger, key: loadOrCreateSigningKey(keys), exportsDir: join(mountPoint, 'exports'),
        appVersion: 'test', camera: (id: string) => ({ id, name: id, url: 'rtsp://127.0.0.1/' }), user: 'tester', role: 'admin' as const,
      };
      const error = await buildPackage(ctx, request(), new AbortController().signal, () => undefined).then(() => null, (e: unknown) => e as WatchroomError);
      expect(error?.code, error?.message).toBe('export.disk-full');
      expect(error?.message).toMatch(/disk is full/);
      expect(readdirSync(join(mountPoint, 'exports'))).toEqual([]);
      expect(ledger.list(1)[0]).toMatchObject({ action: 'evidence.export-failed', details: { error: error!.message } });
      ledger.close();
    } finally {
      execFileSync('umount', ['-l', mountPoint]);
    }
  });
});

/** Runs the CLI as a recipient would; a hang ends in a failed test, not a hung suite. */
function verifyCli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [VERIFY_CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, WATCHROOM_DATA: '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the package under <data>/received/, where the app may verify it. */
function receivedCopy(): string {
  const dir = join(h.dataDir, 'received', randomUUID(), 'package');
  cpSync(pkg, dir, { recursive: true });
  return dir;
}

/**
 * What the workstation itself would have signed had it written `edit` into the package: the manifest,
 * the export entry naming it, SHA256SUMS and the signature all made consistent again with its own key.
 */
function resealed(edit: (manifest: Record<string, any>, extract: Array<Record<string, any>>) => Array<Record<string, any>>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'watchroom-resealed-')), 'package');
  cpSync(pkg, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const extractFile = join(dir, 'custody', 'audit-extract.jsonl');
  let extract = readFileSync(extractFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  extract = edit(manifest, extract);
  const manifestText = canonicalJson(manifest);
  writeFileSync(join(dir, 'manifest.json'), manifestText);
  const exportEntry = extract.find((e) => e.action === 'evidence.export')!;
  exportEntry.details.manifestSha256 = createHash('sha256').update(manifestText).digest('hex');
  exportEntry.hash = entryHash(exportEntry as never);
  writeFileSync(extractFile, extract.map((e) => `${JSON.stringify(e)}\n`).join(''));
  const listed = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.slice(66));
  writeFileSync(join(dir, 'SHA256SUMS'), formatSums(listed.map((path) => ({ path, sha256: sha256(join(dir, path)) }))));
  const key = createPrivateKey(readFileSync(join(h.dataDir, 'keys', 'signing-key.pem')));
  writeFileSync(join(dir, 'SHA256SUMS.sig'), sign('sha256', readFileSync(join(dir, 'SHA256SUMS')), key));
  return dir;
}

describe('custody that holds', () => {
  const exportsDir = () => join(h.dataDir, 'exports');

  it('refuses footage swapped on disk before export, names the segment, and enters the refusal in the ledger', async () => {
    const index = h.core.recordings.index;
    const victim = index.segments(ids[0]!, range.fromMs, range.toMs)[1]!;
    const other = index.segments(ids[1]!, range.fromMs, range.toMs)[1]!;
    const file = join(h.core.recordings.root, victim.path);
    const original = readFileSync(file);
    const before = readdirSync(exportsDir());
    copyFileSync(join(h.core.recordings.root, other.path), file); // other real video, same name
    try {
      const job = await finished(await h.api.startExport(request({ workingCopy: false })));
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('export.footage-changed');
      expect(job.error?.message).toContain(victim.path);
      const refusal = ledgerLines().findLast((e) => e.action === 'evidence.export-failed')!;
      expect(refusal.details).toMatchObject({ code: 'export.footage-changed', segment: victim.path, recordedSha256: victim.sha256, foundSha256: sha256(file) });
      expect(readdirSync(exportsDir())).toEqual(before);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('refuses footage whose capture entry the ledger does not hold', async () => {
    const index = h.core.recordings.index;
    const victim = index.segments(ids[0]!, range.fromMs, range.toMs)[0]!;
    const db = new Database(join(h.dataDir, 'recordings.sqlite'));
    db.prepare('UPDATE segments SET ledger_offset = NULL, capture_open = 0 WHERE id = ?').run(victim.id);
    try {
      const job = await finished(await h.api.startExport(request({ workingCopy: false })));
      expect(job.error?.code).toBe('export.footage-unproven');
      expect(job.error?.message).toContain(victim.path);
    } finally {
      db.prepare('UPDATE segments SET ledger_offset = ?, capture_open = ? WHERE id = ?').run(victim.ledgerOffset, victim.captureOpen ? 1 : 0, victim.id);
      db.close();
    }
  });

  it('keeps every camera’s master when names would collide: ids, any script and millisecond times in the names', async () => {
    await h.api.updateCamera({ id: ids[0]!, changes: { name: 'Вход' } });
    await h.api.updateCamera({ id: ids[1]!, changes: { name: '北门' } });
    try {
      const twice = await h.core.call(h.token, 'startExport', request({ cameraIds: [ids[0]!, ids[0]!] }));
      expect(twice).toMatchObject({ ok: false, error: { fields: [{ field: 'cameraIds', message: 'Each camera goes into an export once.' }] } });
      const job = await finished(await h.api.startExport(request({ workingCopy: false })));
      expect(job.state, job.error?.message).toBe('done');
      const manifest = JSON.parse(readFileSync(join(job.packagePath!, 'manifest.json'), 'utf8'));
      const masters: string[] = manifest.files.map((f: { path: string }) => f.path);
      expect(masters).toHaveLength(2);
      expect(masters.find((p) => p.includes(ids[0]!))).toMatch(/^master\/cam-[a-z0-9-]+_Вход_\d{8}T\d{6}\.\d{3}Z_\d{8}T\d{6}\.\d{3}Z\.mp4$/);
      expect(masters.find((p) => p.includes(ids[1]!))).toContain('_北门_');
      const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: job.packagePath!, encoding: 'utf8' });
      expect(sums.status, sums.stdout + sums.stderr).toBe(0);
      const listed = readFileSync(join(job.packagePath!, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.slice(66));
      expect(new Set(listed).size).toBe(listed.length);
    } finally {
      await h.api.updateCamera({ id: ids[0]!, changes: { name: 'Block C 1' } });
      await h.api.updateCamera({ id: ids[1]!, changes: { name: 'Block C 2' } });
    }
  });

  it('fails a package whose source segments have no capture entry, even when the workstation signed it', () => {
    const stripped = resealed((manifest, extract) => {
      manifest.custody.captureEntries = [];
      return extract.filter((e) => e.action !== 'recording.minute');
    });
    const r = verifyCli([stripped, '--data', h.dataDir, '--json']);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).failures.map((f: { code: string }) => f.code)).toContain('custody-capture-missing');
  }, 240_000);

  it('refuses footage swapped on disk with its index row rewritten to match: the row no longer leads to its minute’s root', async () => {
    const index = h.core.recordings.index;
    const victim = index.segments(ids[0]!, range.fromMs, range.toMs)[2]!;
    const other = index.segments(ids[1]!, range.fromMs, range.toMs)[2]!;
    // Sealed minutes only: while a minute is open the index is all there is (minute-batches.ts).
    await waitFor('the victim’s minute sealed', () => !index.byId(victim.id)!.captureOpen || undefined, 120_000);
    const file = join(h.core.recordings.root, victim.path);
    const original = readFileSync(file);
    copyFileSync(join(h.core.recordings.root, other.path), file);
    const db = new Database(join(h.dataDir, 'recordings.sqlite'));
    db.prepare('UPDATE segments SET sha256 = ?, bytes = ? WHERE id = ?').run(sha256(file), statSync(file).size, victim.id);
    try {
      const job = await finished(await h.api.startExport(request({ workingCopy: false })));
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('export.footage-unproven');
      expect(job.error?.message).toContain(victim.path);
    } finally {
      writeFileSync(file, original);
      db.prepare('UPDATE segments SET sha256 = ?, bytes = ? WHERE id = ?').run(victim.sha256, victim.bytes, victim.id);
      db.close();
    }
  });

  it('refuses a segment whose clock drift or salvage its index was edited to say otherwise than its minute recorded', async () => {
    const index = h.core.recordings.index;
    const victim = index.segments(ids[0]!, range.fromMs, range.toMs)[1]!;
    await waitFor('the victim’s minute sealed', () => !index.byId(victim.id)!.captureOpen || undefined, 120_000);
    const db = new Database(join(h.dataDir, 'recordings.sqlite'));
    try {
      for (const [column, value] of [['clock_offset_ms', 3_599_000], ['repaired', victim.repaired ? 0 : 1]] as const) {
        db.prepare(`UPDATE segments SET ${column} = ? WHERE id = ?`).run(value, victim.id);
        const job = await finished(await h.api.startExport(request({ workingCopy: false })));
        expect(job.error?.code, column).toBe('export.footage-unproven');
        expect(job.error?.message, column).toContain(victim.path);
        db.prepare('UPDATE segments SET clock_offset_ms = ?, repaired = ? WHERE id = ?').run(victim.clockOffsetMs, victim.repaired ? 1 : 0, victim.id);
      }
    } finally {
      db.close();
    }
  }, 240_000);

  it('fails a package whose inclusion proofs or minute entries were edited, each with its own reason, even when the workstation signed it', () => {
    const flip = (hex: string) => `${hex[0] === '0' ? '1' : '0'}${hex.slice(1)}`;
    const source = (manifest: Record<string, any>) => manifest.cameras[0].sourceSegments[1];
    const cases: Record<string, [string[], (manifest: Record<string, any>, extract: Array<Record<string, any>>) => void]> = {
      'a hash of an inclusion path edited': [['custody-inclusion-invalid'], (m) => void (source(m).inclusion.auditPath[0] = flip(source(m).inclusion.auditPath[0]))],
      'a leaf index moved': [['custody-not-a-leaf'], (m) => void (source(m).inclusion.leafIndex += 1)],
      'a source’s clock drift edited': [['custody-capture-details-differ'], (m) => void (source(m).clockOffsetMs = (source(m).clockOffsetMs ?? 0) + 3_600_000)],
      'a source said to be closed by salvage': [['custody-capture-details-differ'], (m) => void (source(m).repaired = !source(m).repaired)],
      'the recorded hash of a source edited': [['custody-inclusion-invalid'], (m) => void (source(m).sha256 = flip(source(m).sha256))],
      'a source’s recorded times edited': [['custody-inclusion-invalid'], (m) => void (source(m).endUtc = new Date(Date.parse(source(m).endUtc) + 1_000).toISOString())],
      'a minute entry’s root edited': [['custody-entry-altered', 'custody-inclusion-invalid'], (m, x) => {
        const entry = x.find((e) => e.seq === source(m).inclusion.entrySeq)!;
        entry.details.root = flip(entry.details.root);
      }],
      'a source naming an entry the extract does not hold': [['custody-capture-missing'], (m) => void (source(m).inclusion.entrySeq = 1)],
    };
    for (const [name, [codes, edit]] of Object.entries(cases)) {
      const dir = resealed((manifest, extract) => (edit(manifest, extract), extract));
      const r = verifyCli([dir, '--data', h.dataDir, '--json']);
      expect(r.status, name).toBe(1);
      const failures = JSON.parse(r.stdout).failures as Array<{ code: string; message: string }>;
      expect([...new Set(failures.map((f) => f.code))].sort(), name).toEqual([...codes].sort());
      // The edited source is named; an edited root fails every segment of its minute, and only those.
      const edited = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      expect(failures.some((f) => f.message.includes(source(edited).path)), name).toBe(true);
      const sameMinute = edited.cameras[0].sourceSegments.filter((x: { inclusion: { entrySeq: number } }) => x.inclusion.entrySeq === source(edited).inclusion.entrySeq);
      expect(failures.filter((f) => f.code !== 'custody-entry-altered').length, name).toBe(name.includes('root') ? sameMinute.length : 1);
    }
    const text = verifyCli([resealed((m, x) => (cases['a hash of an inclusion path edited']![1](m, x), x)), '--data', h.dataDir]);
    expect(text.stdout).toMatch(/\[custody-inclusion-invalid\] The inclusion path of .* does not lead from its recorded hash, times and size to the root of audit entry \d+/);
  });

  it('still verifies packages as written before minute batches: segment.closed entries prove the segments they name', () => {
    const legacy = resealed((manifest, extract) => {
      const closed: Array<Record<string, any>> = [];
      for (const c of manifest.cameras) {
        for (const s of c.sourceSegments) {
          delete s.inclusion;
          const body = { seq: 900_000 + closed.length, at: s.endUtc, actor: 'system', action: 'segment.closed', subject: c.id, details: { path: s.path, sha256: s.sha256, startMs: Date.parse(s.startUtc), endMs: Date.parse(s.endUtc), bytes: s.bytes }, prev: '0'.repeat(64) };
          closed.push({ ...body, hash: entryHash(body as never) });
        }
      }
      manifest.custody.captureEntries = closed.map((e) => ({ seq: e.seq, hash: e.hash, segment: e.details.path }));
      return [...closed, extract.find((e) => e.action === 'evidence.export')!];
    });
    const r = verifyCli([legacy, '--data', h.dataDir, '--json']);
    expect(r.status, r.stdout).toBe(0);
    // And its old check still bites: a recorded hash that is not the captured one.
    const mismatched = resealed((manifest, extract) => {
      const kept = extract.filter((e) => e.action !== 'recording.minute');
      const s = manifest.cameras[0].sourceSegments[0];
      delete s.inclusion;
      const body = { seq: 900_000, at: s.endUtc, actor: 'system', action: 'segment.closed', subject: manifest.cameras[0].id, details: { path: s.path, sha256: 'f'.repeat(64) }, prev: '0'.repeat(64) };
      return [{ ...body, hash: entryHash(body as never) }, ...kept];
    });
    expect(JSON.parse(verifyCli([mismatched, '--data', h.dataDir, '--json']).stdout).failures.map((f: { code: string }) => f.code)).toContain('custody-capture-mismatch');
  });

  it('exports footage whose capture is an older ledger’s segment.closed entries, and the package verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-older-ledger-'));
    copyFileSync(join(h.dataDir, 'audit.jsonl'), join(dir, 'audit.jsonl'));
    const ledger = new AuditLedger(join(dir, 'audit.jsonl'));
    const real = h.core.recordings.index;
    // The index and ledger as a workstation before minute batches left them: one entry per segment.
    const closedAt = new Map<string, number>();
    for (const id of ids) for (const s of real.segments(id, range.fromMs, range.toMs)) closedAt.set(s.path, ledger.append('system', 'segment.closed', id, { path: s.path, sha256: s.sha256, startMs: s.startMs, endMs: s.endMs, bytes: s.bytes }).offset);
    const older = (s: SegmentRow): SegmentRow => ({ ...s, proof: null, captureOpen: false, ledgerOffset: closedAt.get(s.path) ?? null });
    const index = new Proxy(real, {
      get(target, key) {
        if (key === 'segments') return (...args: Parameters<SegmentIndex['segments']>) => target.segments(...args).map(older);
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const key = loadOrCreateSigningKey(dir);
    const ctx = { sources: localExportSources({ recordingsRoot: h.core.recordings.root, index, ledger }), ledger, key, exportsDir: join(dir, 'exports'), appVersion: 'test', camera: (id: string) => ({ id, name: id, url: 'rtsp://127.0.0.1/' }), user: 'tester', role: 'admin' as const };
    try {
      const built = await buildPackage(ctx, request({ workingCopy: false }), new AbortController().signal, () => undefined);
      const manifest = JSON.parse(readFileSync(join(built, 'manifest.json'), 'utf8'));
      const sources = manifest.cameras.flatMap((c: { sourceSegments: Array<{ inclusion?: unknown }> }) => c.sourceSegments);
      expect(sources.every((s: { inclusion?: unknown }) => s.inclusion === undefined)).toBe(true);
      const extract = readFileSync(join(built, 'custody', 'audit-extract.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(extract.filter((e) => e.action === 'segment.closed')).toHaveLength(sources.length);
      const trust = join(dir, 'trusted.pem');
      writeFileSync(trust, key.publicKeyPem);
      const r = verifyCli([built, '--trust', trust, '--json']);
      expect(r.status, r.stdout).toBe(0);
    } finally {
      ledger.close();
    }
  });

  it('reads only regular files: a link to /dev/zero and named pipes hang neither the CLI nor the app', async () => {
    const linked = receivedCopy();
    symlinkSync('/dev/zero', join(linked, 'master', 'zero.mp4'));
    const cli = verifyCli([linked, '--data', h.dataDir, '--json']);
    expect(cli.status, cli.stderr).toBe(1);
    expect(JSON.parse(cli.stdout).failures).toContainEqual(expect.objectContaining({ code: 'not-regular-file', file: 'master/zero.mp4' }));

    const piped = receivedCopy();
    execFileSync('mkfifo', [join(piped, 'custody', 'pipe')]);
    rmSync(join(piped, 'SHA256SUMS.sig'));
    execFileSync('mkfifo', [join(piped, 'SHA256SUMS.sig')]);
    // More verifications than Node has I/O threads: none may block one.
    const reports = await Promise.all(Array.from({ length: 6 }, () => h.api.verifyPackage({ path: piped })));
    for (const report of reports) {
      expect(report.outcome).toBe('failed');
      expect(report.failures.filter((f) => f.code === 'not-regular-file').map((f) => f.file).sort()).toEqual(['SHA256SUMS.sig', 'custody/pipe']);
    }
    // The app's file work goes on: a segment ending after the verifications is hashed and indexed.
    expect((await readFile(join(pkg, 'manifest.json'))).length).toBeGreaterThan(0);
    const verified = Date.now();
    await waitFor('a segment closed after the verifications', () => h.core.recordings.index.segments(ids[0]!, verified, Date.now() + 60_000).some((s) => s.endMs > verified) || undefined, 30_000);
  });

  it('verifies in the app only its exports, received packages and folders handed over by a shell', async () => {
    for (const path of ['/etc/ssh', '/', join(exportsDir(), '..', '..'), join(h.dataDir, 'keys')]) {
      await expect(h.api.verifyPackage({ path }), path).rejects.toMatchObject({ code: 'evidence.path-not-allowed' });
    }
    const escape = join(exportsDir(), 'escape');
    symlinkSync('/etc', escape);
    try {
      await expect(h.api.verifyPackage({ path: escape })).rejects.toMatchObject({ code: 'evidence.path-not-allowed' });
    } finally {
      rmSync(escape);
    }
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'watchroom-usb-')), 'package');
    cpSync(pkg, elsewhere, { recursive: true });
    await expect(h.api.verifyPackage({ path: elsewhere })).rejects.toMatchObject({ code: 'evidence.path-not-allowed' });
    h.core.grantPackageFolder(elsewhere);
    expect(await h.api.verifyPackage({ path: elsewhere })).toMatchObject({ ok: true, outcome: 'verified' });
  });

  it('watchroom-verify: three honest outcomes, the workstation’s keys found by default, the package’s own key refused', () => {
    // Exactly as the README shows it, on the workstation that made the package.
    const home = mkdtempSync(join(tmpdir(), 'watchroom-home-'));
    cpSync(join(h.dataDir, 'keys'), join(home, '.watchroom', 'keys'), { recursive: true });
    const own = verifyCli([pkg], { HOME: home });
    expect(own.status, own.stdout + own.stderr).toBe(0);
    expect(own.stdout).toContain('RESULT:  VERIFIED');
    expect(readdirSync(join(home, '.watchroom', 'audit-inbox'))).toHaveLength(1);

    const fingerprint = JSON.parse(readFileSync(join(pkg, 'manifest.json'), 'utf8')).signer.fingerprint;
    const elsewhere = verifyCli([pkg], { HOME: mkdtempSync(join(tmpdir(), 'watchroom-home-')) });
    expect(elsewhere.status).toBe(3);
    expect(elsewhere.stdout).toContain('RESULT:  INTACT, SIGNER NOT TRUSTED');
    expect(elsewhere.stdout).toContain(fingerprint);
    expect(elsewhere.stdout).not.toContain('VERIFIED');

    const ownKey = verifyCli([pkg, '--trust', join(pkg, 'signer.pub.pem')], { HOME: home });
    expect(ownKey.status).toBe(2);
    expect(ownKey.stderr).toContain('the package’s own key');
    // A copy of it taken out first cannot be told from the sender's; it is trusted, with a warning.
    const copied = join(mkdtempSync(join(tmpdir(), 'watchroom-key-')), 'their.pem');
    copyFileSync(join(pkg, 'signer.pub.pem'), copied);
    const byFlag = verifyCli([pkg, '--trust', copied], { HOME: mkdtempSync(join(tmpdir(), 'watchroom-home-')) });
    expect(byFlag.status).toBe(0);
    expect(byFlag.stdout).toContain('trusted because of --trust');

    for (const notAPackage of ['/etc', join(home, 'missing')]) {
      const r = verifyCli([notAPackage, '--json'], { HOME: home });
      expect(r.status, notAPackage).toBe(1);
      expect(JSON.parse(r.stdout).failures[0].code).toBe('not-a-package');
      const text = verifyCli([notAPackage], { HOME: home });
      expect(text.stdout).toMatch(/RESULT: {2}FAILED/);
      expect(text.stdout + text.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('watchroom-verify escapes control characters from the package in every line it prints', () => {
    const painted = join(mkdtempSync(join(tmpdir(), 'watchroom-painted-')), 'package');
    cpSync(pkg, painted, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(painted, 'manifest.json'), 'utf8'));
    writeFileSync(join(painted, 'manifest.json'), canonicalJson({ ...manifest, caseReference: 'CASE-1\u001b[1A\u001b[2K\rRESULT:  VERIFIED \u202e' }));
    writeFileSync(join(painted, 'master', 'evil\u001b[1A\u001b[2KRESULT:  VERIFIED.mp4'), 'x');
    for (const args of [[painted, '--data', h.dataDir], [painted, '--data', h.dataDir, '--json']]) {
      const r = verifyCli(args);
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).not.toMatch(/[\u001b\r\u202e]/);
    }
    const r = verifyCli([painted, '--data', h.dataDir]);
    expect(r.stdout).toContain('CASE-1\\u{1b}[1A');
    expect(r.stdout).toContain('RESULT:  FAILED');
  });
});
