/**
 * One MediaSource attached to the video, fed one stream from one `init` on. Timestamps restart when
 * the upstream restarts, so every new `init` gets a fresh session instead of reusing this one.
 */
import { SourceBufferQueue } from './source-buffer-queue';

/** Keep about this much behind the playhead; enough for a glance back, small enough for many tiles. */
const KEEP_BEHIND_S = 10;
const TRIM_WHEN_BUFFERED_S = 20;
/** After QuotaExceededError: keep only this much behind the playhead. */
const KEEP_BEHIND_WHEN_FULL_S = 2;

export interface MediaSourceSessionHooks {
  /** The first media is buffered and playback was started at its beginning. */
  started(): void;
  /** This session cannot go on; the owner should start over. */
  failed(reason: string): void;
}

export class MediaSourceSession {
  private readonly mediaSource = new MediaSource();
  private readonly objectUrl: string;
  private queue: SourceBufferQueue | null = null;
  /** Bytes that arrive before the MediaSource opens. */
  private readonly early: ArrayBuffer[] = [];
  private hasStarted = false;
  private closed = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly mimeType: string,
    private readonly hooks: MediaSourceSessionHooks,
  ) {
    this.objectUrl = URL.createObjectURL(this.mediaSource);
    this.mediaSource.addEventListener('sourceopen', this.onSourceOpen, { once: true });
    video.addEventListener('error', this.onVideoError);
    video.src = this.objectUrl;
  }

  /** The init segment first, then fragments, exactly as they came off the socket. */
  append(data: ArrayBuffer): void {
    if (this.closed) return;
    if (this.queue) this.queue.append(data);
    else this.early.push(data);
  }

  /** Drops old media once more than TRIM_WHEN_BUFFERED_S is held; called periodically. */
  trim(): void {
    const buffered = this.video.buffered;
    if (!this.queue || buffered.length === 0) return;
    const start = buffered.start(0);
    const end = buffered.end(buffered.length - 1);
    const keepFrom = this.video.currentTime - KEEP_BEHIND_S;
    if (end - start > TRIM_WHEN_BUFFERED_S && keepFrom > start) this.queue.remove(0, keepFrom);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue?.dispose();
    this.mediaSource.removeEventListener('sourceopen', this.onSourceOpen);
    this.video.removeEventListener('error', this.onVideoError);
    URL.revokeObjectURL(this.objectUrl);
    this.video.removeAttribute('src');
    // Detaches the MediaSource and frees its buffers now rather than at garbage collection.
    this.video.load();
  }

  private readonly onSourceOpen = () => {
    if (this.closed) return;
    let buffer: SourceBuffer;
    try {
      buffer = this.mediaSource.addSourceBuffer(this.mimeType);
    } catch (error) {
      // The browser's own words name codecs and MIME types: the console keeps them, the tile says what it means.
      console.warn('addSourceBuffer', this.mimeType, error);
      this.hooks.failed('This browser cannot play the camera’s video format.');
      return;
    }
    this.queue = new SourceBufferQueue(buffer, {
      appended: this.onAppended,
      roomToFree: this.roomToFree,
      failed: (reason) => this.hooks.failed(reason),
    });
    for (const data of this.early.splice(0)) this.queue.append(data);
  };

  private readonly onAppended = () => {
    const buffered = this.video.buffered;
    if (this.hasStarted || buffered.length === 0) return;
    this.hasStarted = true;
    // Camera timestamps rarely start at zero: start where the first keyframe actually is.
    this.video.currentTime = buffered.start(0);
    this.hooks.started();
  };

  private readonly roomToFree = (): readonly [number, number] | null => {
    const buffered = this.video.buffered;
    if (buffered.length === 0) return null;
    const end = this.video.currentTime - KEEP_BEHIND_WHEN_FULL_S;
    return end > buffered.start(0) ? [0, end] : null;
  };

  private readonly onVideoError = () => {
    if (this.closed || !this.video.error) return;
    console.warn('video error', this.video.error.code, this.video.error.message);
    this.hooks.failed('The browser stopped decoding this camera’s video.');
  };
}
