/**
 * A live camera on a <video>: WebSocket in (shared/events.ts LiveServerMessage protocol), Media Source
 * Extensions out. Recovers by itself: a dropped socket reconnects with backoff, a new `init` (upstream
 * restart) or a broken decoder starts a fresh MediaSource. Plain TypeScript, no React, so it can be
 * driven and measured without a UI.
 *
 * Measurements land on the element for benchmarks and tests: `data-lag-ms` (newest buffered media
 * minus playhead) and `data-first-frame-ms` (connection attempt to first presented frame, per connection).
 */
import type { StreamStatus } from '../../../shared/events.js';
import { Reconnect } from '../lib/reconnect';
import { onFirstFrame } from './first-frame';
import { bufferedRanges, followLiveEdge } from './live-edge';
import { MediaSourceSession } from './media-source-session';
import { liveServerMessageSchema, parseMessage } from '../../../shared/schemas.js';
import type { SocketAddress } from '../api/socket-urls';

const TICK_MS = 250;

export interface LivePlayerHooks {
  /** A status the server pushed on the live socket. */
  status?(status: StreamStatus): void;
  /** Why this display cannot show the stream, or null once it can again. */
  problem?(message: string | null): void;
  /** The live socket opened (true) or dropped (false): while down, the picture is frozen whatever the core says. */
  linkUp?(up: boolean): void;
}

export class LivePlayer {
  private socket: WebSocket | null = null;
  private session: MediaSourceSession | null = null;
  private readonly reconnect = new Reconnect(() => void this.connect());
  private tick: ReturnType<typeof setInterval> | undefined;
  /** When the current socket opened, until its first frame is measured. */
  private openedAt: number | null = null;
  private cancelFirstFrame: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly socketAddress: () => Promise<SocketAddress>,
    private readonly hooks: LivePlayerHooks = {},
  ) {}

  start(): void {
    this.video.muted = true;
    this.video.autoplay = true;
    this.video.playsInline = true;
    this.tick = setInterval(() => this.followLiveEdge(), TICK_MS);
    void this.connect();
  }

  destroy(): void {
    this.stopped = true;
    clearInterval(this.tick);
    this.reconnect.cancel();
    this.closeSocket();
    this.endSession();
  }

  private async connect(): Promise<void> {
    let address: SocketAddress;
    try {
      address = await this.socketAddress();
    } catch {
      return this.reconnectLater();
    }
    if (this.stopped) return;
    // Timed from the connection attempt, so the handshake counts towards time to first frame.
    this.openedAt = performance.now();
    const ws = new WebSocket(address.url, address.protocols);
    ws.binaryType = 'arraybuffer';
    this.socket = ws;
    ws.onopen = () => {
      this.hooks.linkUp?.(true);
    };
    ws.onmessage = (message: MessageEvent<string | ArrayBuffer>) => {
      if (this.socket === ws) this.receive(message.data);
    };
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.hooks.linkUp?.(false);
      // The last picture stays up until the stream is back: better than a black tile for the operator.
      this.reconnectLater();
    };
  }

  private reconnectLater(): void {
    if (!this.stopped) this.reconnect.later();
  }

  private closeSocket(): void {
    const ws = this.socket;
    this.socket = null;
    ws?.close();
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') {
      this.session?.append(data);
      return;
    }
    const message = parseMessage(liveServerMessageSchema, data);
    if (message?.type === 'status') this.hooks.status?.(message.status);
    if (message?.type === 'init') this.beginStream(message.codec);
  }

  private beginStream(codec: string): void {
    this.endSession();
    const mimeType = `video/mp4; codecs="${codec}"`;
    if (typeof MediaSource === 'undefined' || !MediaSource.isTypeSupported(mimeType)) {
      // Bytes of this stream are dropped (no session); a later `init` with a playable codec recovers.
      this.hooks.problem?.(`This display cannot decode the stream (codec ${codec}).`);
      return;
    }
    this.hooks.problem?.(null);
    this.session = new MediaSourceSession(this.video, mimeType, {
      started: () => {
        // Only a stream that actually plays resets the backoff; one that connects and then breaks does not.
        this.reconnect.succeeded();
        this.play();
      },
      failed: (reason) => this.startOver(reason),
    });
    if (this.openedAt !== null) this.measureFirstFrame(this.openedAt);
  }

  private endSession(): void {
    this.cancelFirstFrame?.();
    this.cancelFirstFrame = null;
    this.session?.destroy();
    this.session = null;
  }

  /** A broken session is rebuilt from a fresh connection: the server resends init and the cached keyframe. */
  private startOver(reason: string): void {
    console.warn(`Live player restarting: ${reason}`);
    this.endSession();
    this.closeSocket();
    this.reconnectLater();
  }

  private measureFirstFrame(openedAt: number): void {
    this.cancelFirstFrame = onFirstFrame(this.video, () => {
      this.cancelFirstFrame = null;
      this.video.dataset.firstFrameMs = String(Math.round(performance.now() - openedAt));
      this.openedAt = null;
    });
  }

  private play(): void {
    // Muted autoplay is allowed everywhere we run; a refusal is retried by the next tick.
    this.video.play().catch(() => undefined);
  }

  private followLiveEdge(): void {
    const session = this.session;
    if (!session) return;
    const decision = followLiveEdge(bufferedRanges(this.video.buffered), this.video.currentTime);
    if (!decision) return;
    this.video.dataset.lagMs = String(Math.round(decision.lag * 1000));
    const { action } = decision;
    if (action.kind === 'seek') this.video.currentTime = action.to;
    else if (this.video.playbackRate !== action.rate) this.video.playbackRate = action.rate;
    session.trim();
    if (this.video.paused) this.play();
  }
}
