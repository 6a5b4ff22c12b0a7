/**
 * The agents' hours as Connect reads them: an end of 00:00 is the midnight that ends the day
 * (https://docs.aws.amazon.com/connect/latest/adminguide/set-hours-operation.html, "How to specify
 * midnight"), so the desk's all-day schedule has no closed minute before midnight.
 */
import { AGENT_HOURS, type HoursOfOperation, hoursProblems, isOpen } from '../../connect/hours-of-operation';

const utc = (schedule: HoursOfOperation['schedule']): HoursOfOperation => ({ description: 't', timeZone: 'UTC', schedule });

it('keeps the agents open through the last minute of every day', () => {
  // 2026-11-26 is a Thursday; 23:59:30 in New York is 04:59:30 UTC the next day.
  expect(isOpen(AGENT_HOURS, new Date('2026-11-27T04:59:30Z'))).toBe(true);
  expect(isOpen(AGENT_HOURS, new Date('2026-11-27T05:00:30Z'))).toBe(true);
  expect(AGENT_HOURS.schedule.map((s) => `${s.start}-${s.end}`)).toEqual(Array(7).fill('00:00-00:00'));
});

it('reads an end of 00:00 as midnight, and any other end as exclusive', () => {
  const evening = utc([{ day: 'THURSDAY', start: '22:00', end: '00:00' }]);
  expect(isOpen(evening, new Date('2026-11-26T23:59:59Z'))).toBe(true);
  expect(isOpen(evening, new Date('2026-11-26T21:59:59Z'))).toBe(false);
  expect(isOpen(evening, new Date('2026-11-27T00:00:00Z'))).toBe(false); // Friday
  const office = utc([{ day: 'THURSDAY', start: '09:00', end: '17:00' }]);
  expect(isOpen(office, new Date('2026-11-26T16:59:00Z'))).toBe(true);
  expect(isOpen(office, new Date('2026-11-26T17:00:00Z'))).toBe(false);
});

it('refuses, rather than guesses, a slot that ends before or at its start (other than midnight)', () => {
  expect(hoursProblems(AGENT_HOURS)).toEqual([]);
  expect(hoursProblems(utc([{ day: 'THURSDAY', start: '22:00', end: '00:00' }]))).toEqual([]);
  expect(hoursProblems(utc([{ day: 'FRIDAY', start: '22:00', end: '02:00' }]))).toEqual([
    'FRIDAY 22:00-02:00: the end must be after the start (00:00 for midnight)',
  ]);
  expect(hoursProblems(utc([{ day: 'FRIDAY', start: '09:00', end: '09:00' }]))).toHaveLength(1);
});
