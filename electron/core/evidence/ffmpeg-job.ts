/**
 * One ffmpeg run of an export: supervised like every child, cancelled by an AbortSignal, its progress
 * read from `-progress pipe:1` (out_time_us), its failure reported with ffmpeg's own last words.
 */
import type { Writable } from 'node:stream';
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

/**
 * Runs ffmpeg with `args` (output last); `onSeconds` receives how far into the output it has got.
 * `feed`, when given, writes ffmpeg's standard input (`-i pipe:0`); if it fails, ffmpeg is stopped
 * and the feed's error is the run's. ffmpeg never overwrites a file (`-n`): every output is new.
 */
export async function runFfmpeg(args: string[], signal: AbortSignal, onSeconds: (s: number) => void, feed?: (stdin: Writable) => Promise<unknown>): Promise<void> {
  if (signal.aborted) throw new ExportCancelled();
  const child = spawnSupervised('ffmpeg', ['-hide_banner', '-v', 'error', '-progress', 'pipe:1', '-nostats', '-n', ...(feed ? [] : ['-nostdin']), ...args]);
  // ffmpeg closes its input once it has the clip: that EPIPE is expected, not a crash.
  child.stdin.on('error', () => undefined);
  if (!feed) child.stdin.end();
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
  const fed = feed
    ? feed(child.stdin).then(
        () => null,
        (error: unknown) => (child.kill('SIGKILL'), error),
      )
    : Promise.resolve(null);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  signal.removeEventListener('abort', abort);
  const feedError = await fed;
  if (feedError) throw feedError;
  if (signal.aborted) throw new ExportCancelled();
  if (code === 0) return;
  if (isNoSpace(stderr)) throw new WatchroomError('export.disk-full', 'The export folder’s disk is full. Nothing was kept; free space or choose another folder.');
  throw new WatchroomError('export.ffmpeg-failed', `ffmpeg could not write the clip: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`);
}

export interface MediaFacts {
  codec: string;
  durationSeconds: number;
  width: number;
  height: number;
}

export async function probeMedia(file: string): Promise<MediaFacts> {
  const stdout = await runToEnd('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', file]);
  const json = JSON.parse(stdout) as { streams?: Array<{ codec_name?: string; width?: number; height?: number }>; format?: { duration?: string } };
  const video = json.streams?.[0];
  return { codec: video?.codec_name ?? 'unknown', durationSeconds: Number(json.format?.duration ?? NaN), width: video?.width ?? 0, height: video?.height ?? 0 };
}
