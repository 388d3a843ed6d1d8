/**
 * Lifetimes in one shape (VS Code's IDisposable): whatever holds a timer, a child or a socket hands out
 * a disposable, and its owner releases everything it holds with one dispose().
 */
export interface Disposable {
  dispose(): void;
}

export const toDisposable = (release: () => void): Disposable => ({ dispose: release });

export function timeout(run: () => void, ms: number): Disposable {
  const timer = setTimeout(run, ms);
  return toDisposable(() => clearTimeout(timer));
}

export function interval(run: () => void, ms: number): Disposable {
  const timer = setInterval(run, ms);
  return toDisposable(() => clearInterval(timer));
}

/** Owns what is added to it until it is disposed. */
export class DisposableStore implements Disposable {
  private readonly held = new Set<Disposable>();

  add<T extends Disposable>(item: T): T {
    this.held.add(item);
    return item;
  }

  dispose(): void {
    for (const item of this.held) item.dispose();
    this.held.clear();
  }
}

/** At most one disposable per key: setting a key disposes what it held (a named, re-armable timer). */
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
