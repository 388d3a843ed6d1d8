/**
 * A workstation asking a recorder to vouch for its footage before exporting it (docs/design/
 * site-exports.md §4, the workstation's side): the recorder's signed custody answer is checked by
 * itself (custody-answer.ts), its anchors against the directory's copies of the recorder's
 * checkpoints (which the recorder's own disk cannot rewrite), and its capture entries against the
 * run of the recorder's chain up to each anchor. Whatever does not hold refuses the export.
 */
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { printable } from '../printable.js';
import { WatchroomError } from '../../../shared/errors.js';
import { checkChainRun } from '../audit/chain-run.js';
import type { Checkpoint, CheckpointAnchor } from '../audit/ledger-checkpoints.js';
import type { SigningKey } from '../evidence/signing-key.js';
import { checkCustodyAnswer, type CheckedCustody, type CustodyQuestion } from './custody-answer.js';
import { readAtMost, signedGet, type NodePeer } from './node-signature.js';

export const CUSTODY_SIGNATURE_HEADER = 'x-watchroom-signature';
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/**
 * How long a recorder may say nothing (idleMs), and how long the whole of its answer and ledger runs
 * may take (deadlineMs: a day's span of a busy recorder is a few MB). Options only so a test can show
 * the deadline without waiting five minutes.
 */
export const CUSTODY_LIMITS = { idleMs: 30_000, deadlineMs: 5 * 60_000 } as const;
const spanOf = (ms: number) => (ms >= 60_000 ? `${ms / 60_000} minutes` : `${ms / 1_000} s`);
/** Far beyond any ledger line (a few kB): a longer one is refused before it is held in memory. */
const MAX_LINE_BYTES = 1024 * 1024;

export interface SiteCustodyDeps {
  /** An admitted recorder's address and public key (null: not up, or not admitted). */
  recorder(recorderId: string): { url: string; publicKeyPem: string } | null;
  me(): { nodeId: string; key: SigningKey };
  /** The directory's copies of a process's checkpoints. */
  checkpointsOf(nodeId: string): CheckpointAnchor;
}

/** A checked answer, with the bytes and signature the package carries. */
export interface FetchedCustody extends CheckedCustody {
  body: Buffer;
  signature: Buffer;
  publicKeyPem: string;
  /** The runs of the recorder's chain checked, each from a capture entry to the checkpoint anchoring it. */
  chainRuns: Array<{ fromSeq: number; toSeq: number }>;
}

export interface SiteCustody {
  /** `signal`: the export's; cancelling it ends the question at once. */
  fetch(question: CustodyQuestion & { forPerson: string }, signal?: AbortSignal): Promise<FetchedCustody>;
}

export const unreachable = (recorderId: string, why: string) =>
  new WatchroomError('export.recorder-unreachable', `Recorder ${recorderId} holds footage of this export but cannot give it now (${why}). Nothing was exported; try again when it is back.`);
export const invalid = (recorderId: string, why: string) => new WatchroomError('export.recorder-custody-invalid', `Recorder ${recorderId} answered for its footage with something that does not hold: ${why}. Nothing was exported.`);

const REFUSAL_CHARS = 500;

/**
 * The recorder's refusal when it gave a code this side knows (footage unproven, ledger busy, no room
 * or no place for a withheld master): its
 * words quoted as its own, shortened, control characters shown as escapes. Shown bare, a stand-in at
 * its address could speak in the workstation's voice (or repaint the line on a terminal).
 */
export function refusalOf(recorderId: string, status: number, text: string): WatchroomError {
  const m = /^(export\.footage-unproven|export\.audit-unavailable|export\.disk-full|evidence\.master-refused|evidence\.master-exists): (.*)$/s.exec(text);
  if (!m) return unreachable(recorderId, `it answered ${status}`);
  const said = m[2]!.length > REFUSAL_CHARS ? `${m[2]!.slice(0, REFUSAL_CHARS)}…` : m[2]!;
  return new WatchroomError(m[1] as 'export.footage-unproven', `Recorder ${recorderId} refused: “${printable(said)}” Nothing was exported.`);
}

/**
 * A recorder's answer that broke off while it was read (cut, or silent past the idle limit) is that
 * recorder unreachable, named: not Node's bare "aborted". A cancel or the deadline is told by fetch().
 */
const brokenOff = <T>(reading: Promise<T>, recorderId: string, signal: AbortSignal): Promise<T> =>
  reading.catch((error: Error) => Promise.reject(signal.aborted || error instanceof WatchroomError ? error : unreachable(recorderId, `its answer broke off: ${error.message}`)));

export function siteCustody(deps: SiteCustodyDeps, limits: { idleMs: number; deadlineMs: number } = CUSTODY_LIMITS): SiteCustody {
  const request = (to: NodePeer, path: string, signal: AbortSignal) =>
    signedGet(to, path, deps.me(), limits.idleMs, signal).catch((error: Error) => Promise.reject(signal.aborted ? error : unreachable(to.nodeId, error.message)));
  const fetchChecked = async (q: CustodyQuestion & { forPerson: string }, signal: AbortSignal): Promise<FetchedCustody> => {
    const recorder = deps.recorder(q.recorderId);
    if (!recorder) throw unreachable(q.recorderId, 'it is not up, or not admitted into the site');
    const path = `/custody?packageId=${q.packageId}&cameras=${q.cameras.map(encodeURIComponent).join(',')}&fromMs=${q.fromMs}&toMs=${q.toMs}&for=${encodeURIComponent(q.forPerson)}`;
    const peer = { nodeId: q.recorderId, ...recorder };
    const res = await request(peer, path, signal);
    const bytes = await brokenOff(readAtMost(res, MAX_ANSWER_BYTES, () => invalid(q.recorderId, 'it is larger than any answer could be')), q.recorderId, signal);
    if (res.statusCode !== 200) throw refusalOf(q.recorderId, res.statusCode ?? 0, bytes.toString('utf8'));
    const signature = Buffer.from(String(res.headers[CUSTODY_SIGNATURE_HEADER] ?? ''), 'base64');
    const checked = checkCustodyAnswer(bytes, signature, recorder.publicKeyPem, q);
    const { copies, why } = await holdToDirectory(deps.checkpointsOf(q.recorderId), checked);
    if (why) throw invalid(q.recorderId, why);
    const fixed = new Map(copies.map((c) => [c.seq, c.hash]));
    const chainRuns = await brokenOff(checkChains(q.recorderId, checked, fixed, (from, to) => request(peer, `/custody/chain?fromSeq=${from}&toSeq=${to}`, signal)), q.recorderId, signal);
    return { ...checked, body: bytes, signature, publicKeyPem: recorder.publicKeyPem, chainRuns };
  };
  return {
    // Idle timeouts alone would let a recorder that sends a byte now and then hold an export for ever.
    async fetch(q, signal) {
      const deadline = AbortSignal.timeout(limits.deadlineMs);
      try {
        return await fetchChecked(q, signal ? AbortSignal.any([signal, deadline]) : deadline);
      } catch (error) {
        if (deadline.aborted && !signal?.aborted) throw unreachable(q.recorderId, `it did not give its answer and its ledger within ${spanOf(limits.deadlineMs)}`);
        throw error;
      }
    },
  };
}

/**
 * Holds an answer to the directory's copies of the recorder's checkpoints, read from the last before
 * its first entry to its last anchor: every anchor is a copy the directory holds, as it was copied;
 * and no entry was written while the recorder was stopped (after a shutdown checkpoint the directory
 * holds and before the next: its start checkpoints at once), whatever its own disk now says. Answers
 * the copies read, and why they do not hold the answer (null: they do). Used by an export and, on a
 * site, by the verification of a package the site's recorders vouched for.
 */
export async function holdToDirectory(directory: CheckpointAnchor, { answer, anchorOf }: CheckedCustody): Promise<{ copies: Checkpoint[]; why: string | null }> {
  const entries = [...answer.captureEntries, ...answer.takeovers];
  if (!entries.length) return { copies: [], why: null };
  const seqs = entries.map((e) => e.seq);
  const bySeq = (await directory.around(Math.min(...seqs), Math.max(...[...anchorOf.values()].map((a) => a.seq), ...seqs))).filter((c) => c !== null);
  const copies = new Map(bySeq.map((c) => [c.seq, c]));
  const why = (): string | null => {
    for (const entry of entries) {
      if (bySeq.filter((c) => c.seq < entry.seq).at(-1)?.shutdown) return `its entry ${entry.seq} follows its shutdown checkpoint: it was written while the recorder was stopped`;
    }
    for (const anchor of new Set(anchorOf.values())) {
      const copy = copies.get(anchor.seq);
      if (!copy) return `its checkpoint of entry ${anchor.seq} is not in the directory`;
      if (copy.hash !== anchor.hash || copy.offset !== anchor.offset || copy.signature !== anchor.signature) return `its checkpoint of entry ${anchor.seq} is not the one the directory holds`;
    }
    return null;
  };
  return { copies: bySeq, why: why() };
}

/** For each anchor, one run of the recorder's chain from the earliest capture entry it anchors. */
async function checkChains(recorderId: string, { answer, anchorOf }: CheckedCustody, fixed: ReadonlyMap<number, string>, open: (fromSeq: number, toSeq: number) => Promise<IncomingMessage>): Promise<FetchedCustody['chainRuns']> {
  const runs: FetchedCustody['chainRuns'] = [];
  const byAnchor = new Map<number, typeof answer.captureEntries>();
  for (const entry of [...answer.captureEntries, ...answer.takeovers]) {
    const anchor = anchorOf.get(entry.seq)!;
    byAnchor.set(anchor.seq, [...(byAnchor.get(anchor.seq) ?? []), entry]);
  }
  for (const [anchorSeq, entries] of byAnchor) {
    const anchor = [...anchorOf.values()].find((a) => a.seq === anchorSeq)!;
    const from = Math.min(...entries.map((e) => e.seq));
    const res = await open(from, anchorSeq);
    if (res.statusCode !== 200) {
      res.destroy(); // not drained: a refusal without end would hold the connection
      throw invalid(recorderId, `it would not show its ledger from entry ${from} to ${anchorSeq} (${res.statusCode})`);
    }
    const wrong = await checkChainRun(linesOf(res, recorderId), entries, anchor, fixed);
    res.destroy();
    if (wrong) throw invalid(recorderId, `its ledger does not hold what it answered: ${wrong}`);
    runs.push({ fromSeq: from, toSeq: anchorSeq });
  }
  return runs;
}

/** The response's lines as they come; a line longer than any ledger line is refused before it is held whole. */
async function* linesOf(res: IncomingMessage, recorderId: string): AsyncGenerator<string> {
  const text = new StringDecoder('utf8'); // a character split between two chunks stays whole
  let pending = '';
  for await (const chunk of res) {
    const lines = (pending + text.write(chunk as Buffer)).split('\n');
    pending = lines.pop()!;
    if (pending.length > MAX_LINE_BYTES) throw invalid(recorderId, 'a line of its ledger is longer than any entry could be');
    yield* lines;
  }
  if (pending) yield pending;
}
