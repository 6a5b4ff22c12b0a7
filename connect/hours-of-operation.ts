/**
 * When agents take calls, declared once: CDK creates `AWS::Connect::HoursOfOperation` from it (the time
 * zone comes from the deployment config), and the twin's `CheckHoursOfOperation` block reads it.
 */

export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
export const WEEKDAYS: readonly Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export interface HoursOfOperation {
  readonly description: string;
  /** IANA time zone (the twin's; AWS takes the deployment's `hoursOfOperationTimeZone`). */
  readonly timeZone: string;
  /**
   * Open from `start` to `end` (HH:MM, end exclusive) on each listed day. An `end` of `00:00` is the
   * midnight that ends the day, as in Connect ("To specify midnight, enter 12:00AM": 00:00–00:00 is
   * open all day; https://docs.aws.amazon.com/connect/latest/adminguide/set-hours-operation.html).
   */
  readonly schedule: ReadonlyArray<{ readonly day: Weekday; readonly start: string; readonly end: string }>;
}

export const AGENT_HOURS: HoursOfOperation = {
  description: 'When agents take password-reset calls',
  timeZone: 'America/New_York',
  schedule: WEEKDAYS.map((day) => ({ day, start: '00:00', end: '00:00' })),
};

const endOf = (slot: { end: string }) => (slot.end === '00:00' ? '24:00' : slot.end);

/**
 * Slots the twin will not model: an end before or at the start, other than midnight (a slot across
 * midnight, or an empty one). The Connect page documents midnight as an end, not how other such slots
 * behave, so rather than guess, they are refused.
 */
export function hoursProblems(hours: HoursOfOperation): string[] {
  return hours.schedule
    .filter((slot) => endOf(slot) <= slot.start)
    .map((slot) => `${slot.day} ${slot.start}-${slot.end}: the end must be after the start (00:00 for midnight)`);
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one (#21 profile). */
const weekdayClocks = new Map<string, Intl.DateTimeFormat>();

function weekdayClock(timeZone: string): Intl.DateTimeFormat {
  let clock = weekdayClocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    weekdayClocks.set(timeZone, clock);
  }
  return clock;
}

/** Whether `at` falls in the hours, in their time zone. */
export function isOpen(hours: HoursOfOperation, at: Date): boolean {
  const parts = Object.fromEntries(
    weekdayClock(hours.timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const day = String(parts.weekday).toUpperCase();
  const time = `${parts.hour}:${parts.minute}`;
  return hours.schedule.some((slot) => slot.day === day && time >= slot.start && time < endOf(slot));
}

export function hhmm(time: string): { hours: number; minutes: number } {
  const [h, m] = time.split(':').map(Number);
  return { hours: h!, minutes: m! };
}
