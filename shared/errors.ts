/** Every error that crosses a process boundary: a code for machines, a sentence for people. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
}

export class WatchroomError extends Error {
  readonly code: string;
  readonly fields: FieldError[] | undefined;

  constructor(code: string, message: string, fields?: FieldError[]) {
    super(message);
    this.name = 'WatchroomError';
    this.code = code;
    this.fields = fields;
  }

  toBody(): ApiErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }

  static fromBody(body: ApiErrorBody): WatchroomError {
    return new WatchroomError(body.code, body.message, body.fields);
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).code === 'string' && typeof (value as ApiErrorBody).message === 'string';
}
