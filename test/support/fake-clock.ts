/**
 * A fake clock for the twin (`TwinOptions.clock`): `@sinonjs/fake-timers`' standalone clock (it
 * touches no global), adapted to the twin's Clock interface. Tests move time with `tick` instead of
 * sleeping.
 */
import { createClock } from '@sinonjs/fake-timers';
import type { Clock } from '../../local/time/clock';

export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers. */
  tick(ms: number): void;
  /** Timers waiting to fire. */
  countTimers(): number;
}

export function fakeClock(start = Date.now()): FakeClock {
  const clock = createClock(start);
  return {
    now: () => clock.now,
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
    clearTimeout: (timer) => clock.clearTimeout(timer as number),
    setInterval: (callback, ms) => clock.setInterval(callback, ms),
    clearInterval: (timer) => clock.clearInterval(timer as number),
    tick: (ms) => {
      clock.tick(ms);
    },
    countTimers: () => clock.countTimers(),
  };
}
