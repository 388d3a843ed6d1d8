import { WatchroomError } from '../../../shared/errors.js';
import { isPermission, whoMay } from '../session/who-may.js';

/**
 * A sentence for the operator from anything a promise may reject with. A refused argument says what
 * is wrong with each field ("Say why the lock is placed or lifted."), not that the request was malformed;
 * a refusal for want of a permission also says which roles have it.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof WatchroomError && error.fields?.length) return error.fields.map((f) => f.message).join(' ');
  if (error instanceof WatchroomError && error.code === 'auth.forbidden' && isPermission(error.permission)) return `${error.message} ${whoMay(error.permission)}`;
  if (error instanceof Error && error.message) return error.message;
  return typeof error === 'string' && error ? error : 'Something went wrong.';
}
