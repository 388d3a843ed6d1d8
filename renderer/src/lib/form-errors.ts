/**
 * Splits an error the core answered a form with into messages beside each field and a general line.
 * The core names fields as in the method's argument; request validation may prefix them
 * (`changes.role`), so the last part of the path names the field.
 */
import { WatchroomError } from '../../../shared/errors.js';
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
    const field = (fieldError.field.split('.').pop() ?? '') as F;
    if (known.includes(field)) fields[field] = fields[field] ? `${fields[field]} ${fieldError.message}` : fieldError.message;
    else others.push(fieldError.message);
  }
  const placed = Object.keys(fields).length > 0;
  return { fields, general: others.length ? others.join(' ') : placed ? null : error.message };
}
