/**
 * A site's disclosure register reads every workstation's ledger: a request asked on one desk, approved
 * on another and built on the first has its entries in two ledgers. Each process copies the ledger
 * entries the register reads into the directory, line for line as its ledger holds them, in a table
 * that takes inserts only; every workstation builds the register from those copies. A copy carries
 * its entry's own hash, so one edited in the directory says so in the register.
 */
import type { AuditEntry } from '../../../shared/api.js';
import { entryHash, parseEntry, readLedgerLines, type AuditLedger } from '../audit/audit-ledger.js';
import { appendOnlySql } from '../directory/append-only.js';
import type { Db } from '../directory/postgres-directory.js';
import { coalesced } from '../coalesced.js';
import type { Logger } from '../logger.js';

/** The entries the register is built from (disclosure-register.ts). */
export const REGISTER_ACTIONS: ReadonlySet<string> = new Set(['disclosure.requested', 'disclosure.approved', 'disclosure.refused', 'evidence.export', 'evidence.sealed']);

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
  run();
  const stop = deps.ledger.onAppend((entry) => void (REGISTER_ACTIONS.has(entry.action) && run()));
  const retry = setInterval(() => void (behind && run()), 60_000);
  retry.unref();
  return () => (stop(), clearInterval(retry));
}
