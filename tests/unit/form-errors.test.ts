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

  it('places an error inside a list on the list, and turns any developer wording left over into a sentence naming the field', () => {
    const error = new WatchroomError('api.invalid-argument', 'Invalid.', [
      { field: 'tags.2', code: 'x', message: 'A tag is at most 40 characters.' },
      { field: 'changes.displayName', code: 'x', message: 'Too big: expected string to have <=100 characters' },
      { field: 'beforeMs', code: 'x', message: 'Invalid input: expected number, received null' },
    ]);
    expect(formErrors(error, ['tags', 'displayName'] as const)).toEqual({
      fields: { tags: 'A tag is at most 40 characters.', displayName: 'The full name is not in a form Watchroom accepts.' },
      general: 'The time before is not in a form Watchroom accepts.',
    });
  });

  it('says the host cannot be reached instead of the browser’s “Failed to fetch”, and hides JavaScript’s own words', () => {
    expect(formErrors(new TypeError('Failed to fetch'), FIELDS).general).toBe('Cannot reach Watchroom. Check that it is still running, then try again.');
    expect(formErrors(new TypeError("Cannot read properties of undefined (reading 'map')"), FIELDS).general).toBe('Something went wrong in this window. Try again; if it goes on, reload the page.');
  });
});
