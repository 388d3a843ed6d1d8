/**
 * The fragments since a camera's last keyframe, so a late subscriber starts playing at once. They are
 * copied into one buffer per camera, reused from keyframe to keyframe, rather than kept as the pipe's
 * own chunks: a chunk kept for two seconds outlives V8's young generation and is promoted, and at a
 * hundred cameras collecting those promoted chunks was most of what a recorder nobody watched cost
 * (bench:hundred-cameras). Copied in, a chunk dies young and cheaply.
 */
const FIRST_BYTES = 512 * 1024;

export class GopCache {
  private arena = Buffer.allocUnsafe(0);
  private used = 0;
  /** Where each fragment ends in the arena. */
  private readonly ends: number[] = [];
  /** A frame was left out: those after it cannot be decoded without it. */
  private closed = false;

  constructor(private readonly maxBytes: number) {}

  /** A keyframe starts a new GOP; a frame that would take the GOP past maxBytes is not kept (nor those after it). */
  add(bytes: Buffer, keyframe: boolean): void {
    if (keyframe) this.clear();
    if (this.closed || (!keyframe && this.ends.length === 0)) return;
    if (this.used + bytes.length > this.maxBytes) {
      this.closed = true;
      return;
    }
    if (this.used + bytes.length > this.arena.length) this.grow(this.used + bytes.length);
    bytes.copy(this.arena, this.used);
    this.used += bytes.length;
    this.ends.push(this.used);
  }

  /** The cached fragments, as a copy of their own: the arena is written over at the next keyframe. */
  fragments(): Buffer[] {
    if (this.ends.length === 0) return [];
    const copy = Buffer.from(this.arena.subarray(0, this.used));
    return this.ends.map((end, i) => copy.subarray(i === 0 ? 0 : this.ends[i - 1], end));
  }

  clear(): void {
    this.used = 0;
    this.ends.length = 0;
    this.closed = false;
  }

  private grow(atLeast: number): void {
    let size = Math.max(this.arena.length * 2, FIRST_BYTES);
    while (size < atLeast) size *= 2;
    const bigger = Buffer.allocUnsafe(Math.min(size, this.maxBytes));
    this.arena.copy(bigger, 0, 0, this.used);
    this.arena = bigger;
  }
}
