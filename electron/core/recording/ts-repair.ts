/**
 * Makes a half-written MPEG-TS segment (ffmpeg or the app killed mid-write) readable: cut it at the
 * last whole 188-byte packet, then ask ffprobe how long it is. A file with no playable video is
 * removed rather than left unreadable.
 */
import { execFile } from 'node:child_process';
import { open, rm, stat, truncate } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TS_PACKET = 188;
const SYNC_BYTE = 0x47;

/** Duration in seconds, or null when nothing usable was left (the file is then deleted). */
export async function repairPartialTs(file: string, ffprobePath = 'ffprobe'): Promise<number | null> {
  const size = (await stat(file)).size;
  let good = Math.floor(size / TS_PACKET) * TS_PACKET;
  // Stop at the first packet whose sync byte is wrong: what follows it is garbage from a torn write.
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(good);
    await handle.read(buf, 0, good, 0);
    for (let pos = 0; pos < good; pos += TS_PACKET) {
      if (buf[pos] !== SYNC_BYTE) {
        good = pos;
        break;
      }
    }
  } finally {
    await handle.close();
  }
  if (good !== size) await truncate(file, good);
  const duration = good > 0 ? await probeDuration(file, ffprobePath) : null;
  if (duration === null || duration <= 0) {
    await rm(file, { force: true });
    return null;
  }
  return duration;
}

export async function probeDuration(file: string, ffprobePath = 'ffprobe'): Promise<number | null> {
  try {
    const { stdout } = await run(ffprobePath, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file]);
    const d = Number(stdout.trim());
    return Number.isFinite(d) ? d : null;
  } catch {
    return null;
  }
}
