/** A form's error from the core lands beside the fields it names; the rest goes in one general line. */
import { describe, expect, it } from 'vitest';
import { WatchroomError } from '../../shared/errors.js';
import { formErrors } from '../../renderer/src/lib/form-errors.js';

const FIELDS = ['name', 'role', 'password'] as const;

describe('formErrors', () => {
  it('puts field errors beside their field, also when validation prefixed the path', () => {
    const error = new WatchroomError('api.invalid-argument', 'Invalid.', [
      { field: 'name', code: 'x', message: 'This name is taken.' },
      { field: 'changes.role', code: 'x', message: 'Choose a role.' },
      { field: 'password', code: 'x', message: 'Too short.' },
      { field: 'password', code: 'x', message: 'Too common.' },
    ]);
    expect(formErrors(error, FIELDS)).toEqual({ fields: { name: 'This name is taken.', role: 'Choose a role.', password: 'Too short. Too common.' }, general: null });
  });

  it('keeps errors of fields the form does not have, and errors without fields, as the general line', () => {
    const error = new WatchroomError('api.invalid-argument', 'Invalid.', [{ field: 'minutes', code: 'x', message: 'At least one minute.' }]);
    expect(formErrors(error, FIELDS)).toEqual({ fields: {}, general: 'At least one minute.' });
    expect(formErrors(new WatchroomError('people.last-admin', 'Make another administrator first.'), FIELDS)).toEqual({ fields: {}, general: 'Make another administrator first.' });
    expect(formErrors(new Error('Network down.'), FIELDS)).toEqual({ fields: {}, general: 'Network down.' });
  });
});
