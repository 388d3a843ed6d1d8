/**
 * Serialises work on a SourceBuffer, which rejects an append or remove while the previous one is still
 * `updating`. When the browser's buffer quota is full, room is made (by the owner's rule) and the same
 * append is retried.
 */
type Operation = { kind: 'append'; data: ArrayBuffer } | { kind: 'remove'; start: number; end: number };

export interface SourceBufferQueueHooks {
  /** An append finished. */
  appended(): void;
  /** The range to remove to make room after QuotaExceededError, or null if nothing can go. */
  roomToFree(): readonly [number, number] | null;
  /** The buffer cannot take more media; the session is beyond repair. */
  failed(reason: string): void;
}

export class SourceBufferQueue {
  private readonly operations: Operation[] = [];
  private disposed = false;
  /** What the operation in flight is, so `updateend` knows whether media arrived. */
  private lastKind: Operation['kind'] | null = null;

  constructor(
    private readonly buffer: SourceBuffer,
    private readonly hooks: SourceBufferQueueHooks,
  ) {
    buffer.addEventListener('updateend', this.onUpdateEnd);
    buffer.addEventListener('error', this.onError);
  }

  append(data: ArrayBuffer): void {
    this.operations.push({ kind: 'append', data });
    this.pump();
  }

  /** Queues a removal unless one is already waiting (trims are periodic; one pending is enough). */
  remove(start: number, end: number): void {
    if (end <= start || this.operations.some((op) => op.kind === 'remove')) return;
    this.operations.push({ kind: 'remove', start, end });
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    this.operations.length = 0;
    this.buffer.removeEventListener('updateend', this.onUpdateEnd);
    this.buffer.removeEventListener('error', this.onError);
  }

  private readonly onUpdateEnd = () => {
    if (this.disposed) return;
    if (this.lastKind === 'append') this.hooks.appended();
    this.pump();
  };

  private readonly onError = () => {
    if (!this.disposed) this.hooks.failed('The browser could not read a piece of the stream.');
  };

  private pump(): void {
    const next = this.operations[0];
    if (this.disposed || !next || this.buffer.updating) return;
    try {
      if (next.kind === 'append') this.buffer.appendBuffer(next.data);
      else this.buffer.remove(next.start, next.end);
      this.operations.shift();
      this.lastKind = next.kind;
    } catch (error) {
      if (next.kind === 'append' && error instanceof DOMException && error.name === 'QuotaExceededError') return this.makeRoom();
      console.warn('SourceBuffer', next.kind, error);
      this.hooks.failed('The browser could not take in this camera’s video.');
    }
  }

  /** The failed append stays first in line and runs again once the removal in front of it is done. */
  private makeRoom(): void {
    const range = this.hooks.roomToFree();
    if (!range || range[1] <= range[0]) return this.hooks.failed('The browser has no room left for this stream.');
    this.operations.unshift({ kind: 'remove', start: range[0], end: range[1] });
    this.pump();
  }
}
