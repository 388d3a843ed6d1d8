/**
 * Reasons for looking back. Live viewing is instant, and so is instant replay of the last few
 * minutes; anything older is watched in a playback session opened with a reason or a case reference
 * (while the administrator's setting asks for one, which it does by default). A playback session is
 * in the ledger when it opens, with its reason, and when it closes, with how long it lasted; each
 * playlist served under it names it. So the ledger says who looked back at what, why, and for how long.
 */
import { randomUUID } from 'node:crypto';
import type { SessionPerson } from '../../../shared/api.js';
import { WatchroomError } from '../../../shared/errors.js';
import type { Handlers } from '../api/handlers.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { FeatureModule } from '../feature-module.js';
import type { SettingsStore } from '../settings/settings-store.js';

/** How far back instant replay reaches without a playback session. */
export const INSTANT_REPLAY_MS = 5 * 60_000;

interface Viewing {
  id: string;
  person: SessionPerson;
  openedMs: number;
  stopWatching: () => void;
}

/** The playback session a media link names (`?viewing=`): null for none, undefined when it is no session id. */
export function viewingParam(url: URL): string | null | undefined {
  const id = url.searchParams.get('viewing');
  if (id === null) return null;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : undefined;
}

/** What a request for recorded media may see: all it asked for, only the instant-replay window, or nothing. */
export type LookBackAnswer = { ok: true; viewingId: string | null; fromMs: number } | { ok: false; message: string };

export interface LookingBack extends FeatureModule {
  /**
   * Whether `person` may see recorded footage from `fromMs` on (starting at `startMs`) under the
   * playback session `viewingId` (null: none, instant replay at most).
   */
  check(person: SessionPerson, viewingId: string | null, fromMs: number, startMs: number): LookBackAnswer;
  /** Refuses marking the moment `atMs` unless `person` could be watching it now: instant replay, no question asked, or a playback session of theirs open. */
  requireWatchable(person: SessionPerson, atMs: number): void;
}

export function createLookingBack(deps: { settings: SettingsStore; ledger: AuditLedger; watchSession(token: string | null, onEnd: () => void): () => void; now?: () => number }): LookingBack {
  const now = deps.now ?? Date.now;
  const viewings = new Map<string, Viewing>();
  const reasonRequired = () => deps.settings.get('playbackReasonRequired') !== false;
  /** Ends a playback session; what its closing entry says (null if it had ended already). */
  const end = (viewing: Viewing, why: 'closed' | 'session-ended' | 'shutdown') => {
    if (!viewings.delete(viewing.id)) return null;
    viewing.stopWatching();
    return { seconds: Math.round((now() - viewing.openedMs) / 1000), why };
  };
  /** Ended without the person asking (their session ended, Watchroom stopped): entered here. */
  const endUnasked = (viewing: Viewing, why: 'session-ended' | 'shutdown') => {
    const details = end(viewing, why);
    if (details) deps.ledger.append({ name: viewing.person.name, role: viewing.person.role }, 'playback.close', viewing.id, details);
  };

  const handlers = {
    getViewingPolicy: async () => ({ reasonRequired: reasonRequired(), instantReplayMinutes: INSTANT_REPLAY_MS / 60_000 }),
    setViewingPolicy: async ({ reasonRequired: next }, ctx) => {
      const before = reasonRequired();
      deps.settings.set('playbackReasonRequired', next);
      ctx.record('viewing-policy', { reasonRequired: { before, after: next } });
      return { reasonRequired: next, instantReplayMinutes: INSTANT_REPLAY_MS / 60_000 };
    },
    openPlayback: async ({ reason, caseReference }, ctx) => {
      if (reasonRequired() && !reason && !caseReference) throw new WatchroomError('playback.reason-required', 'Say why you are looking back, or give the case reference.');
      const person = ctx.person!;
      const id = randomUUID();
      const viewing: Viewing = { id, person, openedMs: now(), stopWatching: () => undefined };
      viewings.set(id, viewing);
      // A session that ends (sign-out, the account disabled) ends its playback with it.
      viewing.stopWatching = deps.watchSession(ctx.token, () => endUnasked(viewing, 'session-ended'));
      ctx.record(id, { reason, caseReference });
      return { id };
    },
    closePlayback: async ({ id }, ctx) => {
      const viewing = viewings.get(id);
      if (!viewing || viewing.person.id !== ctx.person?.id) throw new WatchroomError('playback.not-found', 'That playback has already closed.');
      ctx.record(id, end(viewing, 'closed')!);
      return null;
    },
  } satisfies Partial<Handlers>;

  const check: LookingBack['check'] = (person, viewingId, fromMs, startMs) => {
    if (viewingId !== null) {
      const viewing = viewings.get(viewingId);
      if (viewing && viewing.person.id === person.id) return { ok: true, viewingId, fromMs };
      return { ok: false, message: 'This playback has closed; open Playback again.' };
    }
    if (!reasonRequired()) return { ok: true, viewingId: null, fromMs };
    const instantFrom = now() - INSTANT_REPLAY_MS;
    if (startMs < instantFrom) return { ok: false, message: `Looking back more than ${INSTANT_REPLAY_MS / 60_000} minutes needs a reason: open Playback and say why.` };
    return { ok: true, viewingId: null, fromMs: Math.max(fromMs, instantFrom) };
  };

  return {
    handlers,
    check,
    requireWatchable(person, atMs) {
      const answer = check(person, null, atMs, atMs);
      if (!answer.ok && ![...viewings.values()].some((v) => v.person.id === person.id)) throw new WatchroomError('playback.reason-required', answer.message);
    },
    dispose() {
      for (const viewing of [...viewings.values()]) endUnasked(viewing, 'shutdown');
    },
  };
}
