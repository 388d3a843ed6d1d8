/**
 * Core events over one shared WebSocket, however many views listen. The socket opens with the first
 * listener, closes with the last, and reconnects with backoff when it drops.
 */
import { Reconnect } from '../lib/reconnect';
import type { ClientEvent, ClientEventListener, SubscribeEvents } from './client-event';
import { coreEventSchema, parseMessage } from '../../../shared/schemas.js';
import type { SocketAddress } from './socket-urls';

export function socketEventFeed(address: () => SocketAddress): SubscribeEvents {
  const listeners = new Set<ClientEventListener>();
  let socket: WebSocket | null = null;

  const emit = (event: ClientEvent) => listeners.forEach((listener) => listener(event));

  const connect = () => {
    const { url, protocols } = address();
    const ws = new WebSocket(url, protocols);
    socket = ws;
    ws.onopen = () => {
      reconnect.succeeded();
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
      reconnect.later();
    };
  };

  const reconnect = new Reconnect(connect);

  const disconnect = () => {
    reconnect.cancel();
    const ws = socket;
    socket = null;
    ws?.close();
  };

  return (listener) => {
    listeners.add(listener);
    if (!socket && !reconnect.pending) connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) disconnect();
    };
  };
}
