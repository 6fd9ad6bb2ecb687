import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { JOB_EXIT, JobTerminatedError, runJob } from './index.js';

const fakeProcess = () => new EventEmitter() as EventEmitter & { emit(event: 'SIGTERM' | 'SIGINT'): boolean };

describe('runJob', () => {
  it('runs the job once and exits with its code', async () => {
    const exits: number[] = [];
    let runs = 0;
    const code = await runJob(
      async () => {
        runs++;
        return 3;
      },
      { signals: fakeProcess(), exit: (c) => exits.push(c) },
    );
    expect([code, exits, runs]).toEqual([3, [3], 1]);
  });

  it('maps success to 0 and a thrown error to 1, logging the failure', async () => {
    const lines: string[] = [];
    expect(await runJob(async () => {}, { signals: fakeProcess(), exit: null })).toBe(JOB_EXIT.ok);
    const failed = await runJob(
      async () => {
        throw new Error('SMTP refused');
      },
      { signals: fakeProcess(), exit: null, log: (l) => lines.push(l) },
    );
    expect(failed).toBe(JOB_EXIT.failed);
    expect(lines.join('\n')).toContain('SMTP refused');
  });

  it('turns SIGTERM into an aborted signal and exits 143 when the job gives up', async () => {
    const proc = fakeProcess();
    let reason: unknown;
    const done = runJob(
      (signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason);
          });
          setImmediate(() => proc.emit('SIGTERM'));
        }),
      { signals: proc, exit: null },
    );
    expect(await done).toBe(JOB_EXIT.terminated);
    expect(reason).toBeInstanceOf(JobTerminatedError);
    expect(proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits anyway when the job ignores SIGTERM past the grace period', async () => {
    const proc = fakeProcess();
    const started = Date.now();
    const code = await runJob(
      () => {
        setImmediate(() => proc.emit('SIGINT'));
        return new Promise<void>(() => {});
      },
      { signals: proc, exit: null, shutdownTimeoutMs: 50 },
    );
    expect(code).toBe(JOB_EXIT.terminated);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when the caller aborts its own signal', async () => {
    const controller = new AbortController();
    const code = runJob(
      (signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => resolve(2));
        }),
      { signal: controller.signal, signals: fakeProcess(), exit: null },
    );
    controller.abort();
    expect(await code).toBe(2);
  });
});
