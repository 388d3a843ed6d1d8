import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { childBoxes } from '../../electron/core/streams/mp4-box-reader.js';
import { Fmp4Segmenter, parseMoof, type InitSegment, type MediaFragment } from '../../electron/core/streams/fmp4-segmenter.js';

// Captured from ffmpeg 5.1: 2 s of 320x180 H.264 High@1.2, a keyframe every 25 frames, one fragment per frame.
const sample = readFileSync(new URL('../fixtures/media/h264-320x180-2s-gop25.fmp4', import.meta.url));

type SegmenterOutput = { kind: 'init'; init: InitSegment } | { kind: 'fragment'; fragment: MediaFragment };

function segment(chunks: Buffer[]): SegmenterOutput[] {
  const out: SegmenterOutput[] = [];
  const segmenter = new Fmp4Segmenter({ init: (init) => out.push({ kind: 'init', init }), fragment: (fragment) => out.push({ kind: 'fragment', fragment }) });
  for (const chunk of chunks) segmenter.push(chunk);
  return out;
}

function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let pos = 0;
  for (let i = 0; pos < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    chunks.push(bytes.subarray(pos, pos + n));
    pos += n;
  }
  return chunks;
}

/** What the sample holds, read box by box from the whole file: the init bytes and each moof+mdat pair. */
function expected(): { init: Buffer; fragments: Array<Omit<MediaFragment, 'bytes'> & { bytes: Buffer }> } {
  const top = childBoxes(sample, 0).map((b) => ({ ...b, from: b.start - 8 }));
  const moov = top.find((b) => b.type === 'moov')!;
  const fragments = top.flatMap((b, i) => {
    const mdat = top[i + 1];
    if (b.type !== 'moof' || mdat?.type !== 'mdat') return [];
    // The sample's trex default flags mark samples non-sync, as ffmpeg writes them.
    return [{ bytes: sample.subarray(b.from, mdat.end), ...parseMoof(sample.subarray(b.from, b.end), 0x00010000) }];
  });
  return { init: sample.subarray(0, moov.end), fragments };
}

function same(out: SegmenterOutput[], want: ReturnType<typeof expected>): boolean {
  if (out.length !== want.fragments.length + 1 || out[0]?.kind !== 'init' || !out[0].init.bytes.equals(want.init)) return false;
  return want.fragments.every((w, i) => {
    const o = out[i + 1];
    return o?.kind === 'fragment' && o.fragment.bytes.equals(w.bytes) && o.fragment.keyframe === w.keyframe && o.fragment.sampleCount === w.sampleCount && o.fragment.decodeTime === w.decodeTime;
  });
}

describe('fMP4 segmenter', () => {
  it('finds the init segment with the codec string from avcC', () => {
    const out = segment([sample]);
    expect(out[0]?.kind).toBe('init');
    if (out[0]?.kind !== 'init') throw new Error('no init');
    expect(out[0].init.codec).toBe('avc1.64000c');
    expect(out[0].init.sampleEntry).toBe('avc1');
    expect(out[0].init.bytes.toString('latin1', 4, 8)).toBe('ftyp');
  });

  it('yields one fragment per frame with keyframes exactly every 25 frames', () => {
    const fragments = segment([sample]).flatMap((o) => (o.kind === 'fragment' ? [o.fragment] : []));
    expect(fragments).toHaveLength(50);
    expect(fragments.map((f, i) => (f.keyframe ? i : -1)).filter((i) => i >= 0)).toEqual([0, 25]);
    expect(fragments.every((f) => f.sampleCount === 1)).toBe(true);
    // 25 fps in the muxer's 12800 Hz timescale: 512 ticks a frame, from 0.
    const init = segment([sample])[0];
    expect(init?.kind === 'init' && init.init.timescale).toBe(12800);
    expect(fragments.map((f) => f.decodeTime).slice(0, 3)).toEqual([0, 512, 1024]);
    for (const f of fragments) {
      expect(f.bytes.toString('latin1', 4, 8)).toBe('moof');
    }
  });

  it('gives identical output however the pipe cuts the bytes', () => {
    const bytesOf = (out: SegmenterOutput[]) => Buffer.concat(out.map((o) => (o.kind === 'init' ? o.init.bytes : o.fragment.bytes)));
    const whole = segment([sample]);
    // Everything but the trailing mfra index ffmpeg writes when the file closes.
    expect(bytesOf(whole).length).toBe(sample.length - sample.readUInt32BE(sample.length - 4));
    for (const sizes of [[1], [7, 3, 1000], [8], [4096], [65536]]) {
      const cut = segment(chunked(sample, sizes));
      expect(cut.length).toBe(whole.length);
      expect(bytesOf(cut).equals(bytesOf(whole))).toBe(true);
    }
  });

  it('gives exactly the fragments the file holds, cut in two at every byte', () => {
    const all = expected();
    expect(all.fragments).toHaveLength(50);
    expect(same(segment(chunked(sample, [1])), all)).toBe(true);
    // The init segment, the first keyframe and the frames after it: every kind of boundary, at every byte.
    const want = { init: all.init, fragments: all.fragments.slice(0, 3) };
    const stream = Buffer.concat([want.init, ...want.fragments.map((f) => f.bytes)]);
    const wrong: number[] = [];
    for (let at = 1; at < stream.length; at++) if (!same(segment([stream.subarray(0, at), stream.subarray(at)]), want)) wrong.push(at);
    expect(wrong).toEqual([]);
  });

  it('hands on a fragment that arrives as one chunk as that chunk, without copying it', () => {
    const { init, fragments } = expected();
    const chunks = [init, ...fragments.map((f) => Buffer.from(f.bytes))];
    const out = segment(chunks).flatMap((o) => (o.kind === 'fragment' ? [o.fragment.bytes] : []));
    expect(out).toHaveLength(50);
    out.forEach((bytes, i) => expect(bytes).toBe(chunks[i + 1]));
  });

  it('reads 64-bit box sizes', () => {
    const free = Buffer.alloc(24);
    free.writeUInt32BE(1, 0);
    free.write('free', 4, 'latin1');
    free.writeBigUInt64BE(24n, 8);
    const { init, fragments } = expected();
    // The same moof with a 64-bit mdat header after it still makes a fragment.
    const { bytes } = fragments[0]!;
    const moofSize = bytes.readUInt32BE(0);
    const payload = bytes.subarray(moofSize + 8);
    const mdat64 = Buffer.alloc(16);
    mdat64.writeUInt32BE(1, 0);
    mdat64.write('mdat', 4, 'latin1');
    mdat64.writeBigUInt64BE(BigInt(16 + payload.length), 8);
    for (const sizes of [[1], [5, 11], [100000]]) {
      const out = segment(chunked(Buffer.concat([init, free, bytes.subarray(0, moofSize), mdat64, payload]), sizes));
      expect(out.map((o) => o.kind)).toEqual(['init', 'fragment']);
      const fragment = out[1]?.kind === 'fragment' ? out[1].fragment : null;
      expect(fragment?.keyframe).toBe(true);
      expect(fragment?.bytes.length).toBe(moofSize + 16 + payload.length);
    }
  });

  it('rejects a corrupt box header instead of buffering forever', () => {
    const bad = Buffer.from([0, 0, 0, 3, 0x6d, 0x6f, 0x6f, 0x66]);
    expect(() => segment([bad])).toThrow(/Corrupt MP4 box header: size 3/);
    const huge = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x6d, 0x64, 0x61, 0x74]);
    expect(() => segment([huge])).toThrow(/Corrupt MP4 box header/);
    // Also when the corrupt header follows a moof, where the segmenter looks for its mdat.
    const { init, fragments } = expected();
    const moof = fragments[0]!.bytes.subarray(0, fragments[0]!.bytes.readUInt32BE(0));
    expect(() => segment([init, moof, huge.subarray(0, 4), huge.subarray(4)])).toThrow(/Corrupt MP4 box header/);
  });
});

/** A minimal moof: mfhd + traf(tfhd, trun) with chosen flags. */
function moof(opts: { tfhdDefaultFlags?: number; firstSampleFlags?: number; perSampleFlags?: number[] }): Buffer {
  const box = (type: string, payload: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + payload.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, payload]);
  };
  const u32 = (...values: number[]) => {
    const b = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
    return b;
  };
  const tfhd = opts.tfhdDefaultFlags === undefined ? box('tfhd', u32(0, 1)) : box('tfhd', u32(0x20, 1, opts.tfhdDefaultFlags));
  let trun: Buffer;
  if (opts.firstSampleFlags !== undefined) trun = box('trun', u32(0x04, 2, opts.firstSampleFlags));
  else if (opts.perSampleFlags) trun = box('trun', u32(0x400, opts.perSampleFlags.length, ...opts.perSampleFlags));
  else trun = box('trun', u32(0, 3));
  return box('moof', Buffer.concat([box('mfhd', u32(0, 1)), box('traf', Buffer.concat([tfhd, trun]))]));
}

describe('keyframe detection in moof', () => {
  const SYNC = 0x02000000;
  const NON_SYNC = 0x01010000;
  it('uses trun first-sample-flags when present', () => {
    expect(parseMoof(moof({ firstSampleFlags: SYNC, tfhdDefaultFlags: NON_SYNC }), NON_SYNC)).toEqual({ keyframe: true, sampleCount: 2, decodeTime: 0 });
    expect(parseMoof(moof({ firstSampleFlags: NON_SYNC, tfhdDefaultFlags: SYNC }), SYNC).keyframe).toBe(false);
  });
  it('uses the first per-sample flags next', () => {
    expect(parseMoof(moof({ perSampleFlags: [SYNC, NON_SYNC, NON_SYNC] }), NON_SYNC)).toEqual({ keyframe: true, sampleCount: 3, decodeTime: 0 });
    expect(parseMoof(moof({ perSampleFlags: [NON_SYNC, SYNC] }), SYNC).keyframe).toBe(false);
  });
  it('falls back to tfhd, then trex defaults', () => {
    expect(parseMoof(moof({ tfhdDefaultFlags: NON_SYNC }), SYNC).keyframe).toBe(false);
    expect(parseMoof(moof({ tfhdDefaultFlags: SYNC }), NON_SYNC).keyframe).toBe(true);
    expect(parseMoof(moof({}), NON_SYNC)).toEqual({ keyframe: false, sampleCount: 3, decodeTime: 0 });
    expect(parseMoof(moof({}), SYNC).keyframe).toBe(true);
  });
});
