/**
 * A workstation's end of a recorder's relay: one WebSocket per camera stream to the recorder that
 * holds the camera, carrying the live wire protocol of shared/events.ts (the same init segment and
 * fragments a tile gets). The workstation fans it out to its own tiles and windows, so the camera
 * has one RTSP session (the recorder's) however many workstations watch it.
 *
 * What arrives is handed on as the byte stream ffmpeg would have written (init segment, then
 * moof+mdat fragments), so the workstation parses it with the same reader as a local camera.
 */
import WebSocket from 'ws';
import type { StreamVariant } from '../../../shared/events.js';
import type { SigningKey } from '../evidence/signing-key.js';
import { NODE_TOKEN_HEADER, signNodeRequest } from './node-signature.js';
import { NotTheAdmittedProcess, pinnedAgent } from './node-certificate.js';

export interface RelayTarget {
  /** The recorder's id in the site: its token is for it alone. */
  recorderId: string;
  /** The recorder's address, https://host:port. */
  recorderUrl: string;
  /** The signing key the site admitted it with: the relay is opened only to the process whose certificate it issued. */
  recorderKey: string;
  /** Its name, for the sentence a tile shows when the relay drops. */
  recorderName: string;
  cameraId: string;
  stream: StreamVariant;
}

/** A camera stream a workstation gets from a recorder (a kind of stream source beside ffmpeg's). */
export interface RelaySource {
  kind: 'relay';
  target: RelayTarget;
  /** This process, which signs the request. */
  me: { nodeId: string; key: SigningKey };
}

export interface RelayHandlers {
  data(chunk: Buffer): void;
  /** The relay is over, with a sentence saying why; called once. */
  closed(reason: string): void;
}

/** The path a relay is asked for; the node token is signed for exactly this. */
export const relayPath = (cameraId: string, stream: StreamVariant) => `/relay/${encodeURIComponent(cameraId)}?stream=${stream}`;

export function openRelay(target: RelayTarget, me: { nodeId: string; key: SigningKey }, on: RelayHandlers): { close(): void } {
  const path = relayPath(target.cameraId, target.stream);
  let ws: WebSocket;
  try {
    if (!target.recorderUrl.startsWith('https://')) throw new Error(`${target.recorderUrl} is not https://, and a site's processes talk only over TLS`);
    ws = new WebSocket(`wss://${target.recorderUrl.slice('https://'.length)}${path}`, {
      headers: { [NODE_TOKEN_HEADER]: signNodeRequest(me.key, me.nodeId, target.recorderId, path) },
      agent: pinnedAgent(target.recorderKey),
      perMessageDeflate: false,
      handshakeTimeout: 5_000,
    });
  } catch (error) {
    // An address the directory holds that is no address: the relay is over before it began, as for one that cannot be reached.
    queueMicrotask(() => on.closed(`Recorder ${target.recorderName} has no usable address (${(error as Error).message}).`));
    return { close: () => undefined };
  }
  let done = false;
  const finish = (reason: string) => {
    if (done) return;
    done = true;
    on.closed(reason);
  };
  ws.on('message', (data: Buffer, isBinary) => {
    // Text messages announce an init segment (its codec comes again from the moov itself) or a status.
    if (isBinary && !done) on.data(data);
  });
  ws.on('unexpected-response', (_req, res) => {
    // 401: the recorder does not take this workstation for an admitted process (not yet admitted, or the recorder has not been told the site key).
    const why = res.statusCode === 401 ? ': it does not know this workstation as admitted (is the site key confirmed on the recorder?)' : '';
    finish(`Recorder ${target.recorderName} refused the relay (HTTP ${res.statusCode})${why}.`);
    ws.terminate();
  });
  ws.on('error', (error) =>
    finish(error instanceof NotTheAdmittedProcess ? `The process at recorder ${target.recorderName}’s address is not the recorder the site admitted; nothing was asked of it.` : `Recorder ${target.recorderName} cannot be reached (${error.message}).`),
  );
  ws.on('close', (code, reason) => finish(reason.length ? `Recorder ${target.recorderName}: ${reason.toString()}` : `Recorder ${target.recorderName} closed the relay (code ${code}).`));
  return {
    close() {
      done = true;
      ws.terminate();
    },
  };
}
