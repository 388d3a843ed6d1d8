/** Hints and refusals name the roles that may do something, as shared/roles.ts has them. */
import { describe, expect, it } from 'vitest';
import { WatchroomError } from '../../shared/errors.js';
import { PERMISSIONS } from '../../shared/roles.js';
import { errorMessage } from '../../renderer/src/lib/error-message.js';
import { refusal } from '../../electron/core/api/dispatch.js';
import { isPermission, whoMay } from '../../renderer/src/session/who-may.js';

describe('whoMay', () => {
  it('names one role, two roles, or a list of them', () => {
    expect(whoMay('cameras.configure')).toBe('Only administrators can add, change or remove cameras.');
    expect(whoMay('evidence.export')).toBe('Only investigators and administrators can export footage.');
    expect(whoMay('evidence.verify')).toBe('Only investigators, evidence officers and administrators can verify evidence packages.');
  });

  it('has words for every permission', () => {
    for (const permission of PERMISSIONS) expect(whoMay(permission)).toMatch(/^Only [a-z ,]+ can [a-z]/);
  });

  it('knows permissions from other strings', () => {
    expect(isPermission('audit.view')).toBe(true);
    expect(isPermission('audit.edit')).toBe(false);
    expect(isPermission(undefined)).toBe(false);
  });
});

describe('errorMessage for a refusal', () => {
  it('keeps the core’s sentence and says who may', () => {
    const refused = refusal('startExport', 'evidence.export', { person: { id: 'x', name: 'olga', displayName: 'Olga', role: 'operator' }, locked: false }, false)!;
    expect(refused).toMatchObject({ code: 'auth.forbidden', permission: 'evidence.export' });
    expect(errorMessage(refused)).toBe('Your role (Operator) does not allow this. Only investigators and administrators can export footage.');
  });

  it('leaves other errors as they were', () => {
    expect(errorMessage(new WatchroomError('people.last-admin', 'Watchroom needs at least one active administrator.'))).toBe('Watchroom needs at least one active administrator.');
    expect(errorMessage(new WatchroomError('auth.forbidden', 'No.', undefined, 'made.up'))).toBe('No.');
  });
});
