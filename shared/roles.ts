/**
 * Who may do what. Every API method names one permission in the contract (shared/contract.ts); the
 * core's dispatcher checks it before the method runs, so no handler checks a role itself. The UI
 * only hides what a role cannot use.
 */
export const ROLES = ['operator', 'investigator', 'evidence-officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  operator: 'Operator',
  investigator: 'Investigator',
  'evidence-officer': 'Evidence officer',
  admin: 'Administrator',
};

const EVERYONE = ROLES;

const ALLOWED = {
  /** Watch the wall: cameras, their live streams, walls and presets, the ledger's health. */
  'wall.view': EVERYONE,
  /** Put cameras on tiles, add and remove walls, save and recall presets, run tours. */
  'wall.arrange': EVERYONE,
  /** Watch recorded footage (instant replay, playback, thumbnails). */
  'recordings.view': EVERYONE,
  /** Mark moments and edit the marks. */
  'bookmarks.write': ['operator', 'investigator', 'evidence-officer', 'admin'],
  /** Place or lift an evidence lock. */
  'evidence.lock': ['investigator', 'evidence-officer', 'admin'],
  /** Export footage out of the system. */
  'evidence.export': ['investigator', 'admin'],
  /** Check a package; see the signing key. */
  'evidence.verify': ['investigator', 'evidence-officer', 'admin'],
  /** Choose which signers this workstation trusts. */
  'evidence.trust-keys': ['evidence-officer', 'admin'],
  /** Read the audit ledger. */
  'audit.view': ['evidence-officer', 'admin'],
  /** Add, change and archive cameras. */
  'cameras.configure': ['admin'],
  /** Retention and recording settings. */
  'recording.configure': ['admin'],
  /** Accounts, roles and the idle lock. */
  'people.manage': ['admin'],
  /** Admit recorders and workstations into the site (issue 13). */
  'site.admit': ['admin'],
  // Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
  /** Approve or refuse someone else's request to disclose footage outside the organisation. */
  'disclosure.approve': ['evidence-officer', 'admin'],
  /** Read the disclosure register and download it as CSV. */
  'disclosures.view': ['evidence-officer', 'admin'],
  // Privacy masks (issue 12, point 1)
  /** Draw and save a camera's privacy masks. */
  'masks.configure': ['admin'],
  /** Lift a camera's masks for oneself, for a while, with a reason. */
  'masks.lift': ['evidence-officer', 'admin'],
  /** Put a camera's unmasked master into one export, with a reason. */
  'evidence.export-unmasked': ['admin'],
  // The oversight report (issue 12, point 7)
  /** Generate a month's oversight report, list the reports and download their PDF. */
  'oversight.report': ['evidence-officer', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ALLOWED;
export const PERMISSIONS = Object.keys(ALLOWED) as Permission[];

/**
 * What a method needs besides a permission: `public` runs without anyone signed in (sign-in itself,
 * what the sign-in screen shows); `self` needs only a signed-in person (sign-out, own password).
 */
export type Access = Permission | 'public' | 'self';

export function can(role: Role, permission: Permission): boolean {
  return (ALLOWED[permission] as readonly Role[]).includes(role);
}

/** Whether `role` may call a method that needs `access`, given someone is signed in. */
export function allows(role: Role, access: Access): boolean {
  return access === 'public' || access === 'self' || can(role, access);
}
