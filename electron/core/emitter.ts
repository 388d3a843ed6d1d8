/**
 * A typed event (VS Code's Emitter/Event shape): `onDidX(listener)` subscribes and returns the
 * function that unsubscribes. Listeners run at once, in order; one may return a promise, and
 * `fire` resolves when all have settled, so a change can wait for what it sets off (a removed
 * camera's stream closing its last segment). A failing listener does not stop the others; `fire`
 * rejects with the first failure afterwards.
 */
export type Event<T> = (listener: (value: T) => void | Promise<void>) => () => void;

export class Emitter<T = void> {
  private readonly listeners = new Set<(value: T) => void | Promise<void>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async fire(value: T): Promise<void> {
    const settled = await Promise.allSettled(
      [...this.listeners].map((listener) => {
        try {
          return Promise.resolve(listener(value));
        } catch (error) {
          return Promise.reject(error);
        }
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
