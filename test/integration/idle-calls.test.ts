/**
 * A caller who goes silent is hung up, as Connect ends an idle contact: the call ends with
 * IDLE_TIMEOUT, its contact record says EXPIRED, and further input is refused. Any input resets
 * the idle clock. The twin runs on a fake clock here: time moves when the test says so.
 */
import { retainedRecords, startTestTwin } from '../support/test-twin';
import { Phone } from '../../local/softphone/phone';
import { fakeClock } from '../support/fake-clock';

const IDLE_MS = 5 * 60 * 1000;
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
const clock = fakeClock();

beforeAll(async () => {
  twin = await startTestTwin({ clock });
});
afterAll(() => twin.cleanup());

/** The hang-up runs as its own turn once the sweeper fires; it is done within a few event-loop turns. */
async function untilEnded(phone: Phone): Promise<any> {
  for (let i = 0; i < 100; i += 1) {
    const details = await phone.details();
    if (details.ended) return details;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the call was never hung up');
}

it('hangs up a silent caller after 5 minutes, records it as expired and refuses further input', async () => {
  const phone = new Phone(twin.url);
  await phone.dial('+15554440901');
  clock.tick(IDLE_MS - 1_000);
  expect((await phone.details()).ended).toBe(false);
  clock.tick(IDLE_MS);
  const details = await untilEnded(phone);
  expect(details.disposition).toBe('IDLE_TIMEOUT');
  const input = await phone.raw<{ error: string }>('POST', `/api/calls/${phone.contactId}/input`, { dtmf: '1' });
  expect(input.status).toBe(409);
  const records = await retainedRecords(twin, 'contactRecords');
  expect(records.find((r) => r.ContactId === phone.contactId)).toMatchObject({ DisconnectReason: 'EXPIRED' });
});

it("counts idle time from the caller's last input", async () => {
  const phone = new Phone(twin.url);
  await phone.dial('+15554440902');
  clock.tick(IDLE_MS * 0.85);
  const menu = await phone.key('1');
  expect(menu.ended).toBe(false);
  clock.tick(IDLE_MS * 0.85);
  // 1.7 idle periods after dialling, but only 0.85 after the last input: still connected.
  expect((await phone.details()).ended).toBe(false);
  clock.tick(IDLE_MS);
  expect((await untilEnded(phone)).disposition).toBe('IDLE_TIMEOUT');
});

it('listening is not input: a tab asking what was played does not keep a silent call alive', async () => {
  const phone = new Phone(twin.url);
  await phone.dial('+15554440903');
  clock.tick(IDLE_MS * 0.85);
  expect((await phone.listen()).ended).toBe(false);
  clock.tick(IDLE_MS * 0.85);
  // 1.7 idle periods after dialling, whatever was listened to in between.
  expect((await untilEnded(phone)).disposition).toBe('IDLE_TIMEOUT');
});
