/**
 * Groups top-level boxes of a fragmented MP4 into what a player needs: the init segment (ftyp+moov)
 * with its codec string, then media fragments (moof+mdat) each flagged keyframe or not.
 */
import { childBoxes, findBox, type Mp4Box } from './mp4-box-reader.js';

export interface InitSegment {
  bytes: Buffer;
  /** RFC 6381 codec string for MSE, e.g. avc1.64001f; null when the track is not H.264. */
  codec: string | null;
  /** The sample entry's four-character code (avc1, hvc1, mp4v …). */
  sampleEntry: string;
  /** trex default_sample_flags, used when a fragment carries no flags of its own. */
  defaultSampleFlags: number;
  /** Ticks per second of the track's media time (mdhd). */
  timescale: number;
}

export interface MediaFragment {
  bytes: Buffer;
  keyframe: boolean;
  sampleCount: number;
  /** tfdt: the first sample's decode time in timescale ticks. */
  decodeTime: number;
}

export type SegmenterOutput = { kind: 'init'; init: InitSegment } | { kind: 'fragment'; fragment: MediaFragment };

const SAMPLE_IS_NON_SYNC = 0x00010000;

export class Fmp4Segmenter {
  private initParts: Buffer[] = [];
  private init: InitSegment | null = null;
  private moof: Buffer | null = null;

  push(box: Mp4Box): SegmenterOutput | null {
    switch (box.type) {
      case 'ftyp':
        this.initParts = [box.bytes];
        this.init = null;
        return null;
      case 'moov': {
        this.init = parseInit(Buffer.concat([...this.initParts, box.bytes]), box.bytes);
        this.initParts = [];
        return { kind: 'init', init: this.init };
      }
      case 'moof':
        this.moof = box.bytes;
        return null;
      case 'mdat': {
        if (!this.moof || !this.init) return null;
        const info = parseMoof(this.moof, this.init.defaultSampleFlags);
        const bytes = Buffer.concat([this.moof, box.bytes]);
        this.moof = null;
        return { kind: 'fragment', fragment: { bytes, ...info } };
      }
      default:
        return null;
    }
  }
}

function parseInit(initBytes: Buffer, moov: Buffer): InitSegment {
  const stsd = findBox(moov, ['trak', 'mdia', 'minf', 'stbl', 'stsd']);
  let sampleEntry = 'none';
  let codec: string | null = null;
  if (stsd) {
    // stsd: version/flags (4) + entry count (4), then sample entries.
    const entry = childBoxes(moov.subarray(0, stsd.end), stsd.start + 8)[0];
    if (entry) {
      sampleEntry = entry.type;
      if (entry.type === 'avc1' || entry.type === 'avc3') {
        // VisualSampleEntry has 78 bytes of fixed fields before its child boxes.
        const avcC = childBoxes(moov.subarray(0, entry.end), entry.start + 78).find((b) => b.type === 'avcC');
        if (avcC && avcC.end - avcC.start >= 4) {
          const hex = (i: number) => moov[avcC.start + i]!.toString(16).padStart(2, '0');
          codec = `${entry.type}.${hex(1)}${hex(2)}${hex(3)}`;
        }
      }
    }
  }
  const trex = findBox(moov, ['mvex', 'trex']);
  // trex: version/flags, track_ID, default description index, duration, size, flags.
  const defaultSampleFlags = trex && trex.end - trex.start >= 24 ? moov.readUInt32BE(trex.start + 20) : 0;
  const mdhd = findBox(moov, ['trak', 'mdia', 'mdhd']);
  // mdhd version 1 has 64-bit creation/modification times before the timescale.
  const timescale = mdhd ? moov.readUInt32BE(mdhd.start + (moov[mdhd.start] === 1 ? 20 : 12)) : 90_000;
  return { bytes: initBytes, codec, sampleEntry, defaultSampleFlags, timescale };
}

/** Reads the first sample's flags, the sample count and the decode time from moof/traf/{tfhd,trun,tfdt}. */
export function parseMoof(moof: Buffer, trexDefaultFlags: number): { keyframe: boolean; sampleCount: number; decodeTime: number } {
  const traf = findBox(moof, ['traf']);
  if (!traf) return { keyframe: false, sampleCount: 0, decodeTime: 0 };
  const children = childBoxes(moof.subarray(0, traf.end), traf.start);
  const tfdt = children.find((b) => b.type === 'tfdt');
  const decodeTime = !tfdt ? 0 : moof[tfdt.start] === 1 ? Number(moof.readBigUInt64BE(tfdt.start + 4)) : moof.readUInt32BE(tfdt.start + 4);
  let defaultFlags = trexDefaultFlags;
  const tfhd = children.find((b) => b.type === 'tfhd');
  if (tfhd) {
    const flags = moof.readUInt32BE(tfhd.start) & 0xffffff;
    let pos = tfhd.start + 8; // version/flags + track_ID
    if (flags & 0x01) pos += 8;
    if (flags & 0x02) pos += 4;
    if (flags & 0x08) pos += 4;
    if (flags & 0x10) pos += 4;
    if (flags & 0x20) defaultFlags = moof.readUInt32BE(pos);
  }
  let sampleCount = 0;
  let firstFlags = defaultFlags;
  const truns = children.filter((b) => b.type === 'trun');
  truns.forEach((trun, index) => {
    const flags = moof.readUInt32BE(trun.start) & 0xffffff;
    const count = moof.readUInt32BE(trun.start + 4);
    sampleCount += count;
    if (index !== 0 || count === 0) return;
    let pos = trun.start + 8;
    if (flags & 0x01) pos += 4;
    if (flags & 0x04) {
      firstFlags = moof.readUInt32BE(pos);
      return;
    }
    if (flags & 0x400) {
      if (flags & 0x100) pos += 4;
      if (flags & 0x200) pos += 4;
      firstFlags = moof.readUInt32BE(pos);
    }
  });
  return { keyframe: (firstFlags & SAMPLE_IS_NON_SYNC) === 0, sampleCount, decodeTime };
}
