/**
 * Core events over one shared WebSocket, however many views listen. The socket opens with the first
 * listener, closes with the last, and reconnects with backoff when it drops.
 */
import { reconnectDelayMs } from '../lib/reconnect-backoff';
import type { ClientEvent, ClientEventListener, SubscribeEvents } from './client-event';
import { coreEventSchema, parseMessage } from '../../../shared/schemas.js';
import type { SocketAddress } from './socket-urls';

export function socketEventFeed(address: () => SocketAddress): SubscribeEvents {
  const listeners = new Set<ClientEventListener>();
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const emit = (event: ClientEvent) => listeners.forEach((listener) => listener(event));

  const connect = () => {
    retry = undefined;
    const { url, protocols } = address();
    const ws = new WebSocket(url, protocols);
    socket = ws;
    ws.onopen = () => {
      failures = 0;
      // Also the first time: whatever views loaded before the socket was up may have changed unseen.
      emit({ type: 'events.connected' });
    };
    ws.onmessage = (message) => {
      const event = typeof message.data === 'string' ? parseMessage(coreEventSchema, message.data) : null;
      if (event) emit(event);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      retry = setTimeout(connect, reconnectDelayMs(failures++));
    };
  };

  const disconnect = () => {
    clearTimeout(retry);
    retry = undefined;
    const ws = socket;
    socket = null;
    ws?.close();
    failures = 0;
  };

  return (listener) => {
    listeners.add(listener);
    if (!socket && retry === undefined) connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) disconnect();
    };
  };
}
