/** One frame of a recorded segment as a small JPEG (bookmark and timeline thumbnails), privacy masks burned in. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MaskPolygon } from '../../../shared/masks.js';
import { writeMaskPng } from '../masks/mask-image.js';
import { runToEnd } from '../streams/child-processes.js';

const THUMB_WIDTH = 320;

/**
 * Grabs run one at a time, machine-wide, the rest wait their turn: a viewer running the pointer
 * along days of footage (a new picture every 10 s of it) must never take the cores the recorder needs.
 */
const MAX_RUNNING = 1;
/** Skippable grabs (timeline pictures) waiting at most: past it the oldest is skipped, as the pointer has moved on. */
export const MAX_SKIPPABLE_WAITING = 8;
let running = 0;
const waiting: Array<{ go(): void; skip(): void; skippable: boolean }> = [];

/** Grabs waiting for their turn now. */
export const frameGrabsWaiting = () => waiting.length;

async function inTurn<T>(work: () => Promise<T>, skippable: boolean): Promise<T | 'skipped'> {
  if (running < MAX_RUNNING) running++;
  else {
    // A finished grab hands its turn straight to the next, so none can slip in between.
    const turn = await new Promise<boolean>((resolve) => {
      const skippables = waiting.filter((w) => w.skippable);
      if (skippable && skippables.length >= MAX_SKIPPABLE_WAITING) {
        waiting.splice(waiting.indexOf(skippables[0]!), 1);
        skippables[0]!.skip();
      }
      waiting.push({ go: () => resolve(true), skip: () => resolve(false), skippable });
    });
    if (!turn) return 'skipped';
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next.go();
    else running--;
  }
}

/** The mask image's size: stretched over the frame whatever its own, so only its precision depends on it. */
const MASK_RASTER = { width: 1280, height: 720 };

/**
 * Writes the frame at `offsetSeconds` into `segmentFile` to `outFile`, with `masks` laid over it at
 * the frame's own size before it is scaled down; false if ffmpeg could not, 'skipped' if it was
 * `skippable` and newer grabs pushed it out while it waited.
 */
export async function grabFrame(segmentFile: string, offsetSeconds: number, outFile: string, { skippable = false, masks = [] as readonly MaskPolygon[] } = {}): Promise<boolean | 'skipped'> {
  const input = ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', segmentFile];
  const at = ['-ss', Math.max(0, offsetSeconds).toFixed(3), '-frames:v', '1'];
  const out = ['-q:v', '4', outFile];
  return inTurn(async () => {
    if (masks.length === 0) return runToEnd('ffmpeg', [...input, ...at, '-vf', `scale=${THUMB_WIDTH}:-2`, ...out], 15_000).then(() => true, () => false);
    const dir = mkdtempSync(join(tmpdir(), 'watchroom-thumb-mask-'));
    try {
      const png = writeMaskPng(join(dir, 'mask.png'), masks, MASK_RASTER.width, MASK_RASTER.height);
      const filter = `[1:v][0:v]scale2ref[m][v];[v][m]overlay=format=auto,scale=${THUMB_WIDTH}:-2`;
      return await runToEnd('ffmpeg', [...input, '-i', png, ...at, '-filter_complex', filter, ...out], 15_000).then(() => true, () => false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, skippable);
}
