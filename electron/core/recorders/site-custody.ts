/**
 * A workstation asking a recorder to vouch for its footage before exporting it (docs/design/
 * site-exports.md §4, the workstation's side): the recorder's signed custody answer is checked by
 * itself (custody-answer.ts), its anchors against the directory's copies of the recorder's
 * checkpoints (which the recorder's own disk cannot rewrite), and its capture entries against the
 * run of the recorder's chain up to each anchor. Whatever does not hold refuses the export.
 */
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { WatchroomError } from '../../../shared/errors.js';
import { checkChainRun } from '../audit/chain-run.js';
import type { CheckpointAnchor } from '../audit/ledger-checkpoints.js';
import type { SigningKey } from '../evidence/signing-key.js';
import { checkCustodyAnswer, type CheckedCustody, type CustodyQuestion } from './custody-answer.js';
import { signedGet } from './node-signature.js';

export const CUSTODY_SIGNATURE_HEADER = 'x-watchroom-signature';
const FETCH_TIMEOUT_MS = 30_000;
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

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
  fetch(question: CustodyQuestion & { forPerson: string }): Promise<FetchedCustody>;
}

const unreachable = (recorderId: string, why: string) =>
  new WatchroomError('export.recorder-unreachable', `Recorder ${recorderId} holds footage of this export but cannot give it now (${why}). Nothing was exported; try again when it is back.`);
const invalid = (recorderId: string, why: string) => new WatchroomError('export.recorder-custody-invalid', `Recorder ${recorderId} answered for its footage with something that does not hold: ${why}. Nothing was exported.`);

/** The recorder's refusal in its own words when it gave a code this side knows (footage unproven, ledger busy). */
function refusalOf(recorderId: string, status: number, text: string): WatchroomError {
  const m = /^(export\.footage-unproven|export\.audit-unavailable): (.*)$/s.exec(text);
  return m ? new WatchroomError(m[1] as 'export.footage-unproven', m[2]!.slice(0, 1000)) : unreachable(recorderId, `it answered ${status}`);
}

export function siteCustody(deps: SiteCustodyDeps): SiteCustody {
  const request = (recorderId: string, url: string, path: string) => signedGet(url, path, deps.me(), recorderId, FETCH_TIMEOUT_MS).catch((error: Error) => Promise.reject(unreachable(recorderId, error.message)));
  const body = async (res: IncomingMessage, recorderId: string) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of res) {
      bytes += (chunk as Buffer).length;
      if (bytes > MAX_ANSWER_BYTES) throw invalid(recorderId, 'it is larger than any answer could be');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };
  return {
    async fetch(q) {
      const recorder = deps.recorder(q.recorderId);
      if (!recorder) throw unreachable(q.recorderId, 'it is not up, or not admitted into the site');
      const path = `/custody?packageId=${q.packageId}&cameras=${q.cameras.map(encodeURIComponent).join(',')}&fromMs=${q.fromMs}&toMs=${q.toMs}&for=${encodeURIComponent(q.forPerson)}`;
      const res = await request(q.recorderId, recorder.url, path);
      const bytes = await body(res, q.recorderId);
      if (res.statusCode !== 200) throw refusalOf(q.recorderId, res.statusCode ?? 0, bytes.toString('utf8'));
      const signature = Buffer.from(String(res.headers[CUSTODY_SIGNATURE_HEADER] ?? ''), 'base64');
      const checked = checkCustodyAnswer(bytes, signature, recorder.publicKeyPem, q);
      await checkAnchors(deps, q.recorderId, checked);
      const chainRuns = await checkChains(q.recorderId, checked, (from, to) => request(q.recorderId, recorder.url, `/custody/chain?fromSeq=${from}&toSeq=${to}`));
      return { ...checked, body: bytes, signature, publicKeyPem: recorder.publicKeyPem, chainRuns };
    },
  };
}

/** Every anchor is a checkpoint the directory holds a copy of, as it was copied. */
async function checkAnchors(deps: SiteCustodyDeps, recorderId: string, { anchorOf }: CheckedCustody): Promise<void> {
  const copies = new Map((await deps.checkpointsOf(recorderId).all()).filter((c) => c !== null).map((c) => [c.seq, c]));
  for (const anchor of new Set(anchorOf.values())) {
    const copy = copies.get(anchor.seq);
    if (!copy) throw invalid(recorderId, `its checkpoint of entry ${anchor.seq} is not in the directory`);
    if (copy.hash !== anchor.hash || copy.offset !== anchor.offset || copy.signature !== anchor.signature) throw invalid(recorderId, `its checkpoint of entry ${anchor.seq} is not the one the directory holds`);
  }
}

/** For each anchor, one run of the recorder's chain from the earliest capture entry it anchors. */
async function checkChains(recorderId: string, { answer, anchorOf }: CheckedCustody, open: (fromSeq: number, toSeq: number) => Promise<IncomingMessage>): Promise<FetchedCustody['chainRuns']> {
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
      res.resume();
      throw invalid(recorderId, `it would not show its ledger from entry ${from} to ${anchorSeq} (${res.statusCode})`);
    }
    const wrong = await checkChainRun(createInterface({ input: res, crlfDelay: Infinity }), entries, anchor);
    res.destroy();
    if (wrong) throw invalid(recorderId, `its ledger does not hold what it answered: ${wrong}`);
    runs.push({ fromSeq: from, toSeq: anchorSeq });
  }
  return runs;
}
