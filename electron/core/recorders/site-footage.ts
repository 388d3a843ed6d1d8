/**
 * A workstation's recorded footage in a site: it has none of its own, so a playlist is made from
 * the segments of every recorder that holds some of the window (the directory's coverage says which),
 * and each segment is fetched from its recorder as the player asks for it. Requests carry a node
 * token signed for their path, as relays do. A recorder that cannot be reached leaves its part of the
 * window out (the player skips the hole), rather than failing the whole playback.
 */
import type { IncomingMessage } from 'node:http';
import type { SigningKey } from '../evidence/signing-key.js';
import type { Logger } from '../logger.js';
import { CONTIGUOUS_MS, type TimeRange } from '../recording/segment-index.js';
import type { CoverageTable } from './coverage.js';
import { readAtMost, signedGet, type NodePeer } from './node-signature.js';

/** One recorded segment as a recorder lists it, and which recorder has it. */
export interface RemoteSegment {
  recorderId: string;
  id: number;
  startMs: number;
  endMs: number;
}

export interface SiteFootage {
  /** The camera's footage across the site's recorders (the directory's coverage): the timeline's ranges. */
  ranges(cameraId: string, fromMs: number, toMs: number): Promise<TimeRange[]>;
  /** The camera's segments in [from, to) across the site's recorders, oldest first, overlaps dropped. */
  segments(cameraId: string, fromMs: number, toMs: number): Promise<RemoteSegment[]>;
  /**
   * One segment's bytes as its recorder sends them (a 200 response); 'gone' when the recorder has no
   * such segment (its retention deleted it meanwhile); null when it cannot be reached or refuses.
   */
  open(recorderId: string, segmentId: number): Promise<IncomingMessage | 'gone' | null>;
}

/**
 * How long a recorder may say nothing (idleMs); how long its list of a window may take, and its
 * answer for a segment to begin (deadlineMs); how large its list may be (a day of one camera's
 * segments is ~1.5 MB). A list past either is left out, as a recorder that cannot be reached is: one
 * that answers without end must not hold a playlist, nor fill the workstation's memory. Options only
 * so a test can show the deadline in seconds.
 */
export const FOOTAGE_LIMITS = { idleMs: 10_000, deadlineMs: 60_000, listBytes: 64 * 1024 * 1024 } as const;

export function siteFootage(
  deps: {
    coverage: Pick<CoverageTable, 'ranges' | 'holders'>;
    /** An admitted recorder as it is reached, or null if it is not up. */
    peerOf(recorderId: string): NodePeer | null;
    me: () => { nodeId: string; key: SigningKey };
    logger: Logger;
  },
  limits: { idleMs: number; deadlineMs: number; listBytes: number } = FOOTAGE_LIMITS,
): SiteFootage {
  /** The 200 response; else the status a recorder refused with, or null when none answered. */
  const request = async (recorderId: string, path: string, signal?: AbortSignal): Promise<IncomingMessage | number | null> => {
    const peer = deps.peerOf(recorderId);
    if (!peer) return null;
    const res = await signedGet(peer, path, deps.me(), limits.idleMs, signal).catch((error: Error) => {
      deps.logger.log('warn', 'site footage: a recorder cannot be reached', { recorderId, error: error.message });
      return null;
    });
    if (!res || res.statusCode === 200) return res;
    deps.logger.log('warn', 'site footage: a recorder refused', { recorderId, path, status: res.statusCode });
    res.destroy(); // its words are not read: drained, a refusal without end would hold the connection for ever
    return res.statusCode ?? null;
  };
  const listOf = async (recorderId: string, cameraId: string, fromMs: number, toMs: number): Promise<RemoteSegment[]> => {
    const res = await request(recorderId, `/footage/${encodeURIComponent(cameraId)}?fromMs=${fromMs}&toMs=${toMs}`, AbortSignal.timeout(limits.deadlineMs));
    if (res === null || typeof res === 'number') return [];
    const body = await readAtMost(res, limits.listBytes, () => new Error(`its list is larger than ${limits.listBytes} bytes`));
    return listedSegments(body).map((r) => ({ recorderId, ...r }));
  };
  const listOrNothing = (recorderId: string, cameraId: string, fromMs: number, toMs: number) =>
    listOf(recorderId, cameraId, fromMs, toMs).catch((error: Error) => {
      deps.logger.log('warn', 'site footage: a recorder’s list is left out', { recorderId, error: error.message });
      return [];
    });
  return {
    ranges: (cameraId, fromMs, toMs) => deps.coverage.ranges(cameraId, fromMs, toMs),
    async segments(cameraId, fromMs, toMs) {
      const recorders = await deps.coverage.holders(cameraId, fromMs, toMs);
      const all = (await Promise.all(recorders.map((id) => listOrNothing(id, cameraId, fromMs, toMs)))).flat();
      all.sort((a, b) => a.startMs - b.startMs);
      // Two recorders that both recorded a stretch (one could not reach the directory): one copy plays.
      const kept: RemoteSegment[] = [];
      for (const s of all) if (!kept.length || s.startMs >= kept.at(-1)!.endMs - CONTIGUOUS_MS) kept.push(s);
      return kept;
    },
    async open(recorderId, segmentId) {
      // Its answer must begin within the deadline (the idle limit alone lets a byte now and then hold a
      // player, or a timeline picture, for ever); its body then goes at the pace of whoever reads it.
      const begun = new AbortController();
      const timer = setTimeout(() => begun.abort(), limits.deadlineMs);
      const res = await request(recorderId, `/footage/segments/${segmentId}.ts`, begun.signal).finally(() => clearTimeout(timer));
      return res === 404 ? 'gone' : typeof res === 'number' ? null : res;
    },
  };
}

/** The shortest entry that can be a segment: `{"id":0,"startMs":0,"endMs":1}`. */
const MIN_ENTRY_BYTES = 31;
/** Far beyond any segment's entry (~60 bytes): a longer one is refused before it is parsed. */
const MAX_ENTRY_BYTES = 1024;
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The segments of a recorder's list (a JSON array), each entry parsed alone: parsed whole, `[{},{},…]`
 * under the size bound would become an object per three bytes (64 MiB, some 1.5 GB of heap and many
 * seconds of the main thread). An entry too short to be a segment is skipped unparsed; one too long,
 * or a list that is not an array, refuses the list.
 */
export function listedSegments(body: Buffer): Array<{ id: number; startMs: number; endMs: number }> {
  const rows: Array<{ id: number; startMs: number; endMs: number }> = [];
  const skip = (at: number) => {
    while (isSpace(body[at])) at++;
    return at;
  };
  let at = skip(0);
  if (body[at] !== 0x5b) throw new Error('its list is not a JSON array');
  at = skip(at + 1);
  let end = body[at] === 0x5d ? at : -1;
  while (end < 0) {
    const start = at;
    let depth = 0;
    let inString = false;
    for (; ; at++) {
      const b = body[at];
      if (b === undefined) throw new Error('its list is cut short');
      if (at - start > MAX_ENTRY_BYTES) throw new Error(`an entry of its list is longer than ${MAX_ENTRY_BYTES} bytes`);
      if (inString) {
        if (b === 0x5c) at++;
        else if (b === 0x22) inString = false;
      } else if (b === 0x22) inString = true;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if ((b === 0x7d || b === 0x5d) && depth > 0) depth--;
      else if (depth === 0 && (b === 0x2c || b === 0x5d)) break;
    }
    if (body[at] === 0x5d) end = at;
    const entry = body.subarray(start, at);
    if (entry.length >= MIN_ENTRY_BYTES) {
      const value = JSON.parse(entry.toString('utf8')) as unknown;
      if (isListedSegment(value)) rows.push({ id: value.id, startMs: value.startMs, endMs: value.endMs });
    }
    at = skip(at + 1);
  }
  if (skip(end + 1) !== body.length) throw new Error('its list has more after its end');
  return rows;
}

/** A recorder's answer is validated like any input that crosses a process boundary. */
function isListedSegment(value: unknown): value is { id: number; startMs: number; endMs: number } {
  const v = value as { id?: unknown; startMs?: unknown; endMs?: unknown };
  return !!v && Number.isSafeInteger(v.id) && Number.isSafeInteger(v.startMs) && Number.isSafeInteger(v.endMs) && (v.endMs as number) > (v.startMs as number);
}
