/** Runs at most `limit` tasks at once, in the order they were asked for. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  // A finishing task hands its slot straight to the next waiter, so the count never overshoots.
  const release = () => {
    const waiter = queue.shift();
    if (waiter) waiter();
    else active--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/**
 * Runs tasks in the order they were asked for, at most `limit` at once and, while more than one
 * runs, with their weights summing to at most `capacity`. A task heavier than `capacity` runs
 * alone, so nothing waits forever; a heavy task at the head of the queue holds back lighter ones
 * behind it rather than being overtaken indefinitely.
 */
export function createWeightedLimiter(
  limit: number,
  capacity: number,
): <T>(weight: number, task: () => Promise<T>) => Promise<T> {
  let active = 0;
  let used = 0;
  const queue: { weight: number; start: () => void }[] = [];
  const fits = (weight: number) => active === 0 || (active < limit && used + weight <= capacity);
  const drain = () => {
    while (queue.length > 0 && fits(queue[0]!.weight)) {
      const next = queue.shift()!;
      active++;
      used += next.weight;
      next.start();
    }
  };
  return async <T>(weight: number, task: () => Promise<T>): Promise<T> => {
    if (queue.length === 0 && fits(weight)) {
      active++;
      used += weight;
    } else await new Promise<void>((start) => queue.push({ weight, start }));
    try {
      return await task();
    } finally {
      active--;
      used -= weight;
      drain();
    }
  };
}
