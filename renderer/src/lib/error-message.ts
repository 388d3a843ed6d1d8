import { WatchroomError } from '../../../shared/errors.js';
import { DEVELOPER_WORDING, plainFieldMessage } from '../../../shared/field-sentences.js';
import { isPermission, whoMay } from '../session/who-may.js';

const UNREACHABLE = 'Cannot reach Watchroom. Check that it is still running, then try again.';
const SLIPPED = 'Something went wrong in this window. Try again; if it goes on, reload the page.';

/**
 * A sentence for the operator from anything a promise may reject with. A refused argument says what
 * is wrong with each field ("Say why the lock is placed or lifted."), not that the request was malformed;
 * a refusal for want of a permission also says which roles have it. What the browser or JavaScript
 * say ("Failed to fetch", "x is undefined") is for developers: the person gets a sentence instead.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof WatchroomError && error.fields?.length) return [...new Set(error.fields.map((f) => plainFieldMessage(f.field, f.message)))].join(' ');
  if (error instanceof WatchroomError && error.code === 'auth.forbidden' && isPermission(error.permission)) return `${error.message} ${whoMay(error.permission)}`;
  if (error instanceof WatchroomError) return error.message;
  // fetch and XHR fail with a TypeError ("Failed to fetch", "NetworkError…", "Load failed").
  if (error instanceof TypeError && /fetch|network|load failed/i.test(error.message)) return UNREACHABLE;
  if (error instanceof DOMException && /NotReadable|NotFound/.test(error.name)) return 'The file could not be read: it may have moved, or you may not be allowed to read it. Choose it again.';
  if (error instanceof Error && error.name === 'Error' && error.message && !DEVELOPER_WORDING.test(error.message)) return error.message;
  if (typeof error === 'string' && error && !DEVELOPER_WORDING.test(error)) return error;
  return SLIPPED;
}
