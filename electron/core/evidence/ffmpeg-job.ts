/**
 * One ffmpeg run of an export: supervised like every child, cancelled by an AbortSignal, its progress
 * read from `-progress pipe:1` (out_time_us), its failure reported with ffmpeg's own last words.
 */
import { WatchroomError } from '../../../shared/errors.js';
import { runToEnd, spawnSupervised } from '../streams/child-processes.js';

export class ExportCancelled extends Error {
  constructor() {
    super('The export was cancelled.');
  }
}

export function isNoSpace(text: string): boolean {
  return /No space left on device|ENOSPC/i.test(text);
}

/** Runs ffmpeg with `args` (output last); `onSeconds` receives how far into the output it has got. */
export function runFfmpeg(args: string[], signal: AbortSignal, onSeconds: (s: number) => void): Promise<void> {
  if (signal.aborted) return Promise.reject(new ExportCancelled());
  const child = spawnSupervised('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-progress', 'pipe:1', '-nostats', '-y', ...args]);
  const abort = () => child.kill('SIGKILL');
  signal.addEventListener('abort', abort, { once: true });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  let pending = '';
  child.stdout.on('data', (c: Buffer) => {
    pending += c.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const m = /^out_time_us=(\d+)/.exec(line);
      if (m) onSeconds(Number(m[1]) / 1e6);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('close', (code) => {
      signal.removeEventListener('abort', abort);
      if (signal.aborted) return reject(new ExportCancelled());
      if (code === 0) return resolve();
      if (isNoSpace(stderr)) return reject(new WatchroomError('export.disk-full', 'The export folder’s disk is full. Nothing was kept; free space or choose another folder.'));
      reject(new WatchroomError('export.ffmpeg-failed', `ffmpeg could not write the clip: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`));
    });
  });
}

export interface MediaFacts {
  codec: string;
  durationSeconds: number;
}

export async function probeMedia(file: string): Promise<MediaFacts> {
  const stdout = await runToEnd('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', file]);
  const json = JSON.parse(stdout) as { streams?: Array<{ codec_name?: string }>; format?: { duration?: string } };
  return { codec: json.streams?.[0]?.codec_name ?? 'unknown', durationSeconds: Number(json.format?.duration ?? NaN) };
}
