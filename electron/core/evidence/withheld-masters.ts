/**
 * The unmasked master of a masked camera does not leave: it goes to the workstation's evidence store,
 * `<data>/evidence-store/<packageId>/`, the core's own private folder, where it is written from the
 * start (never the exports folder, which may be a removable disk or a share), and the package declares it withheld with its SHA-256,
 * so the working copy's `derivedFrom` still names bytes the exporting organisation can produce.
 */
import { join } from 'node:path';
import type { MaskPolygon } from '../../../shared/masks.js';
import type { ManifestFile } from './export-footage.js';

/** A camera's masks as an export applies them. */
export interface AppliedMasks {
  version: number;
  sha256: string;
  polygons: MaskPolygon[];
}

export interface WithheldMaster {
  cameraId: string;
  /** Its path as it would have been in the package. */
  path: string;
  /** Where it is kept, relative to the data folder of the process keeping it. */
  store: string;
  sha256: string;
  bytes: number;
  startUtc: string;
  endUtc: string;
  why: string;
  /** On a site: the recorder that keeps it, and the receipt it signed for it (its canonical JSON, and the base64 DER signature). */
  keptBy?: { recorder: string; fingerprint: string };
  receipt?: { text: string; signature: string };
}

export const evidenceStoreDir = (dataDir: string) => join(dataDir, 'evidence-store');

/** What the manifest says of a master written into the store (`to`) instead of the package. */
export function withheldMaster(to: { dir: string; shown: string }, master: ManifestFile): WithheldMaster {
  return {
    cameraId: master.cameraId,
    path: master.path,
    store: `${to.shown}/${master.path}`,
    sha256: master.sha256,
    bytes: master.bytes,
    startUtc: master.startUtc,
    endUtc: master.endUtc,
    why: 'The camera has privacy masks: the unmasked master stays in the exporting workstation’s evidence store; the working copy with the masks burned in derives from it.',
  };
}
