/**
 * ffmpeg command lines for the live relay. Copy is the default: the camera's own H.264 is remuxed into
 * fragmented MP4 at ~1 % of a core. Transcode re-encodes to H.264 for codecs browsers cannot decode.
 */
import type { StreamPath } from '../../../shared/events.js';

export type StreamSource = { kind: 'rtsp'; url: string } | { kind: 'demo'; pattern: number; label: string };

/** One fragment per frame: a fragment per GOP would add a whole GOP of latency. */
const FMP4_OUTPUT = ['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_every_frame', 'pipe:1'];

const H264_ENCODE = ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-crf', '28', '-pix_fmt', 'yuv420p', '-g', '50', '-bf', '0'];

/** Where and how the recording output writes its MPEG-TS segments. */
export interface SegmentOutput {
  listFile: string;
  /** File name pattern with %05d for the segment number. */
  pattern: string;
  seconds: number;
}

function segmentMuxerOptions(out: SegmentOutput): Array<[string, string]> {
  return [
    ['segment_time', String(out.seconds)],
    ['segment_format', 'mpegts'],
    ['segment_list', out.listFile],
    ['segment_list_type', 'csv'],
    ['reset_timestamps', '0'],
    // Write each packet through at once: a killed ffmpeg then leaves the segment in progress on disk
    // (without it, the whole segment sits in a buffer until it closes).
    ['segment_format_options', 'flush_packets=1'],
  ];
}

const DEMO_PATTERNS = ['testsrc2', 'smptehdbars', 'rgbtestsrc', 'testsrc'] as const;

/** drawtext needs filter-graph escaping; a quote cannot be escaped inside its quoted text, so it becomes ’. */
function escapeDrawtext(text: string): string {
  return text.replace(/'/g, '’').replace(/[\\:%,;[\]=]/g, (c) => `\\${c}`);
}

export function demoFilter(pattern: number, label: string): string {
  const src = DEMO_PATTERNS[pattern % DEMO_PATTERNS.length];
  const font = 'fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6';
  return (
    `${src}=size=640x360:rate=25,` +
    `drawtext=text='%{localtime\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}':x=16:y=16:fontsize=24:${font},` +
    `drawtext=text='${escapeDrawtext(label)}':x=16:y=h-th-16:fontsize=20:${font}`
  );
}

/** Escapes a value for the tee muxer's `[key=value]target` syntax. */
function teeEscape(value: string): string {
  return value.replace(/[\\:|[\]=]/g, (c) => `\\${c}`);
}

export interface FfmpegArgsOptions {
  /**
   * Analyse 0.5 s of input instead of ffmpeg's default: ~0.5 s off a cold start when the camera's SDP
   * carries its parameters. The caller drops it for a camera where it fails.
   */
  quickProbe: boolean;
  /** Also record, to MPEG-TS segments. */
  record?: SegmentOutput | null;
}

/**
 * The recording is always the camera's own bytes (`-c copy`), also when the live view is transcoded.
 * A demo camera has no bytes of its own: its single H.264 encode feeds both outputs through tee.
 */
export function ffmpegArgs(source: StreamSource, path: StreamPath, options: FfmpegArgsOptions = { quickProbe: true }): string[] {
  const common = ['-hide_banner', '-nostdin', '-loglevel', 'info', '-nostats'];
  const record = options.record ?? null;
  if (source.kind === 'demo') {
    const input = [...common, '-re', '-f', 'lavfi', '-i', demoFilter(source.pattern, source.label), ...H264_ENCODE, '-an'];
    if (!record) return [...input, ...FMP4_OUTPUT];
    // MP4 wants the parameter sets in its header (global_header); each TS segment needs them in-band
    // at its keyframes to stand alone (dump_extra).
    const live = `[f=mp4:movflags=empty_moov+default_base_moof+frag_every_frame]pipe\\:1`;
    const segments = `[f=segment:bsfs/v=dump_extra:${segmentMuxerOptions(record).map(([k, v]) => `${k}=${teeEscape(v)}`).join(':')}]${teeEscape(record.pattern)}`;
    return [...input, '-flags:v', '+global_header', '-map', '0:v', '-f', 'tee', `${live}|${segments}`];
  }
  const probe = options.quickProbe ? ['-analyzeduration', '500000'] : [];
  const input = ['-rtsp_transport', 'tcp', '-timeout', '5000000', ...probe, '-i', source.url, '-map', '0:v:0', '-an'];
  const video = path === 'copy' ? ['-c:v', 'copy'] : [...H264_ENCODE, '-vf', "scale='min(1280,iw)':-2"];
  const recording = record
    ? ['-map', '0:v:0', '-c:v', 'copy', '-an', '-f', 'segment', ...segmentMuxerOptions(record).flatMap(([k, v]) => [`-${k}`, v]), record.pattern]
    : [];
  return [...common, ...input, ...video, ...FMP4_OUTPUT, ...recording];
}
