/**
 * Which roles may do something, in words: the hint beside a control a role cannot use, and the
 * sentence added to a refusal from the core. The roles come from shared/roles.ts, so the words
 * cannot drift from what the core enforces.
 */
import { can, PERMISSIONS, ROLE_NAMES, ROLES, type Permission } from '../../../shared/roles.js';

const ACTIONS: Record<Permission, string> = {
  'wall.view': 'watch the wall',
  'wall.arrange': 'arrange the walls',
  'recordings.view': 'watch recordings',
  'bookmarks.write': 'mark and edit incidents',
  'evidence.lock': 'place or lift evidence locks',
  'evidence.export': 'export footage',
  'evidence.verify': 'verify evidence packages',
  'evidence.trust-keys': 'choose trusted signers',
  'audit.view': 'read the audit ledger',
  'cameras.configure': 'add, change or remove cameras',
  'recording.configure': 'change retention settings',
  'people.manage': 'manage people and the idle lock',
  'site.admit': 'admit the site’s recorders and workstations',
  // Four-eyes disclosure and the disclosure register (issue 12, points 2 and 3)
  'disclosure.approve': 'approve or refuse disclosures',
  'disclosures.view': 'read the disclosure register',
  // Privacy masks (issue 12, point 1)
  'masks.configure': 'draw privacy masks',
  'masks.lift': 'lift privacy masks',
  'evidence.export-unmasked': 'export unmasked footage',
  // The oversight report (issue 12, point 7)
  'oversight.report': 'generate oversight reports',
};

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as string[]).includes(value);
}

/** "Only investigators and administrators can export footage." */
export function whoMay(permission: Permission): string {
  const names = ROLES.filter((role) => can(role, permission)).map((role) => `${ROLE_NAMES[role].toLowerCase()}s`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'nobody');
  return `Only ${list} can ${ACTIONS[permission]}.`;
}
