/**
 * A global limit and a per-host limit on requests in flight. Waiting requests are queued per host
 * and hosts take turns, so one site with many items neither starves the others nor ends up alone
 * at the tail of the run, where its per-host limit would leave the global limit unused.
 */
export class Limiter {
  private active = 0;
  private readonly perHostActive = new Map<string, number>();
  /** Waiting starters per host; Map order is the round-robin order. */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(
    private readonly concurrency: number,
    private readonly perHost: number,
  ) {}

  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(host);
    try {
      return await task();
    } finally {
      this.release(host);
    }
  }

  private canStart(host: string): boolean {
    return this.active < this.concurrency && (this.perHostActive.get(host) ?? 0) < this.perHost;
  }

  private acquire(host: string): Promise<void> {
    if (this.canStart(host) && !this.waiting.has(host)) {
      this.take(host);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(host);
      if (queue) queue.push(resolve);
      else this.waiting.set(host, [resolve]);
    });
  }

  private take(host: string): void {
    this.active++;
    this.perHostActive.set(host, (this.perHostActive.get(host) ?? 0) + 1);
  }

  private release(host: string): void {
    this.active--;
    const left = (this.perHostActive.get(host) ?? 1) - 1;
    if (left === 0) this.perHostActive.delete(host);
    else this.perHostActive.set(host, left);
    let started = true;
    while (started && this.active < this.concurrency) {
      started = false;
      for (const [waitingHost, queue] of this.waiting) {
        if (this.active >= this.concurrency) break;
        if (!this.canStart(waitingHost)) continue;
        const start = queue.shift()!;
        // Re-inserting moves the host to the back of the turn order.
        this.waiting.delete(waitingHost);
        if (queue.length > 0) this.waiting.set(waitingHost, queue);
        this.take(waitingHost);
        start();
        started = true;
      }
    }
  }
}

/** The limiter key of a URL: its host (with port), or the scheme for file URLs. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host || parsed.protocol;
  } catch {
    return url;
  }
}
