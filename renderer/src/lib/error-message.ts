import { WatchroomError } from '../../../shared/errors.js';

/**
 * A sentence for the operator from anything a promise may reject with. A refused argument says what
 * is wrong with each field ("Say why the lock is placed or lifted."), not that the request was malformed.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof WatchroomError && error.fields?.length) return error.fields.map((f) => f.message).join(' ');
  if (error instanceof Error && error.message) return error.message;
  return typeof error === 'string' && error ? error : 'Something went wrong.';
}
