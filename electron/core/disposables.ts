/**
 * Lifetimes in one shape (VS Code's IDisposable): whatever holds a timer, a child or a socket hands out
 * a disposable, and its owner releases everything it holds with one dispose().
 */
export interface Disposable {
  dispose(): void;
}

export function toDisposable(release: () => void): Disposable {
  let done = false;
  return { dispose: () => (done ? undefined : ((done = true), release())) };
}

export function timeout(run: () => void, ms: number): Disposable {
  const timer = setTimeout(run, ms);
  return toDisposable(() => clearTimeout(timer));
}

export function interval(run: () => void, ms: number): Disposable {
  const timer = setInterval(run, ms);
  return toDisposable(() => clearInterval(timer));
}

/** Owns disposables until it is disposed; one added after that is disposed at once. */
export class DisposableStore implements Disposable {
  private readonly held = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.held.add(item);
    return item;
  }

  dispose(): void {
    this.disposed = true;
    for (const item of this.held) item.dispose();
    this.held.clear();
  }
}

/** Holds at most one disposable per key: setting a key disposes what it held (a named, re-armable timer). */
export class DisposableMap<K> implements Disposable {
  private readonly held = new Map<K, Disposable>();

  set(key: K, item: Disposable): void {
    this.held.get(key)?.dispose();
    this.held.set(key, item);
  }

  delete(key: K): void {
    this.held.get(key)?.dispose();
    this.held.delete(key);
  }

  dispose(): void {
    for (const item of this.held.values()) item.dispose();
    this.held.clear();
  }
}
