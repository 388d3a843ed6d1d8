/**
 * Cuts ffmpeg's fragmented MP4 (a byte stream from a pipe, cut anywhere) into what a player needs: the
 * init segment (ftyp+moov) with its codec string, then media fragments (moof+mdat) each flagged
 * keyframe or not. This runs for every frame of every camera, watched or not, so a fragment that
 * arrives whole in one chunk (ffmpeg writes one per frame) is handed on as that chunk, uncopied, and
 * only the few moof fields the relay needs are read, in place.
 */
import { boxSize, childBoxes, findBox, fourCC } from './mp4-box-reader.js';

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

/** Receives what the segmenter finds, in stream order. */
export interface SegmenterSink {
  init(init: InitSegment): void;
  fragment(fragment: MediaFragment): void;
}

const SAMPLE_IS_NON_SYNC = 0x00010000;
const FTYP = fourCC('ftyp');
const MOOV = fourCC('moov');
const MOOF = fourCC('moof');
const MDAT = fourCC('mdat');
const TRAF = fourCC('traf');
const TFHD = fourCC('tfhd');
const TFDT = fourCC('tfdt');
const TRUN = fourCC('trun');

export class Fmp4Segmenter {
  /** The start of a box (or moof+mdat pair) not yet whole: the chunks as they came, joined once it is. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** How many bytes `pending` must hold before it is worth reading again. */
  private needed = 0;
  private initParts: Buffer[] = [];
  private init: InitSegment | null = null;
  /** A moof whose mdat did not follow it at once (ffmpeg never does that), kept until one comes. */
  private moof: Buffer | null = null;

  constructor(private readonly sink: SegmenterSink) {}

  /** Adds bytes and hands on every init segment and fragment they complete, in order. Throws on a corrupt box header. */
  push(chunk: Buffer): void {
    if (this.pendingBytes === 0) return this.take(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.needed) return;
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.take(joined);
  }

  /** Hands on everything whole in `buf` and keeps the rest for the next chunk. */
  private take(buf: Buffer): void {
    let pos = 0;
    while (pos < buf.length) {
      const size = boxSize(buf, pos);
      if (size === null) return this.keep(buf, pos, buf.length - pos < 8 ? 8 : 16);
      if (buf.length - pos < size) return this.keep(buf, pos, size);
      const type = buf.readUInt32BE(pos + 4);
      if (type === MOOF) {
        // A fragment is a moof and the mdat right after it: wait for both, hand them on as one slice.
        const next = pos + size;
        const mdatSize = boxSize(buf, next);
        if (mdatSize === null) return this.keep(buf, pos, size + (buf.length - next < 8 ? 8 : 16));
        if (buf.readUInt32BE(next + 4) === MDAT) {
          const end = next + mdatSize;
          if (end > buf.length) return this.keep(buf, pos, size + mdatSize);
          this.fragment(pos === 0 && end === buf.length ? buf : buf.subarray(pos, end), size);
          pos = end;
          continue;
        }
      }
      this.box(type, buf.subarray(pos, pos + size));
      pos += size;
    }
  }

  private keep(buf: Buffer, pos: number, needed: number): void {
    this.pending = [pos === 0 ? buf : buf.subarray(pos)];
    this.pendingBytes = buf.length - pos;
    this.needed = needed;
  }

  /** A moof and its mdat in one buffer, the moof `moofSize` bytes long. */
  private fragment(bytes: Buffer, moofSize: number): void {
    if (!this.init) {
      this.moof = bytes.subarray(0, moofSize); // as when its mdat comes alone: kept until there is an init
      return;
    }
    this.moof = null;
    this.sink.fragment(readFragment(bytes, moofSize, this.init.defaultSampleFlags));
  }

  private box(type: number, bytes: Buffer): void {
    switch (type) {
      case FTYP:
        this.initParts = [bytes];
        this.init = null;
        return;
      case MOOV:
        this.init = parseInit(Buffer.concat([...this.initParts, bytes]), bytes);
        this.initParts = [];
        return this.sink.init(this.init);
      case MOOF:
        this.moof = bytes;
        return;
      case MDAT:
        if (this.moof && this.init) this.fragment(Buffer.concat([this.moof, bytes]), this.moof.length);
        return;
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
  const { keyframe, sampleCount, decodeTime } = readFragment(moof, moof.length, trexDefaultFlags);
  return { keyframe, sampleCount, decodeTime };
}

/**
 * The fragment in `bytes`, whose first `moofSize` bytes are its moof. The first traf counts; in it the
 * first tfdt, the first tfhd, and every trun (the first one's flags say whether it starts on a keyframe).
 */
function readFragment(bytes: Buffer, moofSize: number, trexDefaultFlags: number): MediaFragment {
  let traf = -1;
  let trafEnd = 0;
  for (let pos = headerSize(bytes, 0), size = 0; (size = childSize(bytes, pos, moofSize)) > 0; pos += size) {
    if (bytes.readUInt32BE(pos + 4) !== TRAF) continue;
    traf = pos + headerSize(bytes, pos);
    trafEnd = pos + size;
    break;
  }
  if (traf < 0) return { bytes, keyframe: false, sampleCount: 0, decodeTime: 0 };
  let decodeTime = -1;
  let defaultFlags = trexDefaultFlags;
  let tfhdSeen = false;
  let sampleCount = 0;
  let firstTrun = -1;
  for (let pos = traf, size = 0; (size = childSize(bytes, pos, trafEnd)) > 0; pos += size) {
    const type = bytes.readUInt32BE(pos + 4);
    const start = pos + headerSize(bytes, pos);
    if (type === TFDT && decodeTime < 0) {
      decodeTime = bytes[start] === 1 ? Number(bytes.readBigUInt64BE(start + 4)) : bytes.readUInt32BE(start + 4);
    } else if (type === TFHD && !tfhdSeen) {
      tfhdSeen = true;
      const flags = bytes.readUInt32BE(start) & 0xffffff;
      let at = start + 8; // version/flags + track_ID
      if (flags & 0x01) at += 8;
      if (flags & 0x02) at += 4;
      if (flags & 0x08) at += 4;
      if (flags & 0x10) at += 4;
      if (flags & 0x20) defaultFlags = bytes.readUInt32BE(at);
    } else if (type === TRUN) {
      sampleCount += bytes.readUInt32BE(start + 4);
      if (firstTrun < 0) firstTrun = start;
    }
  }
  let firstFlags = defaultFlags;
  if (firstTrun >= 0 && bytes.readUInt32BE(firstTrun + 4) !== 0) {
    const flags = bytes.readUInt32BE(firstTrun) & 0xffffff;
    let at = firstTrun + 8;
    if (flags & 0x01) at += 4;
    if (flags & 0x04) firstFlags = bytes.readUInt32BE(at);
    else if (flags & 0x400) {
      if (flags & 0x100) at += 4;
      if (flags & 0x200) at += 4;
      firstFlags = bytes.readUInt32BE(at);
    }
  }
  return { bytes, keyframe: (firstFlags & SAMPLE_IS_NON_SYNC) === 0, sampleCount, decodeTime: Math.max(decodeTime, 0) };
}

function headerSize(bytes: Buffer, pos: number): number {
  return bytes.readUInt32BE(pos) === 1 ? 16 : 8;
}

/** The size of the child box at `pos` if it fits before `end`, else 0 (as childBoxes: size 0 runs to `end`). */
function childSize(bytes: Buffer, pos: number, end: number): number {
  if (pos + 8 > end) return 0;
  let size = bytes.readUInt32BE(pos);
  let header = 8;
  if (size === 1) {
    if (pos + 16 > end) return 0;
    size = Number(bytes.readBigUInt64BE(pos + 8));
    header = 16;
  } else if (size === 0) {
    size = end - pos;
  }
  return size < header || pos + size > end ? 0 : size;
}
