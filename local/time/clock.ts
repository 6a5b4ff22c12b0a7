/**
 * The twin's sense of time, injectable: Connect's idle hang-up, its 8-second Lambda limit, Lambda's
 * own timeout and the fault injector's delays all read this clock. `npm start` uses the system clock;
 * a test passes a fake one (test/support/fake-clock.ts, over `@sinonjs/fake-timers`) and moves time
 * forward instead of sleeping.
 */

/** An opaque timer handle (NodeJS.Timeout with the system clock, a number with a fake one). */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(timer: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(timer: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
  // The twin's housekeeping never keeps a process alive on its own.
  setInterval: (callback, ms) => setInterval(callback, ms).unref(),
  clearInterval: (timer) => clearInterval(timer as NodeJS.Timeout),
};

/** Resolves after `ms` on `clock`. */
export function sleepOn(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
