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
import { signedGet, type NodePeer } from './node-signature.js';

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

const FETCH_TIMEOUT_MS = 10_000;

export function siteFootage(deps: {
  coverage: CoverageTable;
  /** An admitted recorder as it is reached, or null if it is not up. */
  peerOf(recorderId: string): NodePeer | null;
  me: () => { nodeId: string; key: SigningKey };
  logger: Logger;
}): SiteFootage {
  /** The 200 response; else the status a recorder refused with, or null when none answered. */
  const request = async (recorderId: string, path: string): Promise<IncomingMessage | number | null> => {
    const peer = deps.peerOf(recorderId);
    if (!peer) return null;
    const res = await signedGet(peer, path, deps.me(), FETCH_TIMEOUT_MS).catch((error: Error) => {
      deps.logger.log('warn', 'site footage: a recorder cannot be reached', { recorderId, error: error.message });
      return null;
    });
    if (!res || res.statusCode === 200) return res;
    deps.logger.log('warn', 'site footage: a recorder refused', { recorderId, path, status: res.statusCode });
    res.resume();
    return res.statusCode ?? null;
  };
  const listOf = async (recorderId: string, cameraId: string, fromMs: number, toMs: number): Promise<RemoteSegment[]> => {
    const res = await request(recorderId, `/footage/${encodeURIComponent(cameraId)}?fromMs=${fromMs}&toMs=${toMs}`);
    if (res === null || typeof res === 'number') return [];
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const rows = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (!Array.isArray(rows)) return [];
    return rows.filter(isListedSegment).map((r) => ({ recorderId, id: r.id, startMs: r.startMs, endMs: r.endMs }));
  };
  return {
    ranges: (cameraId, fromMs, toMs) => deps.coverage.ranges(cameraId, fromMs, toMs),
    async segments(cameraId, fromMs, toMs) {
      const recorders = await deps.coverage.holders(cameraId, fromMs, toMs);
      const all = (await Promise.all(recorders.map((id) => listOf(id, cameraId, fromMs, toMs).catch(() => [])))).flat();
      all.sort((a, b) => a.startMs - b.startMs);
      // Two recorders that both recorded a stretch (one could not reach the directory): one copy plays.
      const kept: RemoteSegment[] = [];
      for (const s of all) if (!kept.length || s.startMs >= kept.at(-1)!.endMs - CONTIGUOUS_MS) kept.push(s);
      return kept;
    },
    async open(recorderId, segmentId) {
      const res = await request(recorderId, `/footage/segments/${segmentId}.ts`);
      return res === 404 ? 'gone' : typeof res === 'number' ? null : res;
    },
  };
}

/** A recorder's answer is validated like any input that crosses a process boundary. */
function isListedSegment(value: unknown): value is { id: number; startMs: number; endMs: number } {
  const v = value as { id?: unknown; startMs?: unknown; endMs?: unknown };
  return !!v && Number.isSafeInteger(v.id) && Number.isSafeInteger(v.startMs) && Number.isSafeInteger(v.endMs) && (v.endMs as number) > (v.startMs as number);
}
