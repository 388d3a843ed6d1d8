/**
 * Every process's ledger checkpoints, copied into the site's directory as they are taken: an anchor
 * outside the machine, as the mirror folder is, that whoever rewrites one machine's disk cannot
 * reach. The table takes inserts only: triggers refuse every update, delete and truncate, so a checkpoint,
 * once copied, stays as it was signed. A process's start-up check holds its ledger to these copies.
 */
import { parseCheckpoint, type Checkpoint, type CheckpointAnchor } from '../audit/ledger-checkpoints.js';
import type { Db } from './postgres-directory.js';

/** The schema, as one of the directory's numbered migrations. */
export const CHECKPOINT_TABLE = `
  CREATE TABLE ledger_checkpoints (
    node_id text NOT NULL,
    seq bigint NOT NULL,
    checkpoint jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (node_id, seq)
  );
  CREATE FUNCTION ledger_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'ledger checkpoints are append-only'; END $$;
  CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
    FOR EACH ROW EXECUTE FUNCTION ledger_checkpoints_append_only();
  CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_checkpoints_append_only();
`;

/** One process's copies. */
export function directoryCheckpoints(db: Db, nodeId: string): CheckpointAnchor {
  return {
    async seqs() {
      const rows = await db.query<{ seq: string }>('SELECT seq FROM ledger_checkpoints WHERE node_id = $1', [nodeId]);
      return new Set(rows.map((r) => Number(r.seq)));
    },
    async add(checkpoints) {
      if (!checkpoints.length) return;
      // One statement however many (a first start copies a long ledger's all). A copy already there is
      // kept as it was (ON CONFLICT DO NOTHING): the check compares the two.
      await db.query('INSERT INTO ledger_checkpoints (node_id, seq, checkpoint) SELECT $1, * FROM unnest($2::bigint[], $3::jsonb[]) ON CONFLICT DO NOTHING', [
        nodeId,
        checkpoints.map((c) => c.seq),
        checkpoints.map((c) => JSON.stringify(c)),
      ]);
    },
    async all() {
      const rows = await db.query<{ checkpoint: unknown }>('SELECT checkpoint FROM ledger_checkpoints WHERE node_id = $1 ORDER BY seq', [nodeId]);
      return rows.map((r) => parseCheckpoint(JSON.stringify(r.checkpoint)));
    },
    async around(fromSeq, toSeq) {
      const rows = await db.query<{ checkpoint: unknown }>(
        `SELECT checkpoint FROM (
           SELECT seq, checkpoint FROM ledger_checkpoints WHERE node_id = $1 AND seq BETWEEN $2 AND $3
           UNION ALL (SELECT seq, checkpoint FROM ledger_checkpoints WHERE node_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT 1)
         ) AS c ORDER BY seq`,
        [nodeId, fromSeq, toSeq],
      );
      return rows.map((r) => parseCheckpoint(JSON.stringify(r.checkpoint)));
    },
  };
}
