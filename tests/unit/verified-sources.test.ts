/**
 * What an export feeds ffmpeg, on real files read through localExportSources: every byte hashed and
 * counted, a changed segment named, the first segment held whole, and no file opened but a regular one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { localExportSources, type ProvenSegment } from '../../electron/core/evidence/export-sources.js';
import { feedProvenSources, FootageChangedError, provenBytes, readProven, type ProvenSource } from '../../electron/core/evidence/verified-sources.js';
import type { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import type { SegmentIndex } from '../../electron/core/recording/segment-index.js';
import { NotRegularFileError } from '../../electron/core/regular-file.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A recordings folder holding `files`, and sources over it (open() is all these tests use). */
function recordings(files: Record<string, Buffer>) {
  const root = mkdtempSync(join(tmpdir(), 'wr-sources-'));
  mkdirSync(join(root, 'cam-1'));
  for (const [path, bytes] of Object.entries(files)) writeFileSync(join(root, path), bytes);
  const footage = localExportSources({ recordingsRoot: root, index: {} as SegmentIndex, ledger: {} as AuditLedger }).forExport({ packageId: 'p', person: 'tester', cameraIds: ['cam-1'], fromMs: 0, toMs: 1 });
  const source = (path: string, captureSha256: string): ProvenSource => ({ label: path, captureSha256, open: () => footage.open({ path } as ProvenSegment) });
  return { root, source };
}

/** Everything written to the sink, once it has ended. */
function collect(sink: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => sink.on('end', () => resolve(Buffer.concat(chunks))));
}

describe('feedProvenSources', () => {
  const a = Buffer.alloc(3 * (1 << 20) + 17, 1); // more than one chunk
  const b = Buffer.from('second segment');

  it('feeds every segment in order and answers how many bytes it hashed', async () => {
    const { source } = recordings({ 'cam-1/a.ts': a, 'cam-1/b.ts': b });
    const sink = new PassThrough();
    const fed = collect(sink);
    const bytes = await feedProvenSources([source('cam-1/a.ts', sha256(a)), source('cam-1/b.ts', sha256(b))], sink, new AbortController().signal);
    expect(bytes).toBe(a.length + b.length);
    expect((await fed).equals(Buffer.concat([a, b]))).toBe(true);
  });

  it('names a segment that is not the footage recorded, with both hashes', async () => {
    const { source } = recordings({ 'cam-1/a.ts': a, 'cam-1/b.ts': Buffer.from('swapped') });
    const sink = new PassThrough();
    void collect(sink);
    const error = await feedProvenSources([source('cam-1/a.ts', sha256(a)), source('cam-1/b.ts', sha256(b))], sink, new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FootageChangedError);
    expect(error).toMatchObject({ code: 'export.footage-changed', segment: 'cam-1/b.ts', expected: sha256(b), actual: sha256(Buffer.from('swapped')) });
    expect(sink.writableEnded).toBe(true);
  });

  it('refuses a segment replaced by a symbolic link', async () => {
    const { root, source } = recordings({ 'cam-1/a.ts': a });
    symlinkSync(join(root, 'cam-1/a.ts'), join(root, 'cam-1/link.ts'));
    const sink = new PassThrough();
    void collect(sink);
    await expect(feedProvenSources([source('cam-1/link.ts', sha256(a))], sink, new AbortController().signal)).rejects.toBeInstanceOf(NotRegularFileError);
  });
});

describe('readProven', () => {
  it('holds a segment whole once its hash is the recorded one, and feeds the same bytes again', async () => {
    const a = Buffer.alloc(2 * (1 << 20) + 5, 7);
    const { source } = recordings({ 'cam-1/a.ts': a });
    const held = await readProven(source('cam-1/a.ts', sha256(a)), 1 << 30, new AbortController().signal);
    expect(held.equals(a)).toBe(true);
    const sink = new PassThrough();
    const fed = collect(sink);
    expect(await feedProvenSources([provenBytes(source('cam-1/a.ts', sha256(a)), held)], sink, new AbortController().signal)).toBe(a.length);
    expect((await fed).equals(a)).toBe(true);
  });

  it('refuses a changed segment and one larger than any segment', async () => {
    const a = Buffer.alloc(1 << 20, 3);
    const { source } = recordings({ 'cam-1/a.ts': a });
    await expect(readProven(source('cam-1/a.ts', sha256(Buffer.from('other'))), 1 << 30, new AbortController().signal)).rejects.toBeInstanceOf(FootageChangedError);
    await expect(readProven(source('cam-1/a.ts', sha256(a)), 1000, new AbortController().signal)).rejects.toThrow(/larger than any recorded segment/);
  });
});
