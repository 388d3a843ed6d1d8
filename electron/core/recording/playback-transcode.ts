/**
 * Recorded segments are the camera's own bytes. Chromium plays H.264 but not H.265 (nor older codecs),
 * so such a segment is re-encoded to H.264 as it is served. Timestamps are kept (-copyts), so the
 * transcoded segments line up in the playlist exactly as the originals do.
 */
import type { Readable } from 'node:stream';
import { spawnSupervised } from '../streams/child-processes.js';
import { TS_STREAM_TYPES, videoStreamTypeOfFile } from './ts-stream-type.js';

export function needsPlaybackTranscode(file: string): boolean {
  return videoStreamTypeOfFile(file) !== TS_STREAM_TYPES.h264;
}

export function playbackTranscodeArgs(file: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-copyts', '-i', file, '-map', '0:v:0', '-an',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p', '-bf', '0',
    '-vf', "scale='min(1280,iw)':-2",
    '-f', 'mpegts', '-muxdelay', '0', '-muxpreload', '0', 'pipe:1',
  ];
}

/**
 * The segment as H.264 MPEG-TS. `stop` ends the encode (the viewer went away); `failed` resolves
 * with ffmpeg's complaint if it exits with an error, or null on success.
 */
export function transcodeSegment(file: string): { output: Readable; stop(): void; failed: Promise<string | null> } {
  const child = spawnSupervised('ffmpeg', playbackTranscodeArgs(file));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const failed = new Promise<string | null>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    // 'close', not 'exit': by then stdout has been read to its end.
    child.once('close', (code, signal) => resolve(code === 0 || signal ? null : stderr.trim() || `ffmpeg exited with code ${code}`));
  });
  return { output: child.stdout, stop: () => child.kill('SIGKILL'), failed };
}
