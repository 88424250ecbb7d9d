// The end of a server connection as a held request sees it: whether the connection has gone,
// and a call when it goes — the part of AbortSignal that the WS-Man service uses (an
// AbortSignal fits the same type). Not an AbortController: Node's costs ~20 µs to create and
// fire, and every connection had one.

import type { Cancelled } from './wsman-service.ts';

export class ConnectionEnd implements Cancelled {
  aborted = false;
  private listeners: Array<() => void> = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    // As with an AbortSignal, a listener added after the end is never called.
    if (!this.aborted && !this.listeners.includes(listener)) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  /** Marks the end and calls the listeners, once, in the order they were added. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) l();
  }
}
