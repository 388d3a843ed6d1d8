/**
 * The cost of a durable ledger: each append writes the whole entry and fdatasyncs it before the action
 * is confirmed. Measures appends of a typical segment.closed entry, alternating rounds against the
 * same lines written without a sync, on the data folder's disk. Prints JSON.
 *
 *   npm run bench:ledger-append [-- --entries 2000 --rounds 3 --dir /path/on/the/disk]
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLedger } from '../electron/core/audit/audit-ledger.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' }, dir: { type: 'string', default: '.' } } });
const entries = Number(values.entries);
const rounds = Number(values.rounds);
const details = (i: number) => ({ path: `cam-0001/2026-12-01/${1796130000000 + i * 4000}-${1796130004000 + i * 4000}.ts`, sha256: 'f'.repeat(64), startMs: 1796130000000 + i * 4000, endMs: 1796130004000 + i * 4000, bytes: 1_900_000 });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const synced: number[] = [];
const unsynced: number[] = [];
let lineBytes = 0;
for (let r = 0; r < rounds; r++) {
  const dir = mkdtempSync(join(values.dir, 'watchroom-ledger-bench-'));
  const ledger = new AuditLedger(join(dir, 'audit.jsonl'));
  let t = performance.now();
  for (let i = 0; i < entries; i++) ledger.append('system', 'segment.closed', 'cam-0001', details(i));
  synced.push((performance.now() - t) / entries);
  ledger.close();
  const line = `${JSON.stringify(ledger.list(1)[0])}\n`;
  lineBytes = Buffer.byteLength(line);
  t = performance.now();
  for (let i = 0; i < entries; i++) appendFileSync(join(dir, 'plain.jsonl'), line);
  unsynced.push((performance.now() - t) / entries);
  rmSync(dir, { recursive: true, force: true });
}
const us = (ms: number) => Math.round(ms * 1000);
process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'ledger-append',
      disk: values.dir,
      entries,
      rounds,
      entryBytes: lineBytes,
      durable: { usPerEntry: us(median(synced)), entriesPerSecond: Math.round(1000 / median(synced)) },
      appendWithoutSync: { usPerEntry: us(median(unsynced)), entriesPerSecond: Math.round(1000 / median(unsynced)) },
      note: 'Ledgers before minute batches took one segment.closed a segment (16 cameras with 4 s segments: 4 entries a second); now one recording.minute per camera and minute (16 cameras: 0.27 a second), see bench:capture-ledger.',
    },
    null,
    2,
  )}\n`,
);
