/**
 * The video codec of an MPEG-TS recording, read from its own tables (PAT → PMT) in the first packets:
 * no ffprobe process per request, and a segment is judged by its bytes, not by what the camera said.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export const TS_PACKET = 188;
/** ffmpeg writes PAT and PMT at the start of each segment; a few packets in is plenty. */
const HEAD_BYTES = TS_PACKET * 64;

export const TS_STREAM_TYPES = { h264: 0x1b, h265: 0x24 } as const;

/** Payload of a packet that starts a section, from its table_id on; null if not such a packet. */
function sectionOf(packet: Buffer): Buffer | null {
  if (packet[0] !== 0x47 || !(packet[1]! & 0x40)) return null;
  const adaptation = (packet[3]! >> 4) & 0x3;
  let offset = 4;
  if (adaptation === 2) return null; // no payload
  if (adaptation === 3) offset += 1 + packet[4]!;
  if (offset >= TS_PACKET) return null;
  offset += 1 + packet[offset]!; // pointer_field
  return offset < TS_PACKET ? packet.subarray(offset) : null;
}

const pidOf = (packet: Buffer) => ((packet[1]! & 0x1f) << 8) | packet[2]!;

/** The first video elementary stream in the bytes (its PID and stream_type), or null if none is found. */
function firstVideoStream(bytes: Buffer): { pid: number; type: number } | null {
  let pmtPid: number | null = null;
  for (let at = 0; at + TS_PACKET <= bytes.length; at += TS_PACKET) {
    const packet = bytes.subarray(at, at + TS_PACKET);
    const section = sectionOf(packet);
    if (!section || section.length < 12) continue;
    const pid = pidOf(packet);
    const sectionLength = ((section[1]! & 0x0f) << 8) | section[2]!;
    const end = Math.min(section.length, 3 + sectionLength - 4); // minus CRC
    if (pid === 0 && section[0] === 0x00) {
      // PAT: the first program that is not the network PID (program 0).
      for (let i = 8; i + 4 <= end; i += 4) {
        if (((section[i]! << 8) | section[i + 1]!) !== 0) {
          pmtPid = ((section[i + 2]! & 0x1f) << 8) | section[i + 3]!;
          break;
        }
      }
    } else if (pid === pmtPid && section[0] === 0x02) {
      const programInfoLength = ((section[10]! & 0x0f) << 8) | section[11]!;
      for (let i = 12 + programInfoLength; i + 5 <= end; ) {
        const type = section[i]!;
        if (isVideo(type)) return { pid: ((section[i + 1]! & 0x1f) << 8) | section[i + 2]!, type };
        i += 5 + (((section[i + 3]! & 0x0f) << 8) | section[i + 4]!);
      }
      return null;
    }
  }
  return null;
}

/** The stream_type of the first video elementary stream in the bytes, or null if none is found. */
export function videoStreamType(bytes: Buffer): number | null {
  return firstVideoStream(bytes)?.type ?? null;
}

/** The PID that carries the first video elementary stream, or null if none is found. */
export function videoPid(bytes: Buffer): number | null {
  return firstVideoStream(bytes)?.pid ?? null;
}

/** MPEG-1/2 video, MPEG-4 part 2, H.264, H.265, and VC-1/AVS types seen on cameras. */
function isVideo(type: number): boolean {
  return [0x01, 0x02, 0x10, 0x1b, 0x24, 0x42, 0xea].includes(type);
}

export function videoStreamTypeOfFile(file: string): number | null {
  // Never wait in open (a named pipe) nor read what is not a regular file: regular-file.ts says why.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) return null;
    const head = Buffer.alloc(HEAD_BYTES);
    return videoStreamType(head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0)));
  } finally {
    closeSync(fd);
  }
}
