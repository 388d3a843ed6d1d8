/**
 * Pictures for the playback timeline: a camera's frame at a moment, grabbed by ffmpeg from the
 * recorded segment and kept on disk, one file per camera and 10 s bucket, so running the pointer
 * along a track asks ffmpeg at most once per bucket. A picture lives no longer than its footage:
 * retention's passes sweep the pictures of what they deleted, and one asked for after is dropped.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionPerson } from '../../../shared/api.js';
import type { MaskPolygon } from '../../../shared/masks.js';
import { cameraMomentSchema } from '../../../shared/schemas.js';
import type { CameraRegistry } from '../cameras/camera-registry.js';
import type { MediaRoute } from '../feature-module.js';
import { sendFile, sendText } from '../http-reply.js';
import type { Logger } from '../logger.js';
import { grabFrame } from './frame-grab.js';
import { viewingParam, type LookingBack } from './looking-back.js';
import type { MomentFootage, MomentSegment } from './moment-footage.js';

/** Moments in the same bucket share a picture. */
export const THUMBNAIL_BUCKET_MS = 10_000;
/** Pictures kept at most (~15 KB each, so some 300 MB); past it, the oldest made go first. */
export const MAX_TIMELINE_THUMBNAILS = 20_000;

/** The masks a picture for this person must carry (none when the camera has none or they hold a lift on it). */
export type MaskFor = (cameraId: string, person: Pick<SessionPerson, 'id' | 'role'>) => Promise<{ version: number; polygons: MaskPolygon[] } | null>;

/** A bucket's picture: plain, or with mask version N burned in (`<bucket>.m<N>.jpg`), so a lift never gets a masked copy nor anyone else a plain one. */
const PICTURE_NAME = /^(\d+)(?:\.m\d+)?\.jpg$/;

export function timelineThumbnailRoute({ footage, cacheDir, registry, lookingBack, logger, maskFor, maxKept = MAX_TIMELINE_THUMBNAILS }: { footage: MomentFootage; cacheDir: string; registry: CameraRegistry; lookingBack: LookingBack; logger: Logger; maskFor: MaskFor; maxKept?: number }): MediaRoute {
  /** Pictures on disk, counted once and then as they are made; a sweep past `maxKept` counts again. */
  let kept: number | null = null;
  const madeOne = () => {
    kept = (kept ?? cachedPictures(cacheDir).length) + 1;
    if (kept > maxKept) kept = keepNewest(cacheDir, Math.floor(maxKept * 0.9));
  };
  /** Grabs still running, by file: two pointers over one bucket start one ffmpeg. */
  const making = new Map<string, Promise<boolean | 'skipped'>>();
  /** Grabs the frame at `offsets[0]` into the segment, else at the next offset, and so on. */
  const grab = async (file: string, segment: MomentSegment, offsets: number[], masks: readonly MaskPolygon[]): Promise<boolean | 'skipped'> => {
    const source = await segment.open();
    if (!source) return false;
    // Written aside and renamed, so a concurrent reader never gets half a JPEG.
    const part = `${file}.${process.pid}.part.jpg`;
    try {
      for (const offset of offsets) {
        const made = await grabFrame(source.path, offset, part, { skippable: true, masks });
        if (made === true && existsSync(part)) return (renameSync(part, file), madeOne(), true);
        if (made === 'skipped') return made;
      }
      return false;
    } finally {
      source.release();
    }
  };
  const make = (file: string, segment: MomentSegment, offsets: number[], masks: readonly MaskPolygon[]) => {
    let pending = making.get(file);
    if (!pending) {
      pending = grab(file, segment, offsets, masks).finally(() => making.delete(file));
      making.set(file, pending);
    }
    return pending;
  };

  return {
    // /media/<camera>/thumb.jpg?atMs=[&viewing=<playback session>]
    pattern: /^\/media\/([^/]+)\/thumb\.jpg$/,
    async serve({ url, res, person }, match) {
      const parsed = cameraMomentSchema.safeParse({ cameraId: decodeURIComponent(match[1]!), atMs: Number(url.searchParams.get('atMs') ?? NaN) });
      if (!parsed.success) return sendText(res, 400, parsed.error.issues[0]!.message);
      const { cameraId, atMs } = parsed.data;
      // A picture of the past is looking back too.
      const viewing = viewingParam(url);
      const allowed = viewing === undefined ? null : lookingBack.check(person, viewing, atMs, atMs);
      if (!allowed?.ok) return sendText(res, 403, allowed?.message ?? 'The playback named in this link is not one Watchroom gave.');
      try {
        registry.get(cameraId); // archived cameras too: their footage is kept
      } catch (error) {
        return sendText(res, 404, (error as Error).message);
      }
      const bucket = Math.floor(atMs / THUMBNAIL_BUCKET_MS) * THUMBNAIL_BUCKET_MS;
      const folder = join(cacheDir, cameraId);
      const masks = await maskFor(cameraId, person);
      const file = join(folder, masks ? `${bucket}.m${masks.version}.jpg` : `${bucket}.jpg`);
      // The picture of a bucket is taken at its middle (or the recorded moment nearest it): at most 5 s off.
      const middle = bucket + THUMBNAIL_BUCKET_MS / 2;
      const covering = await footage.segments(cameraId, bucket, bucket + THUMBNAIL_BUCKET_MS);
      const segment = covering.find((s) => s.startMs <= middle && middle < s.endMs) ?? covering.find((s) => s.startMs > middle) ?? covering.at(-1);
      if (!segment) {
        rmSync(file, { force: true });
        return sendText(res, 404, 'Nothing was recorded on this camera at that moment.');
      }
      if (!existsSync(file)) {
        mkdirSync(folder, { recursive: true });
        // Inside the segment: the middle itself; else its start, or a second before its end.
        const at = middle < segment.startMs ? segment.startMs : middle < segment.endMs ? middle : Math.max(segment.startMs, segment.endMs - 1_000);
        const offsetSeconds = (at - segment.startMs) / 1000;
        // A segment's last frame can come before its indexed end: then its first frame will do.
        const made = await make(file, segment, offsetSeconds > 0 ? [offsetSeconds, 0] : [0], masks?.polygons ?? []);
        if (made === 'skipped') return sendText(res, 503, 'Newer timeline pictures were asked for meanwhile; this one was skipped.');
        if (!made) {
          logger.log('warn', 'recording.thumbnail-failed', { cameraId, atMs: bucket });
          return sendText(res, 422, 'No picture could be taken from the recording at that moment.');
        }
      }
      sendFile(res, file, logger, { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=3600' });
    },
  };
}

/** Every picture in the cache, by its path. */
function cachedPictures(cacheDir: string): string[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir).flatMap((cameraId) => readdirSync(join(cacheDir, cameraId)).filter((n) => PICTURE_NAME.test(n)).map((n) => join(cacheDir, cameraId, n)));
}

/** Removes all but the `count` pictures made last; how many are left. */
function keepNewest(cacheDir: string, count: number): number {
  const made = cachedPictures(cacheDir).map((file) => ({ file, ms: statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
  made.sort((a, b) => b.ms - a.ms);
  for (const { file } of made.slice(count)) rmSync(file, { force: true });
  return Math.min(count, made.length);
}

/** Removes the pictures whose footage is gone (retention deleted it, here or on a site's recorder); how many. */
export async function pruneTimelineThumbnails(cacheDir: string, footage: Pick<MomentFootage, 'ranges'>): Promise<number> {
  let removed = 0;
  for (const cameraId of existsSync(cacheDir) ? readdirSync(cacheDir) : []) {
    const pictures = readdirSync(join(cacheDir, cameraId)).flatMap((name) => {
      const bucket = Number(PICTURE_NAME.exec(name)?.[1] ?? NaN);
      return Number.isFinite(bucket) ? [{ name, bucket }] : [];
    });
    if (!pictures.length) continue;
    // One question per camera: where its footage is, across the span of its pictures.
    const buckets = pictures.map((p) => p.bucket);
    const ranges = await footage.ranges(cameraId, Math.min(...buckets), Math.max(...buckets) + THUMBNAIL_BUCKET_MS);
    for (const { name, bucket } of pictures) {
      if (ranges.some((r) => r.startMs < bucket + THUMBNAIL_BUCKET_MS && r.endMs > bucket)) continue;
      rmSync(join(cacheDir, cameraId, name), { force: true });
      removed++;
    }
  }
  return removed;
}
