/**
 * Who is signed in, at the right end of the top bar, and what they can do about their session and the
 * workstation: change their password, manage people, read the ledger and the walls' history or set retention when their role
 * allows, lock the screen, sign out. The dialogs it opens are the app's overlays, outside the menu.
 */
import { ROLE_NAMES } from '../../../shared/roles.js';
import { useSession } from '../session/session-context';
import { DropMenu } from '../ui/drop-menu';
import { api } from '../api/client';
import { useEffect, useState } from 'react';
import './people.css';

export type PersonMenuDialog = 'change-password' | 'people' | 'site' | 'ledger' | 'wall-history' | 'retention'
  // Four-eyes disclosure (issue 12, point 2): opened from the top bar's Disclosures button.
  | 'disclosures'
  // The oversight report (issue 12, point 7)
  | 'oversight-report';

export function PersonMenu({ onOpen }: { onOpen(dialog: PersonMenuDialog): void }) {
  const { session, can, lock, signOut } = useSession();
  const inSite = useInSite(can('site.admit'));
  const person = session.person;
  if (!person) return null;

  const label = (
    <span className="person-label">
      <span data-testid="person-name">{person.displayName}</span>
      <span className="person-role" data-testid="person-role">
        {ROLE_NAMES[person.role]}
      </span>
    </span>
  );
  return (
    <DropMenu testId="person-menu" title={`Signed in as ${person.name}`} label={label}>
      {(closeMenu) => {
        const item = (testId: string, text: string, act: () => void) => (
          <li>
            <button type="button" className="menu-item-main" data-testid={testId} onClick={() => (closeMenu(), act())}>
              {text}
            </button>
          </li>
        );
        return (
          <ul>
            {item('open-change-password', 'Change password…', () => onOpen('change-password'))}
            {can('people.manage') && item('open-people', 'People…', () => onOpen('people'))}
            {inSite && item('open-site', 'Site processes…', () => onOpen('site'))}
            {can('audit.view') && item('open-ledger', 'Audit ledger…', () => onOpen('ledger'))}
            {can('audit.view') && item('open-wall-history', 'Wall history…', () => onOpen('wall-history'))}
            {can('oversight.report') && item('open-oversight-report', 'Oversight report…', () => onOpen('oversight-report'))}
            {item('open-retention', 'Recording and retention…', () => onOpen('retention'))}
            {item('lock-now', 'Lock now', () => lock('by-hand'))}
            {item('sign-out', 'Sign out', () => void signOut())}
          </ul>
        );
      }}
    </DropMenu>
  );
}

/** Whether this workstation is part of a site (asked once, of an administrator's session: one machine answers that it is not). */
function useInSite(mayAdmit: boolean): boolean {
  const [inSite, setInSite] = useState(false);
  useEffect(() => {
    if (mayAdmit) void api.listSiteNodes().then(() => setInSite(true), () => setInSite(false));
  }, [mayAdmit]);
  return inSite;
}
