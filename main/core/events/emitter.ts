/** A typed event: subscribe with `event(listener)`, which returns a disposer (VS Code's Emitter pattern). */
export type Event<T> = (listener: (value: T) => void) => Disposer;
export type Disposer = () => void;

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Subscribes a listener; the returned function unsubscribes it. */
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Calls every listener with `value`. A throwing listener does not stop the others. */
  fire(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        console.error('event listener failed:', error);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
