/** Who may do what. The core enforces it; the UI only hides what a role cannot use. */
export const ROLES = ['operator', 'investigator', 'evidence-officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const ALLOWED = {
  /** Export footage out of the system. */
  export: ['investigator', 'admin'],
  /** Check a package; manage the keys this workstation trusts. */
  verify: ['investigator', 'evidence-officer', 'admin'],
  trustKeys: ['evidence-officer', 'admin'],
  /** Place or lift an evidence lock. */
  lock: ['investigator', 'evidence-officer', 'admin'],
  /** Retention and other workstation settings. */
  settings: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ALLOWED;

export function can(role: Role, permission: Permission): boolean {
  return (ALLOWED[permission] as readonly Role[]).includes(role);
}
