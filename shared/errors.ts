/**
 * Every error that crosses a process boundary: a code for machines, a sentence for people. Each code
 * is declared once here with the HTTP status the browser shell answers it with; the contract
 * (shared/contract.ts) names which codes each method may return.
 */
export const ERROR_STATUS = {
  internal: 500,
  // Calls themselves
  'api.unknown-method': 404,
  'api.invalid-argument': 400,
  'api.malformed-json': 400,
  'api.content-type': 415,
  'api.method-not-allowed': 405,
  'api.bad-origin': 403,
  'host.bad-host': 421,
  'host.unreachable': 503,
  'ipc.failed': 500,
  'ipc.refused': 403,
  // People, sessions, permissions
  'auth.required': 401,
  'auth.locked': 423,
  'auth.bad-credentials': 401,
  'auth.slow-down': 429,
  'auth.forbidden': 403,
  'people.first-admin-exists': 409,
  'people.name-taken': 409,
  'people.not-found': 404,
  'people.last-admin': 409,
  'people.weak-password': 400,
  // Cameras and media
  'camera.invalid': 400,
  'camera.not-found': 404,
  'camera.demo-readonly': 400,
  'camera.no-recorder': 409,
  'site.not-a-site': 409,
  'site.node-not-found': 404,
  'site.fingerprint-mismatch': 400,
  'site.sealing-key-unbound': 409,
  'site.key-elsewhere': 409,
  'site.no-key': 409,
  'site.key-replaced': 409,
  'import.empty': 400,
  'import.invalid': 400,
  'import.malformed': 400,
  'import.columns': 400,
  'media.invalid-range': 400,
  'media.link-expired': 401,
  // Walls
  'wall.not-found': 404,
  'wall.main': 400,
  'preset.not-found': 404,
  // Incidents and evidence
  'bookmark.not-found': 404,
  'bookmark.locked': 409,
  'playback.reason-required': 400,
  'playback.not-found': 404,
  'export.not-found': 404,
  'export.bad-range': 400,
  'export.no-recording': 400,
  'export.duplicate-path': 409,
  'export.disk-full': 507,
  'export.failed': 500,
  'export.ffmpeg-failed': 500,
  'export.footage-changed': 409,
  'export.footage-unproven': 409,
  'export.recorder-custody-invalid': 502,
  'export.recorder-unreachable': 503,
  'export.footage-gone': 410,
  'evidence.master-refused': 422,
  'evidence.master-exists': 409,
  'export.audit-unavailable': 503,
  'evidence.path-not-allowed': 403,
  'evidence.not-a-package': 400,
  'evidence.bad-key': 400,
  // Four-eyes disclosure (issue 12, point 2)
  'disclosure.needs-approval': 409,
  'disclosure.not-found': 404,
  'disclosure.own-request': 403,
  'disclosure.not-pending': 409,
  'disclosure.requester-cannot-export': 409,
  // The oversight report (issue 12, point 7)
  'report.bad-month': 400,
  'report.no-checkpoint': 503,
  'upload.bad-id': 400,
  'upload.bad-path': 400,
  'upload.duplicate': 409,
  'upload.too-large': 413,
  'upload.disk-full': 507,
  'upload.failed': 500,
  'upload.method-not-allowed': 405,
  // Privacy masks (issue 12, point 1)
  'mask.none': 400,
  'mask.already-lifted': 409,
  'mask.not-lifted': 409,
  'evidence.unmasked-needs-reason': 400,
  // The ledger and the data folder
  'audit.unavailable': 503,
  'data.in-use': 409,
  'secrets.key-exposed': 500,
  'secrets.key-damaged': 500,
  // The shared directory on PostgreSQL (issue 13, point 2)
  'directory.bad-url': 400,
  'directory.unreachable': 503,
  'directory.no-database': 503,
  'directory.refused': 503,
  'directory.too-new': 503,
  'directory.full': 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_STATUS, code);
}

/** The HTTP status for an error code; codes made up on the fly (`http.502`) are treated as internal. */
export function httpStatus(code: string): number {
  return isErrorCode(code) ? ERROR_STATUS[code] : 500;
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
  /** For auth.forbidden: the permission the caller lacked. */
  permission?: string;
}

export class WatchroomError extends Error {
  readonly code: string;
  readonly fields: FieldError[] | undefined;
  readonly permission: string | undefined;

  constructor(code: ErrorCode | `http.${number}`, message: string, fields?: FieldError[], permission?: string) {
    super(message);
    this.name = 'WatchroomError';
    this.code = code;
    this.fields = fields;
    this.permission = permission;
  }

  toBody(): ApiErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.permission ? { permission: this.permission } : {}),
    };
  }

  static fromBody(body: ApiErrorBody): WatchroomError {
    const error = new WatchroomError(body.code as ErrorCode, body.message, body.fields, body.permission);
    return error;
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).code === 'string' && typeof (value as ApiErrorBody).message === 'string';
}
