/**
 * ffmpeg command lines for the live relay. Copy is the default: the camera's own H.264 is remuxed into
 * fragmented MP4 at ~1 % of a core. Transcode re-encodes to H.264 for codecs browsers cannot decode.
 */
import type { StreamPath } from '../../../shared/events.js';
import type { RelaySource } from '../recorders/relay-upstream.js';

/** What ffmpeg opens: the camera's URL (credentials included) or a built-in test pattern. */
export type FfmpegSource = { kind: 'rtsp'; url: string } | { kind: 'demo'; pattern: number; label: string };
/**
 * What a camera stream runs from: ffmpeg's source, a recorder's relay (a site's workstation),
 * nothing until the operator acts (the camera's stored password cannot be read), or nothing yet
 * (no recorder serves the camera now: tried again as after a dropped stream).
 */
export type StreamSource = FfmpegSource | RelaySource | { kind: 'unusable'; reason: string } | { kind: 'absent'; reason: string };

/** The command line, and what the child reads on its stdin. */
export interface FfmpegCommand {
  args: string[];
  input: string;
}

/** One fragment per frame: a fragment per GOP would add a whole GOP of latency. */
const FMP4_OUTPUT = ['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_every_frame', 'pipe:1'];

const H264_ENCODE = ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-crf', '28', '-pix_fmt', 'yuv420p', '-g', '50', '-bf', '0'];

/** Where and how the recording output writes its MPEG-TS segments. */
export interface SegmentOutput {
  /** The recording run these segments belong to. */
  runId: string;
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

/** Quotes a value for an ffconcat script (av_get_token): inside '…' all is literal, so ' becomes '\''. */
function ffconcatQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The camera URL carries its password, and a command line (like an environment) is readable by every
 * local user through ps and /proc/<pid>/cmdline. ffmpeg 5.1 has no option-from-file syntax, so the
 * URL reaches it on its stdin, a pipe only the app's user can open: a one-entry ffconcat script
 * whose `option` lines (ffmpeg ≥ 5.0) are the RTSP demuxer's options. The concat demuxer passes the
 * camera's packets and timestamps through unchanged; measured against a password-protected camera
 * (basic and digest), the first fragment comes as fast as with the URL on the command line, and the
 * errors ffmpeg prints (401, refused, timeout) are the same. A loopback RTSP proxy adding the
 * Authorization header would also do, at the cost of a Node hop for every byte of video.
 * `-safe 0` lets the script name a URL; the protocol whitelist keeps it to network and pipe.
 */
function rtspInput(url: string, quickProbe: boolean): FfmpegCommand {
  const options: Array<[string, string]> = [
    ['rtsp_transport', 'tcp'],
    ['timeout', '5000000'],
    ...(quickProbe ? [['analyzeduration', '500000'] as [string, string]] : []),
  ];
  const script = ['ffconcat version 1.0', `file ${ffconcatQuote(url)}`, ...options.map(([k, v]) => `option ${k} ${v}`)];
  return { args: ['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'pipe,tcp,tls', '-i', 'pipe:0'], input: `${script.join('\n')}\n` };
}

/**
 * The recording is always the camera's own bytes (`-c copy`), also when the live view is transcoded.
 * A demo camera has no bytes of its own: its single H.264 encode feeds both outputs through tee.
 */
export function ffmpegCommand(source: FfmpegSource, path: StreamPath, options: FfmpegArgsOptions = { quickProbe: true }): FfmpegCommand {
  const common = ['-hide_banner', '-nostdin', '-loglevel', 'info', '-nostats'];
  const record = options.record ?? null;
  if (source.kind === 'demo') {
    const input = [...common, '-re', '-f', 'lavfi', '-i', demoFilter(source.pattern, source.label), ...H264_ENCODE, '-an'];
    if (!record) return { args: [...input, ...FMP4_OUTPUT], input: '' };
    // MP4 wants the parameter sets in its header (global_header); each TS segment needs them in-band
    // at its keyframes to stand alone (dump_extra).
    const live = `[f=mp4:movflags=empty_moov+default_base_moof+frag_every_frame]pipe\\:1`;
    const segments = `[f=segment:bsfs/v=dump_extra:${segmentMuxerOptions(record).map(([k, v]) => `${k}=${teeEscape(v)}`).join(':')}]${teeEscape(record.pattern)}`;
    return { args: [...input, '-flags:v', '+global_header', '-map', '0:v', '-f', 'tee', `${live}|${segments}`], input: '' };
  }
  const rtsp = rtspInput(source.url, options.quickProbe);
  const input = [...rtsp.args, '-map', '0:v:0', '-an'];
  const video = path === 'copy' ? ['-c:v', 'copy'] : [...H264_ENCODE, '-vf', "scale='min(1280,iw)':-2"];
  const recording = record
    ? ['-map', '0:v:0', '-c:v', 'copy', '-an', '-f', 'segment', ...segmentMuxerOptions(record).flatMap(([k, v]) => [`-${k}`, v]), record.pattern]
    : [];
  return { args: [...common, ...input, ...video, ...FMP4_OUTPUT, ...recording], input: rtsp.input };
}
