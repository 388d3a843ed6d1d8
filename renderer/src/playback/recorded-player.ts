/**
 * Recorded video through video.js (its HLS engine plays the recorded MPEG-TS segments), addressed in
 * wall-clock time: the page asks for "02:10:00", the player seeks to the matching media time.
 */
import videojs from 'video.js';
import type { RecordedRange } from '../../../shared/api.js';
import { playerSecondsAt, wallMsAt } from './time-mapping';

type VideoJsPlayer = ReturnType<typeof videojs>;

export class RecordedPlayer {
  private readonly player: VideoJsPlayer;
  private ranges: RecordedRange[] = [];
  private pendingSeek: number | null = null;

  constructor(video: HTMLVideoElement, src: string, ranges: RecordedRange[]) {
    this.ranges = ranges;
    // video.js's own <style> injection would break the page's CSP; its CSS comes from the bundle.
    (window as unknown as { VIDEOJS_NO_DYNAMIC_STYLE: boolean }).VIDEOJS_NO_DYNAMIC_STYLE = true;
    this.player = videojs(video, { controls: false, autoplay: false, muted: true, preload: 'auto', html5: { vhs: { overrideNative: true } } });
    this.player.src({ src, type: 'application/x-mpegURL' });
    this.player.on('loadedmetadata', () => {
      if (this.pendingSeek !== null) this.seekWall(this.pendingSeek);
    });
  }

  /** Newer ranges (a growing recording, for instant replay). */
  setRanges(ranges: RecordedRange[]): void {
    this.ranges = ranges;
  }

  seekWall(wallMs: number): void {
    const seconds = playerSecondsAt(this.ranges, wallMs);
    if (seconds === null) return;
    if (this.player.readyState() < 1) {
      this.pendingSeek = wallMs;
      return;
    }
    this.pendingSeek = null;
    this.player.currentTime(seconds);
  }

  /** The wall-clock time of the frame on screen, or null before anything is loaded. */
  wallMs(): number | null {
    return wallMsAt(this.ranges, this.player.currentTime() ?? 0);
  }

  play(): void {
    void this.player.play()?.catch(() => undefined);
  }

  pause(): void {
    this.player.pause();
  }

  paused(): boolean {
    return this.player.paused();
  }

  setRate(rate: number): void {
    this.player.playbackRate(rate);
  }

  /** One frame forward (at the camera's nominal 25 fps), paused. */
  stepFrame(): void {
    this.pause();
    this.player.currentTime((this.player.currentTime() ?? 0) + 1 / 25);
  }

  dispose(): void {
    this.player.dispose();
  }
}
