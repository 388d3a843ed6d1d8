/**
 * Evidence as the API offers it: the signing key, exports with progress, the packages made here,
 * verification, and trusted keys. Every export, verification and trust change enters the ledger.
 * Verifications run by the watchroom-verify CLI against this data folder arrive through an inbox
 * folder and are entered too, so the ledger has one writer.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { WatchroomApi } from '../../../shared/api.js';
import type { ExportJob, VerificationReport } from '../../../shared/evidence.js';
import { WatchroomError } from '../../../shared/errors.js';
import { can, type Permission, type Role } from '../../../shared/roles.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { Logger } from '../logger.js';
import type { SegmentIndex } from '../recording/segment-index.js';
import { ExportJobs } from './export-jobs.js';
import { MANIFEST } from './package-files.js';
import { verifyPackage } from './package-verifier.js';
import { loadOrCreateSigningKey, type SigningKey } from './signing-key.js';
import { importTrustedKey, trustedFingerprints } from './trusted-keys.js';
import { receivedDir } from './received-packages.js';
import { sha256File } from '../recording/file-hash.js';

export interface EvidenceDeps {
  dataDir: string;
  exportsDir: string;
  recordingsRoot: string;
  index: SegmentIndex;
  ledger: AuditLedger;
  trustedLedgerOffset: (offset: number) => boolean;
  logger: Logger;
  appVersion: string;
  camera(id: string): { id: string; name: string; url: string };
  onExport(job: ExportJob): void;
}

/** The evidence part of WatchroomApi. */
export type EvidenceApi = Pick<WatchroomApi, 'getSigningKey' | 'startExport' | 'getExport' | 'cancelExport' | 'listPackages' | 'verifyPackage' | 'importTrustedKey' | 'listTrustedKeys'>;

export const keysDir = (dataDir: string) => join(dataDir, 'keys');
export const auditInboxDir = (dataDir: string) => join(dataDir, 'audit-inbox');

/** A verification the CLI leaves for the app to enter in the ledger. */
export const inboxRecordSchema = z.object({
  actor: z.string().min(1).max(200),
  action: z.literal('evidence.verify'),
  subject: z.string().max(500),
  details: z.record(z.string(), z.unknown()),
});

/** Ledger details of a verification: the result, the case and the hashes it rests on. */
export async function verificationDetails(report: VerificationReport, via: 'app' | 'cli'): Promise<Record<string, unknown>> {
  const sums = join(report.packagePath, 'SHA256SUMS');
  return {
    via,
    package: report.packagePath,
    caseReference: report.caseReference,
    ok: report.ok,
    outcome: report.outcome,
    failures: report.failures.map((f) => f.code),
    signer: report.signer.fingerprint,
    signerTrusted: report.signer.trusted,
    // What was checked, when it can be read as a file at all.
    sha256sumsSha256: await sha256File(sums).catch(() => null),
  };
}

/**
 * Half-built packages a crash left (`.partial-*`): removed when the service starts, before any export
 * can, as one process owns the data folder.
 */
function removePartialExports(exportsDir: string): number {
  if (!existsSync(exportsDir)) return 0;
  const partial = readdirSync(exportsDir).filter((name) => name.startsWith('.partial-'));
  for (const name of partial) rmSync(join(exportsDir, name), { recursive: true, force: true });
  return partial.length;
}

export function createEvidenceService(deps: EvidenceDeps) {
  const partial = removePartialExports(deps.exportsDir);
  if (partial > 0) deps.logger.log('warn', 'evidence.partial-removed', { folders: partial });
  let key: SigningKey | null = null;
  const signingKey = (): SigningKey => {
    if (key) return key;
    const existed = existsSync(join(keysDir(deps.dataDir), 'signing-key.pem'));
    key = loadOrCreateSigningKey(keysDir(deps.dataDir));
    if (!existed) {
      deps.ledger.append('system', 'evidence.key-created', 'signing-key', { fingerprint: key.fingerprint });
      deps.logger.log('info', 'evidence.key-created', { fingerprint: key.fingerprint });
    }
    return key;
  };
  const jobs = new ExportJobs(deps.onExport);
  /** Folders a shell's own file dialog handed over (the user chose them there, not the renderer). */
  const granted = new Set<string>();
  const realOrResolved = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  /**
   * The app verifies its own exports, packages copied in for checking, and folders the user chose in
   * a shell's dialog: never any path a caller names, or verification would list /etc/ssh or walk /.
   */
  const checkVerifiable = (path: string): string => {
    const real = realOrResolved(path);
    const within = (dir: string) => {
      const root = realOrResolved(dir);
      return real === root || real.startsWith(root + sep);
    };
    if (within(deps.exportsDir) || within(receivedDir(deps.dataDir)) || [...granted].some(within)) return real;
    throw new WatchroomError('evidence.path-not-allowed', 'Watchroom checks packages in its exports folder and packages you hand it (drop a folder or use Choose folder…). For a package anywhere else, run watchroom-verify on the command line.');
  };

  /** Enters CLI verifications left in the inbox; a malformed file is logged and set aside. */
  const ingestInbox = () => {
    const dir = auditInboxDir(deps.dataDir);
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const file = join(dir, name);
      try {
        const record = inboxRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
        deps.ledger.append(record.actor, record.action, record.subject, record.details);
        rmSync(file);
      } catch (error) {
        deps.logger.log('error', 'audit.inbox-rejected', { file: name, error: String(error) });
        writeFileSync(`${file}.rejected`, readFileSync(file));
        rmSync(file);
      }
    }
  };

  return {
    signingKey,
    ingestInbox,
    /** For a shell: a folder the user picked in its own dialog may be verified where it lies. */
    grantPackageFolder: (path: string) => void granted.add(realOrResolved(path)),
    close: () => jobs.close(),
    api(actor: string, role: Role): EvidenceApi {
      const require = (permission: Permission, what: string) => {
        if (!can(role, permission)) throw new WatchroomError('auth.forbidden', `The ${role} role cannot ${what}.`);
      };
      return {
        async getSigningKey() {
          const { fingerprint, publicKeyPem } = signingKey();
          return { fingerprint, publicKeyPem };
        },
        async startExport(request) {
          require('export', 'export footage');
          // A disclosure the ledger cannot record does not happen.
          const ledger = deps.ledger.status();
          if (ledger.state !== 'ok') throw new WatchroomError('export.audit-unavailable', `Exports wait until the audit ledger can be written again (${ledger.problem}); ${ledger.queued} entries are waiting for it.`);
          return jobs.start(
            { recordingsRoot: deps.recordingsRoot, index: deps.index, ledger: deps.ledger, trustedLedgerOffset: deps.trustedLedgerOffset, key: signingKey(), exportsDir: deps.exportsDir, appVersion: deps.appVersion, camera: deps.camera, user: actor, role },
            request,
          );
        },
        async getExport({ id }) {
          return jobs.get(id);
        },
        async cancelExport({ id }) {
          require('export', 'cancel exports');
          return jobs.cancel(id);
        },
        async listPackages() {
          if (!existsSync(deps.exportsDir)) return [];
          return readdirSync(deps.exportsDir, { withFileTypes: true })
            .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
            .map((d) => {
              const path = join(deps.exportsDir, d.name);
              let manifest: { caseReference?: string; exportedAtUtc?: string } = {};
              try {
                manifest = JSON.parse(readFileSync(join(path, MANIFEST), 'utf8'));
              } catch {
                // Listed anyway: verification will say what is wrong with it.
              }
              return { name: d.name, path, caseReference: manifest.caseReference ?? null, exportedAt: manifest.exportedAtUtc ?? null };
            })
            .sort((a, b) => (b.exportedAt ?? '').localeCompare(a.exportedAt ?? ''));
        },
        async verifyPackage({ path }) {
          require('verify', 'verify packages');
          signingKey();
          const report = await verifyPackage(checkVerifiable(path), trustedFingerprints(keysDir(deps.dataDir)));
          deps.ledger.append(actor, 'evidence.verify', report.caseReference ?? path, await verificationDetails(report, 'app'));
          return report;
        },
        async importTrustedKey({ pem }) {
          require('trustKeys', 'change the trusted keys');
          const fingerprint = importTrustedKey(keysDir(deps.dataDir), pem);
          deps.ledger.append(actor, 'evidence.key-trusted', fingerprint, { fingerprint });
          return { fingerprint };
        },
        async listTrustedKeys() {
          const own = signingKey().fingerprint;
          const imported = [...trustedFingerprints(keysDir(deps.dataDir))].filter((f) => f !== own).sort();
          return [{ fingerprint: own, own: true }, ...imported.map((fingerprint) => ({ fingerprint, own: false }))];
        },
      };
    },
  };
}

/** For the CLI: leaves a verification record for the app to enter in the ledger. */
export function leaveInInbox(dataDir: string, record: z.infer<typeof inboxRecordSchema>): void {
  const dir = auditInboxDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${Date.now()}-${randomUUID()}.json`), JSON.stringify(record), { mode: 0o600 });
}
