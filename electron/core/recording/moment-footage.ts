/**
 * The recorded segments around a moment, as files a picture can be grabbed from (timeline pictures,
 * bookmark pictures). One machine reads its own recordings in place. A site's workstation has none:
 * it asks the recorders that hold the camera's footage (site-footage.ts) and copies the one segment
 * it needs into a private temporary file, deleted as soon as the picture is taken.
 */
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SiteFootage } from '../recorders/site-footage.js';
import type { SegmentIndex, TimeRange } from './segment-index.js';

export interface MomentSegment {
  startMs: number;
  endMs: number;
  /** The segment as a local file until `release` (null: it cannot be had now). */
  open(): Promise<{ path: string; release(): void } | null>;
}

export interface MomentFootage {
  /** The camera's segments overlapping [fromMs, toMs), oldest first. */
  segments(cameraId: string, fromMs: number, toMs: number): Promise<MomentSegment[]>;
  /** Where the camera has footage in [fromMs, toMs): what a picture may still be kept for. */
  ranges(cameraId: string, fromMs: number, toMs: number): Promise<TimeRange[]>;
}

export function localMomentFootage(index: SegmentIndex, root: string): MomentFootage {
  return {
    segments: async (cameraId, fromMs, toMs) =>
      index.segments(cameraId, fromMs, toMs).map((s) => ({ startMs: s.startMs, endMs: s.endMs, open: async () => ({ path: join(root, s.path), release: () => undefined }) })),
    ranges: async (cameraId, fromMs, toMs) => index.ranges(cameraId, fromMs, toMs),
  };
}

/**
 * The most of one segment copied: a 4-s segment is a few MB (64 MiB is 50 Mbit/s for 10 s), and what answers as a
 * recorder may send without end (whoever can write the directory can put their address there).
 */
const COPY_LIMIT_BYTES = 64 * 1024 * 1024;
/** The longest one segment's copy may take: what drips a byte now and then (never idle) would hold a picture, and every pointer over its bucket, for ever. */
export const COPY_DEADLINE_MS = 60_000;

/** Passes bytes on until `limit`, then fails the copy. */
const atMost = (limit: number) =>
  async function* (chunks: AsyncIterable<Buffer>) {
    let bytes = 0;
    for await (const chunk of chunks) {
      bytes += chunk.length;
      if (bytes > limit) throw new Error(`a recorded segment larger than ${limit} bytes: not one`);
      yield chunk;
    }
  };

/** A site's workstation: segments from the recorders, each copied into `tempDir` while a picture is taken from it. */
export function siteMomentFootage(site: SiteFootage, tempDir: string, copyDeadlineMs = COPY_DEADLINE_MS): MomentFootage {
  rmSync(tempDir, { recursive: true, force: true }); // copies a process killed while grabbing left
  let copies = 0;
  return {
    ranges: (cameraId, fromMs, toMs) => site.ranges(cameraId, fromMs, toMs),
    segments: async (cameraId, fromMs, toMs) =>
      (await site.segments(cameraId, fromMs, toMs)).map((s) => ({
        startMs: s.startMs,
        endMs: s.endMs,
        async open() {
          const body = await site.open(s.recorderId, s.id);
          if (!body || body === 'gone') return null;
          mkdirSync(tempDir, { recursive: true, mode: 0o700 });
          // One name per copy: two pictures from one segment at once each have their own.
          const path = join(tempDir, `${process.pid}-${++copies}.ts`);
          const release = () => rmSync(path, { force: true });
          try {
            await pipeline(body, atMost(COPY_LIMIT_BYTES), createWriteStream(path, { mode: 0o600 }), { signal: AbortSignal.timeout(copyDeadlineMs) });
            return { path, release };
          } catch {
            release();
            return null;
          }
        },
      })),
  };
}
