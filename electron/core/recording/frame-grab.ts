/** One frame of a recorded segment as a small JPEG (bookmark and timeline thumbnails). */
import { runToEnd } from '../streams/child-processes.js';

const THUMB_WIDTH = 320;

/**
 * Grabs run one at a time, machine-wide, the rest wait their turn: a viewer running the pointer
 * along days of footage (a new picture every 10 s of it) must never take the cores the recorder needs.
 */
const MAX_RUNNING = 1;
let running = 0;
const waiting: Array<() => void> = [];

/** Grabs waiting for their turn now. */
export const frameGrabsWaiting = () => waiting.length;

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_RUNNING) running++;
  // A finished grab hands its turn straight to the next, so none can slip in between.
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Writes the frame at `offsetSeconds` into `segmentFile` to `outFile`; false if ffmpeg could not. */
export async function grabFrame(segmentFile: string, offsetSeconds: number, outFile: string): Promise<boolean> {
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', segmentFile, '-ss', Math.max(0, offsetSeconds).toFixed(3), '-frames:v', '1', '-vf', `scale=${THUMB_WIDTH}:-2`, '-q:v', '4', outFile];
  return inTurn(() => runToEnd('ffmpeg', args, 15_000)).then(
    () => true,
    () => false,
  );
}
