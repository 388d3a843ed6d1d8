import type { CoreEvent } from '../../../shared/events.js';

/**
 * What `subscribeEvents` delivers: the core's events, plus a note that the event feed dropped and came
 * back, after which anything may have changed unseen and views must reload.
 */
export type ClientEvent = CoreEvent | { type: 'events.reconnected' };

export type ClientEventListener = (event: ClientEvent) => void;

export type SubscribeEvents = (listener: ClientEventListener) => () => void;
