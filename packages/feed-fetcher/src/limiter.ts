interface Waiting {
  host: string;
  start: () => void;
}

/**
 * A global limit and a per-host limit on work in flight. Waiting tasks start in order, except that
 * a task for a saturated host does not hold up tasks for other hosts.
 */
export class Limiter {
  private active = 0;
  private readonly perHostActive = new Map<string, number>();
  private readonly queue: Waiting[] = [];

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
    if (this.canStart(host) && !this.queue.some((w) => w.host === host)) {
      this.take(host);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ host, start: resolve }));
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
    for (let i = 0; i < this.queue.length && this.active < this.concurrency; ) {
      const waiting = this.queue[i]!;
      if (this.canStart(waiting.host)) {
        this.queue.splice(i, 1);
        this.take(waiting.host);
        waiting.start();
      } else i++;
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
