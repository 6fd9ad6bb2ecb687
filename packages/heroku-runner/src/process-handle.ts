/**
 * The slice of Node's `process` that the process-model helpers touch. `startWeb` and `runJob` are
 * the one documented exception to "libraries never exit": their whole job is the dyno's lifecycle,
 * so they listen for SIGTERM/SIGINT and end the process. Both take these handles as options
 * (defaulting to the real `process`) so callers and tests can inject their own.
 */
export interface SignalSource {
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/** Ends the process with a code. `null` means: do not exit, only report the code. */
export type ExitFn = ((code: number) => void) | null;

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Heroku sends SIGKILL 30 s after SIGTERM; finishing within 25 s leaves room for the exit itself. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

export const defaultExit = (code: number): void => {
  process.exit(code);
};

/**
 * Subscribes one listener to SIGTERM and SIGINT; returns the unsubscribe function. The listener
 * stays subscribed until then, so a second signal during shutdown is absorbed instead of killing
 * the process with the default action (Node restores it when the last listener goes).
 */
export function onShutdownSignal(source: SignalSource, listener: (signal: 'SIGTERM' | 'SIGINT') => void): () => void {
  const handlers = SHUTDOWN_SIGNALS.map((signal) => {
    const handler = () => listener(signal);
    source.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) source.off(signal, handler);
  };
}
