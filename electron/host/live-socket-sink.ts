/** Adapts a WebSocket to a stream subscriber, speaking the live wire protocol of shared/events.ts. */
import type { WebSocket } from 'ws';
import { LIVE_CLOSE_CAMERA_GONE, type LiveServerMessage } from '../../shared/events.js';
import type { StreamSink } from '../core/streams/stream-fanout.js';

export function liveSocketSink(ws: WebSocket): StreamSink {
  const send = (data: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(data);
  };
  return {
    init(codec, path, bytes) {
      const message: LiveServerMessage = { type: 'init', codec, path };
      send(JSON.stringify(message));
      send(bytes);
    },
    fragment(bytes) {
      send(bytes);
    },
    backlog() {
      return ws.bufferedAmount;
    },
    end(reason) {
      ws.close(LIVE_CLOSE_CAMERA_GONE, reason.slice(0, 120));
    },
  };
}
