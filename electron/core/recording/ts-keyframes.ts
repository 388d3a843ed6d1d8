/**
 * Where the video keyframes of an MPEG-TS segment are, read from the file's own packets: the PES
 * packets whose adaptation field sets random_access_indicator (ffmpeg's muxer, which writes every
 * recording, sets it on keyframes) and their PTS. One pass over a few MB in Node instead of an
 * ffprobe process, whose start-up alone cost more than a whole export's copy (bench:evidence).
 */
import { TS_PACKET, videoPid } from './ts-stream-type.js';

/** The 33-bit PTS in a PES header, or null if it carries none. */
function ptsOf(pes: Buffer): number | null {
  if (pes.length < 14 || pes[0] !== 0 || pes[1] !== 0 || pes[2] !== 1) return null;
  if (!(pes[7]! & 0x80)) return null;
  const b = pes;
  return ((b[9]! >> 1) & 0x07) * 2 ** 30 + ((b[10]! << 7) | (b[11]! >> 1)) * 2 ** 15 + ((b[12]! << 7) | (b[13]! >> 1));
}

/** Seconds from the segment's earliest video PTS (where ffmpeg's -ss counts from) to each keyframe, in file order. */
export function keyframeOffsetsInTs(bytes: Buffer): number[] {
  const pid = videoPid(bytes);
  if (pid === null) return [];
  let earliest = Infinity;
  const keyframes: number[] = [];
  for (let at = 0; at + TS_PACKET <= bytes.length; at += TS_PACKET) {
    const p = bytes.subarray(at, at + TS_PACKET);
    if (p[0] !== 0x47 || !(p[1]! & 0x40) || (((p[1]! & 0x1f) << 8) | p[2]!) !== pid) continue;
    const adaptation = (p[3]! >> 4) & 0x3;
    if (!(adaptation & 0x1)) continue; // no payload
    const hasField = adaptation === 3 && p[4]! > 0;
    const randomAccess = hasField && (p[5]! & 0x40) !== 0;
    const pts = ptsOf(p.subarray(adaptation === 3 ? 5 + p[4]! : 4));
    if (pts === null) continue;
    earliest = Math.min(earliest, pts);
    if (randomAccess) keyframes.push(pts);
  }
  return keyframes.map((pts) => (pts - earliest) / 90_000);
}

/** A segment is at most this large (10 minutes of 4K): a bigger "segment" is not read into memory. */
export const MAX_SEGMENT_BYTES = 2 ** 30;
