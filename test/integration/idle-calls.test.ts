/**
 * A caller who goes silent is hung up, as Connect ends an idle contact: the call ends with
 * IDLE_TIMEOUT, its contact record says EXPIRED, and further input is refused. Any input resets
 * the idle clock. The twin's idle time is shortened here (5 minutes by default).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { retainedRecords, startTestTwin } from '../support/test-twin';
import { Phone } from '../support/phone';

const IDLE_MS = 3_000;
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;

beforeAll(async () => {
  twin = await startTestTwin({ callIdleMs: IDLE_MS });
});
afterAll(() => twin.cleanup());

async function untilEnded(phone: Phone): Promise<any> {
  for (let i = 0; i < 100; i += 1) {
    const details = await phone.details();
    if (details.ended) return details;
    await sleep(100);
  }
  throw new Error('the call was never hung up');
}

it('hangs up a silent caller, records it as expired and refuses further input', async () => {
  const phone = new Phone(twin.url);
  await phone.dial('+15554440901');
  const details = await untilEnded(phone);
  expect(details.disposition).toBe('IDLE_TIMEOUT');
  const input = await phone.raw<{ error: string }>('POST', `/api/calls/${phone.contactId}/input`, { dtmf: '1' });
  expect(input.status).toBe(409);
  const records = await retainedRecords(twin, 'contactRecords');
  expect(records.find((r) => r.ContactId === phone.contactId)).toMatchObject({ DisconnectReason: 'EXPIRED' });
});

it('counts idle time from the caller\'s last input', async () => {
  const phone = new Phone(twin.url);
  await phone.dial('+15554440902');
  // The twin sweeps every half idle period, so a call idle since dialling is gone by 1.5 periods.
  await sleep(IDLE_MS * 0.85);
  const menu = await phone.key('1');
  expect(menu.ended).toBe(false);
  await sleep(IDLE_MS * 0.85);
  // 1.7 idle periods after dialling, but only 0.85 after the last input: still connected.
  expect((await phone.details()).ended).toBe(false);
  expect((await untilEnded(phone)).disposition).toBe('IDLE_TIMEOUT');
});
