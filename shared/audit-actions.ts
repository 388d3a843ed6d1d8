/**
 * Every action the audit ledger records. The ledger takes only these, so a reader (the custody
 * extract, the ledger view, an oversight report) and a writer can never disagree on a spelling.
 */
export const AUDIT_ACTIONS = [
  // People and sessions
  'auth.sign-in',
  'auth.sign-in-failed',
  'auth.sign-out',
  'auth.locked',
  'auth.forbidden',
  'people.first-admin',
  'people.add',
  'people.update',
  'people.password-change',
  'people.password-reset',
  'settings.idle-lock',
  // Cameras and what is watched
  'camera.add',
  'camera.import',
  'camera.edit',
  'camera.archive',
  'stream.open',
  'stream.close',
  /** A recorder relays a camera to a workstation of the site (issue 13); the person watching is in that workstation's ledger. */
  'relay.open',
  /** An administrator admitted a recorder or workstation into the site (its keys, signed with the site key). */
  'site.node-admitted',
  /** An administrator confirmed on this workstation which key is the site's admission key (the fingerprint typed). */
  'site.key-confirmed',
  'relay.close',
  'recording.view',
  'playback.open',
  'playback.close',
  'settings.viewing-policy',
  // Recording and retention
  /** A segment's capture hash, one entry per segment: what ledgers written before minute batches hold. */
  'segment.closed',
  /** The Merkle root of one camera's segments closed within a UTC minute (audit/capture-proof.ts). */
  'recording.minute',
  'segment.deleted',
  'retention.receipt',
  'recording.clock-drift',
  'recording.clock-step',
  'recording.reconciled',
  /** A recorder of the site took a camera over from one whose lease ran out: the gap between is unrecorded (issue 13). */
  'recording.takeover',
  'clock.jump',
  'settings.retention',
  // Walls
  'wall.set',
  'wall.add',
  'wall.remove',
  'wall.preset-save',
  'wall.preset-recall',
  'wall.preset-delete',
  'wall.cameras-changed',
  // Incidents and evidence
  'bookmark.create',
  'bookmark.update',
  'bookmark.delete',
  'evidence.lock',
  'evidence.export-started',
  'evidence.export-cancel',
  'evidence.export',
  'evidence.export-cancelled',
  'evidence.export-failed',
  'evidence.download',
  'evidence.verify',
  'evidence.key-created',
  'evidence.key-trusted',
  /** A recorder sent one of its recorded segments to a process of the site (playback, a picture): which, to whom. */
  'footage.served',
  /** A recorder vouched for its footage to a workstation exporting it: which package, for whom, the answer's hash. */
  'evidence.custody-served',
  /** A recorder took a withheld unmasked master from the exporting workstation, pending (kept-masters.ts): which, its hash, from whom. */
  'evidence.master-received',
  /** …and kept it once the package was in place (the package's SHA256SUMS hash). */
  'evidence.master-kept',
  /** …or dropped it, still pending: the export failed, or nobody came back for it within a day. */
  'evidence.master-discarded',
  // Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
  'disclosure.requested',
  'disclosure.approved',
  'disclosure.refused',
  /** A process found the directory's copy of one of its register entries unlike its ledger's line (register-copies.ts). */
  'disclosure.copy-differs',
  /** The register left as a CSV file: it names people and recipients, so who took it, with which filter, is recorded. */
  'disclosure.register-downloaded',
  /** A package's SHA256SUMS hash, known only once it is written (after the evidence.export entry it covers). */
  'evidence.sealed',
  // Privacy masks (issue 12, point 1)
  'mask.set',
  'mask.lift',
  'mask.reapply',
  // The oversight report (issue 12, point 7)
  /** A monthly oversight report was generated: its month, report.json's hash and the checkpoint it was drawn from. */
  'oversight.report',
  /** A report's PDF was opened: it names people and what they watched, so who read it is recorded. */
  'oversight.report-read',
  // The ledger itself
  'audit.checked',
  'audit.line-set-aside',
  'audit.entries-set-aside',
  'audit.partial-line-dropped',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
