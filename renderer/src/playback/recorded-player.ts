/**
 * Recorded video through video.js (its HLS engine plays the recorded MPEG-TS segments), addressed in
 * wall-clock time: the page asks for "02:10:00", the player seeks to the matching media time.
 */
import videojs from 'video.js';
import type { RecordedRange } from '../../../shared/api.js';
import { playerSecondsAt, wallMsAt } from './time-mapping';

type VideoJsPlayer = ReturnType<typeof videojs>;

/** How far a growing playlist's end is held back when its target duration is not known yet. */
const SEGMENT_HOLD_BACK_S = 6;
/** The start is reached when the playhead is this close to it (s); it gives up after so many seeks. */
const SETTLED_S = 0.5;
const MAX_START_SEEKS = 5;

export class RecordedPlayer {
  private readonly player: VideoJsPlayer;
  private ranges: RecordedRange[] = [];
  private pendingSeek: number | null = null;
  /** The wall-clock time last asked for: the start, or a seek made before the first play. */
  private requestedWallMs: number;
  /** A start that moves with the clock (instant replay), until the first seek asked for. */
  private start: (() => number) | null = null;
  /** The playhead has reached the start (until then it shows where VHS chose, not where it goes). */
  private started = false;

  /**
   * `start`: where playback must begin, whatever the HLS engine's own idea of a live start; a function
   * is asked again as the first frames play (instant replay: as far behind now as asked, however long
   * loading took).
   */
  constructor(video: HTMLVideoElement, src: string, ranges: RecordedRange[], start: number | (() => number)) {
    this.ranges = ranges;
    const startWallMs = typeof start === 'function' ? start() : start;
    this.requestedWallMs = startWallMs;
    // video.js's own <style> injection would break the page's CSP; its CSS comes from the bundle.
    (window as unknown as { VIDEOJS_NO_DYNAMIC_STYLE: boolean }).VIDEOJS_NO_DYNAMIC_STYLE = true;
    this.player = videojs(video, { controls: false, autoplay: false, muted: true, preload: 'auto', html5: { vhs: { overrideNative: true } } });
    this.player.src({ src, type: 'application/x-mpegURL' });
    this.player.on('loadstart', () => this.shortenLiveHoldBack());
    this.player.on('loadedmetadata', () => {
      if (this.pendingSeek !== null) this.seekTo(this.start?.() ?? this.pendingSeek);
    });
    this.seekTo(startWallMs);
    this.start = typeof start === 'function' ? start : null;
    this.settleStart();
  }

  /**
   * On its first play of a growing playlist VHS may move the playhead to where it thinks a live stream
   * should start (seen: 12 s before EXT-X-START), or to the start of the segment it loaded first: put
   * it where it was last asked to be (a player held paused may have been sought since it was made),
   * checked as it plays until it is there. Never beyond what can be played yet; compared in player
   * time, so a start before the recording (player time 0) is not sought again for nothing.
   */
  private settleStart(): void {
    let seeks = 0;
    const settle = () => {
      if (this.player.seeking() || this.player.readyState() < 1) return;
      const target = playerSecondsAt(this.ranges, this.start?.() ?? this.requestedWallMs);
      const seekable = this.player.seekable();
      if (target === null || seekable.length === 0) return;
      const goal = Math.min(target, seekable.end(seekable.length - 1));
      if (Math.abs((this.player.currentTime() ?? 0) - goal) <= SETTLED_S || ++seeks > MAX_START_SEEKS) {
        this.player.off(['timeupdate', 'seeked'], settle);
        this.started = true;
        return;
      }
      this.player.currentTime(goal);
    };
    const arm = () => {
      seeks = 0;
      this.started = false;
      this.player.off(['timeupdate', 'seeked'], settle);
      // A paused player gets no timeupdate after its seek ends (the one during the seek comes too early).
      this.player.on(['timeupdate', 'seeked'], settle);
    };
    arm();
    // A player held paused may have settled already: its first play is where VHS moves the playhead.
    this.player.one('playing', arm);
  }

  /**
   * VHS keeps three target durations (12–18 s here) between the end of a growing playlist and the
   * furthest a viewer may go: the HLS rule for segments still travelling through CDNs, which its
   * parser enforces on HOLD-BACK too. That would make "back 10 s" land 20 s back. Recorded segments
   * are closed files on this host, so one segment is enough; suggestedPresentationDelay is the value
   * VHS consults before its rule (meant for DASH, honoured for any main playlist).
   */
  private shortenLiveHoldBack(): void {
    type Loader = { main?: { suggestedPresentationDelay?: number; playlists?: Array<{ targetDuration?: number }> }; on(event: string, fn: () => void): void };
    const vhs = (this.player.tech({ IWillNotUseThisInPlugins: true }) as unknown as { vhs?: { playlists?: Loader } }).vhs;
    const loader = vhs?.playlists;
    if (!loader) return;
    const apply = () => {
      const main = loader.main;
      if (main) main.suggestedPresentationDelay = main.playlists?.[0]?.targetDuration ?? SEGMENT_HOLD_BACK_S;
    };
    apply();
    loader.on('loadedplaylist', apply);
  }

  /** Newer ranges (a growing recording, for instant replay). */
  setRanges(ranges: RecordedRange[]): void {
    this.ranges = ranges;
  }

  seekWall(wallMs: number): void {
    this.start = null;
    this.seekTo(wallMs);
  }

  private seekTo(wallMs: number): void {
    this.requestedWallMs = wallMs;
    const seconds = playerSecondsAt(this.ranges, wallMs);
    if (seconds === null) return;
    if (this.player.readyState() < 1) {
      this.pendingSeek = wallMs;
      return;
    }
    this.pendingSeek = null;
    this.player.currentTime(seconds);
  }

  /**
   * The wall-clock time of the frame on screen, or null before the playhead reached the start. Until
   * then the element's time is 0 or where VHS chose: not where the player is going, so not shown.
   */
  wallMs(): number | null {
    if (this.player.isDisposed() || this.player.readyState() < 1 || this.pendingSeek !== null || !this.started) return null;
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
