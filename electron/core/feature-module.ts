/**
 * A feature of the core as core.ts lists it (go2rtc's shape): its slice of the contract, the media
 * routes it serves, and what it lets go of when the core closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionPerson } from '../../shared/api.js';
import type { Handlers } from './api/handlers.js';

/** A GET under /media/ that a signed link reached; the person is whose session signed it. */
export interface MediaRequest {
  url: URL;
  person: SessionPerson;
  /** Signs another media path for the same session (segment links inside a playlist), for `validMs` (30 min by default). */
  sign(path: string, validMs?: number): string;
  req: IncomingMessage;
  res: ServerResponse;
}

export interface MediaRoute {
  pattern: RegExp;
  serve(request: MediaRequest, match: RegExpExecArray): void | Promise<void>;
}

export interface FeatureModule {
  readonly handlers: Partial<Handlers>;
  readonly mediaRoutes?: readonly MediaRoute[];
  dispose?(): void | Promise<void>;
}
