/** Frames per second and bit rate over a sliding window, and the time of the last frame. */
const WINDOW_MS = 2_000;

export class HealthMeter {
  private samples: Array<{ at: number; bytes: number; frames: number }> = [];
  private lastFrameAt: number | null = null;

  record(at: number, bytes: number, frames: number): void {
    this.samples.push({ at, bytes, frames });
    this.lastFrameAt = at;
    this.prune(at);
  }

  snapshot(flowing = true, now = Date.now()): { fps: number; kbps: number; lastFrameAt: number | null } {
    if (!flowing) return { fps: 0, kbps: 0, lastFrameAt: this.lastFrameAt };
    this.prune(now);
    let bytes = 0;
    let frames = 0;
    for (const s of this.samples) {
      bytes += s.bytes;
      frames += s.frames;
    }
    const seconds = WINDOW_MS / 1000;
    return { fps: Math.round((frames / seconds) * 10) / 10, kbps: Math.round((bytes * 8) / 1000 / seconds), lastFrameAt: this.lastFrameAt };
  }

  private prune(now: number): void {
    while (this.samples.length && this.samples[0]!.at < now - WINDOW_MS) this.samples.shift();
  }
}
