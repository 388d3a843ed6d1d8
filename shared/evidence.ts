/** Evidence export and verification: what crosses the process boundary. */

export interface Recipient {
  person: string;
  organisation: string;
}

export interface ExportRequest {
  cameraIds: string[];
  fromMs: number;
  toMs: number;
  /** Why the footage leaves the system (required: every disclosure needs one). */
  reason: string;
  caseReference: string;
  recipient: Recipient | null;
  /** Also make an exactly cut, court-playable H.264 working copy derived from each master. */
  workingCopy: boolean;
}

export type ExportState = 'running' | 'done' | 'failed' | 'cancelled';

export interface ExportJob {
  id: string;
  state: ExportState;
  /** 0..1 */
  fraction: number;
  /** Estimated time left while running, or null before there is a basis for one. */
  etaMs: number | null;
  /** What it is doing now, for people. */
  stage: string;
  caseReference: string;
  /** The finished package folder. */
  packagePath?: string;
  error?: { code: string; message: string };
}

export interface SigningKeyInfo {
  /** SHA-256 of the DER public key, hex in colon-separated pairs. */
  fingerprint: string;
  publicKeyPem: string;
}

export interface VerificationFailure {
  /** Stable machine-readable reason, e.g. file-hash-mismatch, signature-invalid, not-regular-file. */
  code: string;
  message: string;
  /** The package file it concerns, when there is one. */
  file?: string;
}

/**
 * verified: intact and signed by a key trusted here. signer-untrusted: intact, but the key is not one
 * this workstation trusts (compare its fingerprint with the sender's). failed: something is wrong.
 */
export type VerificationOutcome = 'verified' | 'signer-untrusted' | 'failed';

export interface VerificationReport {
  /** outcome === 'verified' */
  ok: boolean;
  outcome: VerificationOutcome;
  packagePath: string;
  caseReference: string | null;
  signer: { fingerprint: string | null; trusted: boolean };
  /** Files listed in SHA256SUMS whose hash was checked and found right. */
  filesChecked: number;
  failures: VerificationFailure[];
}

/** A signer whose packages verify as trusted here. */
export interface TrustedKey {
  fingerprint: string;
  /** This workstation's own signing key (the rest were imported). */
  own: boolean;
}

export interface PackageSummary {
  name: string;
  path: string;
  caseReference: string | null;
  exportedAt: string | null;
}
