/**
 * What a control looks like to a role that may not use it: disabled, with a title saying who may, and
 * where a glance should tell, a visible line saying so. The core refuses such calls anyway; this only
 * spares the person the attempt.
 */
import type { Permission } from '../../../shared/roles.js';
import { useSession } from './session-context';
import { whoMay } from './who-may';
import './permission-hint.css';

/** Whether the signed-in person may, and if not, the sentence to give as a title. */
export function usePermission(permission: Permission): { allowed: boolean; refusal: string | undefined } {
  const allowed = useSession().can(permission);
  return { allowed, refusal: allowed ? undefined : whoMay(permission) };
}

/** A visible line saying who may, shown only to those who may not. */
export function PermissionHint({ permission }: { permission: Permission }) {
  const { allowed, refusal } = usePermission(permission);
  if (allowed) return null;
  return (
    <p className="permission-hint" data-testid="permission-hint" data-permission={permission}>
      {refusal}
    </p>
  );
}
