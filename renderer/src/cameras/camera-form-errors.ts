/**
 * Splits an error from addCamera/updateCamera into messages beside each field and a general line. The
 * core names fields as in CameraInput; request validation may prefix them (`changes.url`).
 */
import { WatchroomError } from '../../../shared/errors.js';
import { errorMessage } from '../lib/error-message';
import { isCameraField, type CameraField } from './camera-form-fields';

export interface CameraFormErrors {
  fields: Partial<Record<CameraField, string>>;
  general: string | null;
}

export const NO_ERRORS: CameraFormErrors = { fields: {}, general: null };

export function cameraFormErrors(error: unknown): CameraFormErrors {
  if (!(error instanceof WatchroomError) || !error.fields?.length) return { fields: {}, general: errorMessage(error) };
  const fields: Partial<Record<CameraField, string>> = {};
  const others: string[] = [];
  for (const fieldError of error.fields) {
    const field = fieldError.field.split('.').pop() ?? '';
    if (isCameraField(field)) fields[field] = fields[field] ? `${fields[field]} ${fieldError.message}` : fieldError.message;
    else others.push(fieldError.message);
  }
  const placed = Object.keys(fields).length > 0;
  return { fields, general: others.length ? others.join(' ') : placed ? null : error.message };
}
