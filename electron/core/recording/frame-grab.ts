/** One frame of a recorded segment as a small JPEG (bookmark and timeline thumbnails), privacy masks burned in. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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
 * `skippable` and newer grabs pushed it out while it waited. A moment after the segment's last frame
 * (a segment's indexed end can lie a frame beyond it) gets that last frame: ffmpeg then succeeds
 * without writing anything.
 */
export async function grabFrame(segmentFile: string, offsetSeconds: number, outFile: string, { skippable = false, masks = [] as readonly MaskPolygon[] } = {}): Promise<boolean | 'skipped'> {
  const seconds = (n: number) => Math.max(0, n).toFixed(3);
  const at = ['-ss', seconds(offsetSeconds), '-frames:v', '1'];
  // The second before, each frame overwriting the picture: the last one stays.
  const lastFrame = ['-ss', seconds(offsetSeconds - 1), '-update', '1'];
  const grab = async (seek: string[]) => {
    const input = ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', segmentFile];
    const out = [...seek, '-q:v', '4', outFile];
    const ran = async () => {
      if (masks.length === 0) return runToEnd('ffmpeg', [...input, '-vf', `scale=${THUMB_WIDTH}:-2`, ...out], 15_000);
      const dir = mkdtempSync(join(tmpdir(), 'watchroom-thumb-mask-'));
      try {
        const png = writeMaskPng(join(dir, 'mask.png'), masks, MASK_RASTER.width, MASK_RASTER.height);
        const filter = `[1:v][0:v]scale2ref[m][v];[v][m]overlay=format=auto,scale=${THUMB_WIDTH}:-2`;
        return await runToEnd('ffmpeg', [...input, '-i', png, '-filter_complex', filter, ...out], 15_000);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    return ran().then(() => (existsSync(outFile) && statSync(outFile).size > 0 ? 'written' : 'nothing'), () => 'failed' as const);
  };
  return inTurn(async () => {
    const first = await grab(at);
    return (first === 'nothing' ? await grab(lastFrame) : first) === 'written';
  }, skippable);
}
