/**
 * A recorder's side of a site export (docs/design/site-exports.md §4): it vouches for its footage of
 * some cameras in a window with a signed custody answer (custody-answer.ts), and serves the run of its
 * ledger from each capture entry to the checkpoint that anchors it, so the exporting workstation
 * checks that the entries are in the chain its checkpoints (copied into the directory) fix.
 */
import { createHash } from 'node:crypto';
import { WatchroomError } from '../../../shared/errors.js';
import type { AuditEntry } from '../../../shared/api.js';
import { readLedgerLines, type AuditLedger } from '../audit/audit-ledger.js';
import { proveSegment } from '../audit/capture-proof.js';
import { readCheckpoints, type Checkpoint, type LedgerCheckpoints } from '../audit/ledger-checkpoints.js';
import { canonicalJson } from '../canonical-json.js';
import type { SigningKey } from '../evidence/signing-key.js';
import { sealMinutesOf } from '../recording/minute-batches.js';
import type { SegmentIndex } from '../recording/segment-index.js';
import { anchorFor, CUSTODY_FORMAT, type CustodyAnswer, type CustodySegment } from './custody-answer.js';

/** A chain run longer than this is refused: a checkpoint is taken at least every 1,000 entries. */
const MAX_RUN = 200_000;

export interface CustodyQuery {
  packageId: string;
  cameras: string[];
  fromMs: number;
  toMs: number;
  /** Who the workstation says it exports for (its word, recorded as such). */
  forPerson: string;
}

export interface CustodyDoorDeps {
  recorderId: string;
  index: SegmentIndex;
  ledger: AuditLedger;
  checkpoints: LedgerCheckpoints;
  key(): SigningKey;
  /** False for an entry written while Watchroom was stopped: it proves nothing. */
  trustedOffset(offset: number): boolean;
}

export interface CustodyDoor {
  /** The signed answer for `forNode`; throws export.footage-unproven naming a segment nothing proves. */
  answer(forNode: string, q: CustodyQuery): Promise<{ body: Buffer; signature: Buffer }>;
  /** The ledger's lines from entry `fromSeq` to entry `toSeq` (a checkpoint's), as they are on disk; throws on a run that cannot be one. */
  chain(fromSeq: number, toSeq: number): AsyncIterable<string>;
}

const withoutOffsets = (entries: readonly AuditEntry[]) => [...entries].sort((a, b) => a.seq - b.seq).map(({ offset: _offset, ...e }: AuditEntry & { offset?: number }) => e);

export function custodyDoor(deps: CustodyDoorDeps): CustodyDoor {
  const { index, ledger } = deps;
  const append: Parameters<typeof sealMinutesOf>[1] = (action, subject, details) => ledger.append('system', action, subject, details);
  const ownCheckpoints = () => readCheckpoints(deps.checkpoints.file).filter((c): c is Checkpoint => c !== null && c.key === deps.key().fingerprint);
  return {
    async answer(forNode, q) {
      const rows = () => q.cameras.flatMap((id) => index.segments(id, q.fromMs, q.toMs)).filter((s) => !s.missing);
      // A minute still open is sealed now, and checkpointed (and copied to the directory) with it.
      sealMinutesOf(index, append, rows());
      const segments: CustodySegment[] = [];
      const entries = new Map<number, AuditEntry>();
      for (const row of rows()) {
        const proven = proveSegment((offset) => ledger.readAt(offset), row, deps.trustedOffset);
        if (!proven) throw new WatchroomError('export.footage-unproven', `Recorded segment ${row.path} on recorder ${deps.recorderId} has no capture entry in its audit ledger that proves it, so nothing proves it unchanged since it was recorded. Nothing was exported.`);
        entries.set(proven.entry.seq, proven.entry);
        segments.push({ id: row.id, cameraId: row.cameraId, path: row.path, sha256: proven.sha256, startMs: row.startMs, endMs: row.endMs, bytes: row.bytes, runId: row.runId, captureSeq: proven.entry.seq, inclusion: proven.proof, ...(proven.sealedAfterRestart ? { sealedAfterRestart: true as const } : {}), ...(row.repaired ? { repaired: true as const } : {}), ...(row.clockOffsetMs !== null ? { clockOffsetMs: row.clockOffsetMs } : {}) });
      }
      // Its takeovers in the window say why a gap ends where this recorder's footage begins.
      const takeovers = index.takeovers(q.cameras, q.fromMs, q.toMs).filter(deps.trustedOffset).map((offset) => ledger.readAt(offset)).filter((e): e is AuditEntry => e?.action === 'recording.takeover');
      for (const t of takeovers) entries.set(t.seq, t);
      await deps.checkpoints.take();
      const all = ownCheckpoints();
      const anchors = new Map<number, Checkpoint>();
      for (const seq of entries.keys()) {
        const anchor = anchorFor(all, seq);
        if (!anchor) throw new WatchroomError('export.audit-unavailable', `Recorder ${deps.recorderId} has no checkpoint of its ledger after entry ${seq} yet; try again in a moment.`);
        anchors.set(anchor.seq, anchor);
      }
      const key = deps.key();
      const answer: CustodyAnswer = {
        format: CUSTODY_FORMAT,
        recorder: { id: deps.recorderId, fingerprint: key.fingerprint },
        packageId: q.packageId,
        forNode,
        forPerson: q.forPerson,
        cameras: q.cameras,
        fromMs: q.fromMs,
        toMs: q.toMs,
        answeredAtUtc: new Date().toISOString(),
        segments,
        captureEntries: withoutOffsets([...entries.values()].filter((e) => e.action !== 'recording.takeover')),
        takeovers: withoutOffsets(takeovers),
        anchors: [...anchors.values()].sort((a, b) => a.seq - b.seq),
      };
      const body = Buffer.from(canonicalJson(answer));
      const answerSha256 = createHash('sha256').update(body).digest('hex');
      ledger.append('system', 'evidence.custody-served', q.packageId, { packageId: q.packageId, forNode, forPerson: q.forPerson, cameras: q.cameras, fromMs: q.fromMs, toMs: q.toMs, segments: segments.length, answerSha256 });
      return { body, signature: key.sign(body) };
    },
    chain(fromSeq, toSeq) {
      if (!Number.isSafeInteger(fromSeq) || fromSeq < 1 || toSeq < fromSeq || toSeq - fromSeq > MAX_RUN) throw new WatchroomError('api.invalid-argument', `A run of the ledger goes forwards from entry 1 on, and is at most ${MAX_RUN} entries long.`);
      // Read from the last checkpoint before it: a known place in the file, at most 1,000 entries back.
      const start = ownCheckpoints().filter((c) => c.seq <= fromSeq).at(-1)?.offset ?? 0;
      return (async function* () {
        for await (const { text, entry } of readLedgerLines(ledger.file, start)) {
          if (!entry || entry.seq < fromSeq) continue;
          yield text;
          if (entry.seq >= toSeq) return;
        }
      })();
    },
  };
}
