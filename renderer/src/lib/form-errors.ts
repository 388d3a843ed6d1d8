/**
 * Splits an error the core answered a form with into messages beside each field and a general line.
 * The core names fields as in the method's argument; request validation may prefix them
 * (`changes.role`) or point into a list (`tags.2`), so the last named part of the path is the field.
 * Each message is a sentence for the person at the form, whatever wording reached the page.
 */
import { WatchroomError } from '../../../shared/errors.js';
import { fieldKey, plainFieldMessage } from '../../../shared/field-sentences.js';
import { errorMessage } from './error-message.js';

export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  general: string | null;
}

export const NO_FORM_ERRORS: FormErrors<never> = { fields: {}, general: null };

export function formErrors<F extends string>(error: unknown, known: readonly F[]): FormErrors<F> {
  if (!(error instanceof WatchroomError) || !error.fields?.length) return { fields: {}, general: errorMessage(error) };
  const fields: Partial<Record<F, string>> = {};
  const others: string[] = [];
  for (const fieldError of error.fields) {
    const field = (fieldKey(fieldError.field.split('.')) ?? '') as F;
    const message = plainFieldMessage(fieldError.field, fieldError.message);
    if (known.includes(field)) fields[field] = fields[field] ? `${fields[field]} ${message}` : message;
    else if (!others.includes(message)) others.push(message);
  }
  const placed = Object.keys(fields).length > 0;
  return { fields, general: others.length ? others.join(' ') : placed ? null : errorMessage(error) };
}
