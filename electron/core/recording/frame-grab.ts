/** One frame of a recorded segment as a small JPEG (bookmark and timeline thumbnails). */
import { runToEnd } from '../streams/child-processes.js';

const THUMB_WIDTH = 320;

/** Writes the frame at `offsetSeconds` into `segmentFile` to `outFile`; false if ffmpeg could not. */
export async function grabFrame(segmentFile: string, offsetSeconds: number, outFile: string): Promise<boolean> {
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', segmentFile, '-ss', Math.max(0, offsetSeconds).toFixed(3), '-frames:v', '1', '-vf', `scale=${THUMB_WIDTH}:-2`, '-q:v', '4', outFile];
  return runToEnd('ffmpeg', args, 15_000).then(
    () => true,
    () => false,
  );
}
