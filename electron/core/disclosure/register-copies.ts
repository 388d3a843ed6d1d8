/**
 * A site's disclosure register reads every workstation's ledger: a request asked on one desk, approved
 * on another and built on the first has its entries in two ledgers. Each process copies the ledger
 * entries the register reads into the directory, line for line as its ledger holds them, in a table
 * that takes inserts only; every workstation builds the register from those copies. A copy carries
 * its entry's own hash, so one edited in the directory says so in the register; one edited with its
 * hash made again is found by the process whose ledger holds the entry, which holds its copies to its
 * ledger at each start and every hour, and says so in a `disclosure.copy-differs` entry (copied too,
 * so every register names it).
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../../shared/api.js';
import { entryHash, parseEntry, readLedgerLines, type AuditLedger } from '../audit/audit-ledger.js';
import { appendOnlySql } from '../directory/append-only.js';
import type { Db } from '../directory/postgres-directory.js';
import { coalesced } from '../coalesced.js';
import type { Logger } from '../logger.js';

/** The entries the register is built from (disclosure-register.ts). */
export const REGISTER_ACTIONS: ReadonlySet<string> = new Set(['disclosure.requested', 'disclosure.approved', 'disclosure.refused', 'evidence.export', 'evidence.sealed', 'disclosure.copy-differs']);

/** The schema, as one of the directory's numbered migrations. */
export const ENTRY_COPY_TABLE = `
  CREATE TABLE ledger_entry_copies (
    node_id text NOT NULL,
    seq bigint NOT NULL,
    byte_offset bigint NOT NULL,
    action text NOT NULL,
    line text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (node_id, seq)
  );
  CREATE INDEX ledger_entry_copies_action ON ledger_entry_copies (action);
  ${appendOnlySql('ledger_entry_copies_append_only', 'copies of ledger entries are append-only', ['ledger_entry_copies'])}
`;

/** An entry as the register reads it, with the process whose ledger holds it. */
export interface NodeEntry {
  entry: AuditEntry;
  node: string;
  /** The copy's line does not hash to the hash it carries: it was edited after it was written. */
  altered?: true;
}

export interface EntryCopyTable {
  /** Byte offset of the last entry copied from `node`'s ledger (null: none yet). */
  lastOffset(node: string): Promise<number | null>;
  /** Each entry with the exact line its ledger holds. */
  add(node: string, entries: ReadonlyArray<{ entry: AuditEntry; offset: number; text: string }>): Promise<void>;
  /** Every copy, each process's in ledger order. A line that does not parse is left out and logged by the caller. */
  all(): Promise<Array<{ node: string; line: string }>>;
  /** One process's copies, where each says its line is in that process's ledger. */
  of(node: string): Promise<Array<{ seq: number; offset: number; line: string }>>;
}

export function entryCopyTable(db: Db): EntryCopyTable {
  return {
    async lastOffset(node) {
      const [row] = await db.query<{ offset: string | null }>('SELECT max(byte_offset) AS offset FROM ledger_entry_copies WHERE node_id = $1', [node]);
      return row?.offset == null ? null : Number(row.offset);
    },
    async add(node, entries) {
      if (!entries.length) return;
      // The line as the ledger holds it (jsonb would re-serialise it). A copy already there stays as it was.
      await db.query('INSERT INTO ledger_entry_copies (node_id, seq, byte_offset, action, line) SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING', [
        node,
        entries.map((e) => e.entry.seq),
        entries.map((e) => e.offset),
        entries.map((e) => e.entry.action),
        entries.map((e) => e.text),
      ]);
    },
    all: async () => db.query<{ node: string; line: string }>('SELECT node_id AS node, line FROM ledger_entry_copies ORDER BY node_id, seq'),
    async of(node) {
      const rows = await db.query<{ seq: string; offset: string; line: string }>('SELECT seq, byte_offset AS offset, line FROM ledger_entry_copies WHERE node_id = $1 ORDER BY seq', [node]);
      return rows.map((r) => ({ seq: Number(r.seq), offset: Number(r.offset), line: r.line }));
    },
  };
}

/** The copies as the register reads them; a copy whose line was edited is marked, one that no longer parses is skipped and logged. */
export async function* copiedEntries(table: EntryCopyTable, logger: Logger): AsyncGenerator<NodeEntry> {
  for (const { node, line } of await table.all()) {
    const entry = parseEntry(line);
    if (!entry) {
      logger.log('warn', 'disclosures: a copied ledger entry in the directory does not parse', { node });
      continue;
    }
    yield entry.hash === entryHash(entry) ? { entry, node } : { entry, node, altered: true };
  }
}

/**
 * Copies this process's register entries into the directory: at start (what it missed while the
 * directory was out of reach), after each register entry it appends, and once a minute while behind.
 */
export function copyRegisterEntries(deps: { ledger: AuditLedger; table: EntryCopyTable; node: string; logger: Logger }): () => void {
  let behind = false;
  const sync = coalesced(async () => {
    const last = await deps.table.lastOffset(deps.node);
    const batch: Array<{ entry: AuditEntry; offset: number; text: string }> = [];
    for await (const { entry, offset, text } of readLedgerLines(deps.ledger.file, last ?? 0)) if (entry && REGISTER_ACTIONS.has(entry.action) && offset !== last) batch.push({ entry, offset, text });
    await deps.table.add(deps.node, batch);
  });
  const run = () =>
    void sync().then(
      () => void (behind = false),
      (error: Error) => {
        if (!behind) deps.logger.log('warn', 'disclosures: cannot copy register entries to the directory yet', { error: error.message });
        behind = true;
      },
    );
  const told = new Set<string>();
  const check = () => void holdCopiesToLedger(deps, told).catch((error: Error) => deps.logger.log('warn', 'disclosures: cannot compare the directory’s copies with the ledger', { error: error.message }));
  run();
  check();
  const stop = deps.ledger.onAppend((entry) => void (REGISTER_ACTIONS.has(entry.action) && run()));
  const retry = setInterval(() => void (behind && run()), 60_000);
  const hourly = setInterval(check, 3_600_000);
  retry.unref();
  hourly.unref();
  return () => (stop(), clearInterval(retry), clearInterval(hourly));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Each copy of this process's entries against the line its ledger holds at that place: a copy that
 * differs (edited in the directory, its hash made again to match) is logged and entered in the ledger,
 * once per copy and process start. Answers the seqs whose copies differ.
 */
export async function holdCopiesToLedger(deps: { ledger: AuditLedger; table: EntryCopyTable; node: string; logger: Logger }, told: Set<string>): Promise<number[]> {
  const differ: number[] = [];
  for (const copy of await deps.table.of(deps.node)) {
    const held = await lineAt(deps.ledger.file, copy.offset);
    if (held === copy.line) continue;
    differ.push(copy.seq);
    const said = `${copy.seq}:${sha256(copy.line)}`;
    if (told.has(said)) continue;
    told.add(said);
    deps.logger.log('error', 'disclosures: the directory’s copy of a ledger entry differs from the ledger', { seq: copy.seq });
    deps.ledger.append('system', 'disclosure.copy-differs', deps.node, { seq: copy.seq, offset: copy.offset, copySha256: sha256(copy.line), ledgerSha256: held === null ? null : sha256(held) });
  }
  return differ;
}

/** The ledger's line at `offset`, as written (null: nothing there). */
async function lineAt(file: string, offset: number): Promise<string | null> {
  for await (const { text } of readLedgerLines(file, offset)) return text;
  return null;
}
