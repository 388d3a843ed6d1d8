/**
 * The audit ledger as a feature: the ledger itself, its start-up check, its signed checkpoints
 * (mirrored, time-stamped), its health for the wall's banner, and reading it back.
 */
import { join } from 'node:path';
import type { AuditStatus, CoreEvent } from '../../../shared/events.js';
import type { FeatureModule } from '../feature-module.js';
import type { Logger } from '../logger.js';
import type { SigningKey } from '../evidence/signing-key.js';
import { loadOrCreateSigningKey } from '../evidence/signing-key.js';
import { keysDir, workstationKey, workstationKeyMade } from '../evidence/workstation-key.js';
import { AuditLedger } from './audit-ledger.js';
import { findCaptureEntries, type CaptureEntry } from './capture-proof.js';
import { CHECKPOINTS_FILE, LedgerCheckpoints, type CheckpointAnchor } from './ledger-checkpoints.js';
import { checkLedgerAtStart, ledgerAtStart } from './ledger-startup.js';

export interface AuditOptions {
  /** A folder elsewhere (a share, removable medium) that receives a copy of every ledger checkpoint. */
  ledgerMirror?: string;
  /** An RFC 3161 time-stamp authority that time-stamps every ledger checkpoint. */
  timestampUrl?: string;
  /** A checkpoint every this many entries (default 1,000) and, when anything happened, this often (default 5 min). */
  checkpointEvery?: { entries?: number; ms?: number };
}

export interface AuditModule extends FeatureModule {
  readonly ledger: AuditLedger;
  readonly signingKey: () => SigningKey;
  /** The signed checkpoints (the oversight report names one, and takes one when none covers its month). */
  readonly checkpoints: LedgerCheckpoints;
  /** False for entries written while Watchroom was stopped (set aside at start): they prove nothing. */
  trustedOffset(offset: number): boolean;
  /**
   * The capture entries of these segment files: one streamed pass over the ledger. The first entry
   * naming a path is its capture (a later one can only repeat it or be forged).
   */
  captureEntries(paths: ReadonlySet<string>): Promise<Map<string, CaptureEntry>>;
}

/** `anchor`: a site's directory, which keeps a copy of every checkpoint and holds the start-up check to them. */
export function createAuditModule(deps: { dataDir: string; logger: Logger; emit(event: CoreEvent): void; options: AuditOptions; anchor?: CheckpointAnchor | undefined }): AuditModule {
  const { dataDir, logger, options } = deps;
  const ledger = new AuditLedger(join(dataDir, 'audit.jsonl'));
  // Before anything of this run is appended: what was written while Watchroom was not running.
  // (Checkpoints are signed by the workstation key; before it exists there are none to go by.)
  const atStart = ledgerAtStart(ledger, join(dataDir, CHECKPOINTS_FILE), workstationKeyMade(dataDir) ? loadOrCreateSigningKey(keysDir(dataDir)).publicKeyPem : null);
  const { whileStopped } = atStart;
  const trustedOffset = (offset: number) => !whileStopped || offset < whileStopped.from || offset >= whileStopped.to;
  const signingKey = workstationKey({ dataDir, ledger, logger });

  let check: AuditStatus['check'] = null;
  const status = (): AuditStatus => ({ ...ledger.status(), check });
  const announce = () => deps.emit({ type: 'audit.status', status: status() });
  const offStatus = ledger.onStatus((s) => {
    logger.log(s.state === 'ok' ? 'info' : 'error', 'audit.status', { ...s });
    announce();
  });

  const checkpoints = new LedgerCheckpoints({
    ledger,
    dataDir,
    key: signingKey,
    logger,
    ...(options.ledgerMirror ? { mirrorDir: options.ledgerMirror } : {}),
    ...(deps.anchor ? { anchor: deps.anchor } : {}),
    ...(options.timestampUrl ? { timestampUrl: options.timestampUrl } : {}),
    ...(options.checkpointEvery?.entries ? { everyEntries: options.checkpointEvery.entries } : {}),
    ...(options.checkpointEvery?.ms ? { everyMs: options.checkpointEvery.ms } : {}),
  });
  const checked = (async () => {
    check = { state: 'running', fromSeq: 0, entries: 0, problems: [] };
    // The directory out of reach at start is not a finding about the ledger: checked without its copies.
    if (deps.anchor) await checkpoints.syncAnchor();
    const directoryCopies = await deps.anchor?.all().catch((error: Error) => void logger.log('warn', 'audit.directory-copies-unread', { error: error.message }));
    check = await checkLedgerAtStart({
      ...(directoryCopies ? { directoryCopies } : {}),
      ledger,
      checkpointsFile: checkpoints.file,
      publicKeyPem: signingKey().publicKeyPem,
      atStart,
      ...(options.ledgerMirror ? { mirrorFile: join(options.ledgerMirror, CHECKPOINTS_FILE) } : {}),
    });
    logger.log(check.state === 'ok' ? 'info' : 'error', 'audit.checked', { ...check });
    announce();
  })().catch((error: unknown) => {
    // A check that could not run is a finding, never a silence.
    check = { state: 'problems', fromSeq: 0, entries: 0, problems: [`The audit ledger could not be checked at start: ${String(error)}`] };
    logger.log('error', 'audit.check-failed', { error: String(error) });
    announce();
  });

  return {
    ledger,
    signingKey,
    checkpoints,
    trustedOffset,
    captureEntries: (paths) => findCaptureEntries(ledger.entries(), paths, trustedOffset),
    handlers: {
      getAuditStatus: async () => status(),
      listAudit: async ({ limit }) => ledger.list(limit),
    },
    async dispose() {
      await checked;
      await checkpoints.close();
      offStatus();
      ledger.close();
    },
  };
}
