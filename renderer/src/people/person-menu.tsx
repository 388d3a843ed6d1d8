/**
 * Who is signed in, at the right end of the top bar, and what they can do about their session: change
 * their password, manage people or read the ledger when their role allows, lock the screen, sign out.
 * The dialogs it opens sit outside the menu, so closing the menu does not hide them.
 */
import { useState } from 'react';
import { ROLE_NAMES } from '../../../shared/roles.js';
import { AuditLedgerDialog } from '../ledger/audit-ledger-dialog';
import { useSession } from '../session/session-context';
import { DropMenu } from '../ui/drop-menu';
import { ChangePasswordDialog } from './change-password-dialog';
import { PeopleDialog } from './people-dialog';
import './people.css';

type Opened = 'change-password' | 'people' | 'ledger' | null;

export function PersonMenu() {
  const { session, can, lock, signOut } = useSession();
  const [opened, setOpened] = useState<Opened>(null);
  const person = session.person;
  if (!person) return null;
  const close = () => setOpened(null);

  const label = (
    <span className="person-label">
      <span data-testid="person-name">{person.displayName}</span>
      <span className="person-role" data-testid="person-role">
        {ROLE_NAMES[person.role]}
      </span>
    </span>
  );
  return (
    <>
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
              {item('open-change-password', 'Change password…', () => setOpened('change-password'))}
              {can('people.manage') && item('open-people', 'People…', () => setOpened('people'))}
              {can('audit.view') && item('open-ledger', 'Audit ledger…', () => setOpened('ledger'))}
              {item('lock-now', 'Lock now', () => lock('by-hand'))}
              {item('sign-out', 'Sign out', () => void signOut())}
            </ul>
          );
        }}
      </DropMenu>
      {opened === 'change-password' && <ChangePasswordDialog onClose={close} />}
      {opened === 'people' && <PeopleDialog onClose={close} />}
      {opened === 'ledger' && <AuditLedgerDialog onClose={close} />}
    </>
  );
}
