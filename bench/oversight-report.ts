/**
 * How long a month's oversight report takes over a busy ledger: a real hash-chained ledger of
 * `--entries` lines spread over October 2026 (mostly segment captures, with live views, playback
 * sessions, disclosures, deletions, failed sign-ins and configuration changes among them) and a
 * signed checkpoint after it; times the report data, the PDF, and watchroom-verify's check (chain
 * up to the checkpoint and the recomputation), and the longest the thread was kept busy at a stretch
 * while the report and its PDF were made. Prints JSON; never fails on the figures.
 *
 *   npm run bench:oversight-report [-- --entries 200000]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { entryHash, GENESIS_HASH, readLedgerLines } from '../electron/core/audit/audit-ledger.js';
import { CHECKPOINTS_FILE, checkpointBody } from '../electron/core/audit/ledger-checkpoints.js';
import { loadOrCreateSigningKey } from '../electron/core/evidence/signing-key.js';
import { oversightReport } from '../electron/core/oversight/oversight-report.js';
import { checkReport } from '../electron/core/oversight/report-check.js';
import { writeReportFolder } from '../electron/core/oversight/report-folder.js';
import { renderReportPdf } from '../electron/core/oversight/report-pdf.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '200000' } } });
const total = Number(values.entries);
const MONTH_MS = 31 * 86_400_000;

/** One entry of each kind every 100 entries; the rest are segment captures. */
function detailsFor(seq: number): { actor: string; role?: string; action: string; subject: string; details: Record<string, unknown> } {
  const cam = `cam-${seq % 16}`;
  const who = { actor: `op-${seq % 7}`, role: 'operator' };
  switch (seq % 100) {
    case 1: return { ...who, action: 'stream.open', subject: cam, details: { name: `Camera ${cam}`, stream: 'main' } };
    case 2: return { ...who, action: 'stream.close', subject: cam, details: { name: `Camera ${cam}`, stream: 'main', seconds: 300 } };
    case 3: return { ...who, action: 'playback.open', subject: `v-${seq}`, details: { reason: 'Incident review', caseReference: `CR-${seq}` } };
    case 4: return { ...who, action: 'playback.close', subject: `v-${seq - 1}`, details: { seconds: 120, why: 'closed' } };
    case 5: return { actor: 'system', action: 'segment.deleted', subject: cam, details: { path: `${cam}/${seq}.ts`, sha256: 'c'.repeat(64), bytes: 2_000_000, reason: 'age' } };
    case 6: return { actor: 'system', action: 'auth.sign-in-failed', subject: `op-${seq % 7}`, details: { why: 'wrong-password' } };
    case 7: return { actor: 'root', role: 'admin', action: 'camera.edit', subject: cam, details: { name: `Camera ${cam}` } };
    case 8: return { actor: 'ivy', role: 'investigator', action: 'evidence.export', subject: `CASE-${seq}`, details: { packageId: `p-${seq}`, caseReference: `CASE-${seq}`, reason: 'r', recipient: { person: 'DC Shah', organisation: `Force ${seq % 5}` }, cameras: [cam], disclosure: { requestId: `r-${seq}`, legalBasis: { basis: 'court', text: '' } } } };
    default: return { actor: 'system', action: 'segment.closed', subject: cam, details: { path: `${cam}/${seq}.ts`, sha256: 'a'.repeat(64), bytes: 2_000_000 } };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'watchroom-bench-oversight-'));
try {
  const lines: string[] = [];
  let prev = GENESIS_HASH;
  let offset = 0;
  let lastOffset = 0;
  for (let seq = 1; seq <= total; seq++) {
    const body = { seq, at: new Date(Date.UTC(2026, 9, 1) + Math.floor((seq / (total + 1)) * MONTH_MS)).toISOString(), ...detailsFor(seq), prev };
    const entry = { ...body, hash: entryHash(body as never) };
    const line = JSON.stringify(entry);
    lines.push(line);
    lastOffset = offset;
    offset += Buffer.byteLength(line) + 1;
    prev = entry.hash;
  }
  writeFileSync(join(dir, 'audit.jsonl'), `${lines.join('\n')}\n`);
  const key = loadOrCreateSigningKey(join(dir, 'keys'));
  const unsigned = { seq: total, hash: prev, offset: lastOffset, at: '2026-11-01T00:05:00.000Z', key: key.fingerprint };
  const checkpoint = { ...unsigned, signature: key.sign(checkpointBody(unsigned)).toString('base64') };
  writeFileSync(join(dir, CHECKPOINTS_FILE), `${JSON.stringify(checkpoint)}\n`);

  const runs: Array<{ reportMs: number; pdfMs: number; pdfBytes: number; longestStallMs: number; verifyMs: number; verified: boolean }> = [];
  for (let run = 0; run < 3; run++) {
    // The core relays live video on this thread: how long it is kept from doing so at a stretch.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const t0 = performance.now();
    const report = await oversightReport(readLedgerLines(join(dir, 'audit.jsonl')), '2026-10', checkpoint);
    const t1 = performance.now();
    const pdf = await renderReportPdf(report, { signer: key.fingerprint, generatedAtUtc: new Date().toISOString() });
    const t2 = performance.now();
    stalls.disable();
    const written = writeReportFolder(dir, { report, pdf, key, atMs: Date.now() });
    const t3 = performance.now();
    const check = await checkReport(written.folder, { dataDir: dir, publicKeyPem: key.publicKeyPem });
    const t4 = performance.now();
    runs.push({ reportMs: Math.round(t1 - t0), pdfMs: Math.round(t2 - t1), pdfBytes: pdf.length, longestStallMs: Math.round(stalls.max / 1e6), verifyMs: Math.round(t4 - t3), verified: check.ok });
  }
  console.log(JSON.stringify({ entries: total, ledgerBytes: statSync(join(dir, 'audit.jsonl')).size, runs }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
