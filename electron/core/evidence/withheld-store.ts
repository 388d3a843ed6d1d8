/**
 * Where the unmasked master of a masked camera goes instead of the package (withheld-masters.ts says
 * why). One store per export: `keep` each master as it is made, `seal` once the package is in place,
 * `discard` if the export fails or is cancelled. Here that is the workstation's own evidence store; a
 * site's workstation hands the master to the recorder that recorded it (recorder-withheld.ts), so every
 * step is a promise.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ManifestFile } from './export-footage.js';
import { withheldMaster, type WithheldMaster } from './withheld-masters.js';

export interface WithheldStore {
  /** A folder only this user may enter, to make withheld masters in: never the exports folder (a share, perhaps). */
  readonly workDir: string;
  /** Takes the master made at `file` from footage `recorderId` recorded (null: this machine); answers what the manifest says of it. */
  keep(master: ManifestFile, file: string, recorderId: string | null): Promise<WithheldMaster>;
  /** The package is complete, with this SHA-256 of its SHA256SUMS: what was kept stays. */
  seal(sumsSha256: string): Promise<void>;
  /** The export did not happen: nothing it kept stays. */
  discard(): Promise<void>;
}

/**
 * `<storeDir>/<packageId>/`. Masters are made there in the first place, so keeping one is naming it;
 * sealing adds nothing (the ledger's evidence.sealed entry holds the package's hash).
 */
export function localWithheldStore(storeDir: string, packageId: string): WithheldStore {
  const dir = join(storeDir, packageId);
  const shown = `evidence-store/${packageId}`;
  return {
    workDir: dir,
    async keep(master, file) {
      const kept = join(dir, master.path);
      if (file !== kept) {
        mkdirSync(dirname(kept), { recursive: true, mode: 0o700 });
        renameSync(file, kept);
      }
      return withheldMaster({ dir, shown }, master);
    },
    seal: async () => undefined,
    discard: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
