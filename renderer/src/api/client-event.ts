import type { CoreEvent } from '../../../shared/events.js';

/**
 * What `subscribeEvents` delivers: the core's events, plus a note each time the event feed connects
 * (the first time too): what views loaded before that may have changed unseen, so they reload.
 */
export type ClientEvent = CoreEvent | { type: 'events.connected' };

export type ClientEventListener = (event: ClientEvent) => void;

export type SubscribeEvents = (listener: ClientEventListener) => () => void;
