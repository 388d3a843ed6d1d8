/**
 * What feeds a camera stream's run: ffmpeg pulling the camera (a single machine, a recorder), or a
 * recorder's relay (a site's workstation). Both hand over the same fragmented-MP4 byte stream and
 * end with a reason, so the supervisor, the fan-out and the tiles treat them alike.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { StreamPath } from '../../../shared/events.js';
import { spawnSupervised, terminate } from './child-processes.js';
import { ffmpegCommand, type FfmpegSource, type SegmentOutput } from './ffmpeg-args.js';
import { parseInputVideoCodec, type Failure } from './ffmpeg-stderr.js';
import { openRelay, type RelaySource } from '../recorders/relay-upstream.js';

export interface UpstreamExit {
  code: number | null;
  signal: string | null;
  /** ffmpeg's last stderr lines (or the relay's one sentence). */
  stderr: string[];
  /** Why, when the upstream knows it better than the stderr rules can tell. */
  failure?: Failure;
}

export interface UpstreamEvents {
  data(chunk: Buffer): void;
  /** The camera's own codec, as ffmpeg read it (ffmpeg only). */
  codec(codec: string): void;
  /** Called once, when the upstream has ended by itself or was killed. */
  ended(exit: UpstreamExit): void;
}

export interface Upstream {
  /** What the log says it is (ffmpeg's pid, the recorder's name). */
  readonly label: Record<string, unknown>;
  /** Ends it now; `ended` follows. */
  kill(): void;
  /** Ends it letting it close its files, and waits until it has. */
  terminate(): Promise<void>;
}

const STDERR_TAIL = 40;

export function startFfmpeg(ffmpegPath: string, source: FfmpegSource, path: StreamPath, options: { quickProbe: boolean; record: SegmentOutput | null }, on: UpstreamEvents): Upstream {
  const { args, input } = ffmpegCommand(source, path, options);
  const child: ChildProcessWithoutNullStreams = spawnSupervised(ffmpegPath, args, input);
  const stderrTail: string[] = [];
  let stderrRest = '';
  child.stdout.on('data', on.data);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    const lines = (stderrRest + text).split(/\r?\n|\r/);
    stderrRest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
      const codec = source.kind === 'rtsp' ? parseInputVideoCodec(line) : null;
      if (codec) on.codec(codec);
    }
  });
  child.once('error', (error) => {
    stderrTail.push(String(error));
  });
  // 'close', not 'exit': on a busy machine the exit can be seen before ffmpeg's last stderr lines
  // (the ones that say why) are read, and the failure would pass for a dropped stream.
  child.once('close', (code, signal) => {
    if (stderrRest.trim()) stderrTail.push(stderrRest);
    on.ended({ code, signal, stderr: stderrTail });
  });
  return {
    label: { pid: child.pid },
    kill: () => void child.kill('SIGKILL'),
    terminate: () => terminate(child),
  };
}

export function startRelay(source: RelaySource, on: UpstreamEvents): Upstream {
  let ended = false;
  const finish = (exit: UpstreamExit) => {
    if (ended) return;
    ended = true;
    on.ended(exit);
  };
  const relay = openRelay(source.target, source.me, {
    data: on.data,
    closed: (reason) => finish({ code: null, signal: null, stderr: [reason], failure: { kind: 'dropped', reason } }),
  });
  const end = () => {
    relay.close();
    finish({ code: null, signal: null, stderr: ['The relay was closed.'] });
  };
  return {
    label: { recorder: source.target.recorderName },
    kill: end,
    terminate: async () => end(),
  };
}
