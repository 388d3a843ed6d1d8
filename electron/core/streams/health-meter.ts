/**
 * Frames per second and bit rate over a sliding window, and the time of the last frame. Told of every
 * frame of every camera, so it records into a ring of numbers and allocates nothing per frame.
 */
const WINDOW_MS = 2_000;

export class HealthMeter {
  /** Frame records, oldest at `head`: when, how many bytes, how many frames. Grows only if a window holds more. */
  private at = new Float64Array(128);
  private bytes = new Float64Array(128);
  private frames = new Float64Array(128);
  private head = 0;
  private count = 0;
  /** Totals of the records in the ring, kept as they come and go. */
  private windowBytes = 0;
  private windowFrames = 0;
  private lastFrameAt: number | null = null;

  record(at: number, bytes: number, frames: number): void {
    this.prune(at);
    if (this.count === this.at.length) this.grow();
    const i = (this.head + this.count) % this.at.length;
    this.at[i] = at;
    this.bytes[i] = bytes;
    this.frames[i] = frames;
    this.count++;
    this.windowBytes += bytes;
    this.windowFrames += frames;
    this.lastFrameAt = at;
  }

  snapshot(flowing = true, now = Date.now()): { fps: number; kbps: number; lastFrameAt: number | null } {
    if (!flowing) return { fps: 0, kbps: 0, lastFrameAt: this.lastFrameAt };
    this.prune(now);
    const bytes = this.windowBytes;
    const frames = this.windowFrames;
    const seconds = WINDOW_MS / 1000;
    return { fps: Math.round((frames / seconds) * 10) / 10, kbps: Math.round((bytes * 8) / 1000 / seconds), lastFrameAt: this.lastFrameAt };
  }

  private prune(now: number): void {
    while (this.count > 0 && this.at[this.head]! < now - WINDOW_MS) {
      this.windowBytes -= this.bytes[this.head]!;
      this.windowFrames -= this.frames[this.head]!;
      this.head = (this.head + 1) % this.at.length;
      this.count--;
    }
  }

  private grow(): void {
    const size = this.at.length * 2;
    const order = (from: Float64Array) => {
      const to = new Float64Array(size);
      for (let k = 0; k < this.count; k++) to[k] = from[(this.head + k) % from.length]!;
      return to;
    };
    this.at = order(this.at);
    this.bytes = order(this.bytes);
    this.frames = order(this.frames);
    this.head = 0;
  }
}
