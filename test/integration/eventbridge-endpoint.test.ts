/**
 * The twin's EventBridge endpoint against @aws-sdk/client-eventbridge: PutEvents (its size limit), rule matching,
 * delivery to Lambda targets with retries, the dead-letter file and the archive.
 */
import { readFileSync } from 'node:fs';
import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { localClient, retainedRecords, startTestTwin } from '../support/test-twin';
import { FAILING_FUNCTION, RECORDER_FUNCTION, recordedEvents } from '../fixtures/fixture-functions';
import { RETAINED_FILES } from '../../local/retention/data-folder';
import type { RuleDefinition } from '../../events/rule-catalogue';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let events: EventBridgeClient;
/** What the recorder function received. */
let received: unknown[] = [];

const rules: RuleDefinition[] = [
  {
    name: 'test-locks-to-recorder',
    description: 'lock-outs of Spanish callers',
    eventPattern: { source: ['test.source'], 'detail-type': ['AccountLocked'], detail: { locale: [{ prefix: 'es' }] } },
    targets: [{ id: 'recorder', functionName: 'test-recorder' }],
  },
  {
    name: 'test-to-failing',
    description: 'always fails',
    eventPattern: { source: ['test.source'], 'detail-type': ['Poison'] },
    targets: [{ id: 'failing', functionName: 'test-failing' }],
  },
];

beforeAll(async () => {
  twin = await startTestTwin({ functions: [RECORDER_FUNCTION, FAILING_FUNCTION], rules, delivery: { maxAttempts: 3, baseDelayMs: 5 } });
  events = new EventBridgeClient(localClient(twin.endpoints.eventbridge));
  received = recordedEvents(twin.lambdas);
});
afterAll(async () => {
  events.destroy();
  await twin.cleanup();
});
beforeEach(() => {
  received.length = 0;
});

const put = (detailType: string, detail: object) =>
  events.send(
    new PutEventsCommand({
      Entries: [{ EventBusName: 'support-desk', Source: 'test.source', DetailType: detailType, Detail: JSON.stringify(detail) }],
    }),
  );

it('delivers a matching event to the rule target, in the EventBridge envelope', async () => {
  const out = await put('AccountLocked', { employeeId: '1234567', locale: 'es-US' });
  expect(out.FailedEntryCount).toBe(0);
  await twin.settle();
  expect(received).toEqual([
    expect.objectContaining({
      version: '0',
      id: out.Entries![0]!.EventId,
      source: 'test.source',
      'detail-type': 'AccountLocked',
      account: '000000000000',
      region: 'us-east-1',
      detail: { employeeId: '1234567', locale: 'es-US' },
    }),
  ]);
});

it('does not deliver a non-matching event, but archives it', async () => {
  const out = await put('AccountLocked', { employeeId: '1234567', locale: 'en-US' });
  await twin.settle();
  expect(received).toEqual([]);
  await twin.data.flush();
  expect(readFileSync(twin.data.path(RETAINED_FILES.events), 'utf8')).toContain(out.Entries![0]!.EventId!);
});

it('retries a failing function as Lambda retries an asynchronous invocation, then keeps the event where its on-failure queue would', async () => {
  const out = await put('Poison', { n: 1 });
  await twin.settle();
  const dlq = await retainedRecords(twin, 'eventsDeadLetter');
  expect(dlq).toEqual([
    expect.objectContaining({
      rule: 'test-to-failing',
      targetId: 'failing',
      destination: 'function-on-failure',
      functionName: 'test-failing',
      attempts: 3,
      error: 'InvalidInputError: fixture refuses this input',
    }),
  ]);
  expect(dlq[0].event.id).toBe(out.Entries![0]!.EventId);
});

it('reports bad entries without failing the good ones', async () => {
  const out = await events.send(
    new PutEventsCommand({
      Entries: [
        { EventBusName: 'support-desk', Source: 'test.source', DetailType: 'X', Detail: '{not json' },
        { EventBusName: 'no-such-bus', Source: 'test.source', DetailType: 'X', Detail: '{}' },
        { EventBusName: 'support-desk', Source: 'test.source', DetailType: 'X', Detail: '{}' },
      ],
    }),
  );
  expect(out.FailedEntryCount).toBe(2);
  expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['MalformedDetail', 'NotFoundException', 'ok']);
});

it('refuses a request whose entries total 256 KB or more, counted as EventBridge counts them', async () => {
  const entry = (detailBytes: number) => ({
    EventBusName: 'support-desk',
    Source: 'test.source',
    DetailType: 'Big',
    Detail: JSON.stringify({ pad: 'p'.repeat(detailBytes - 10) }),
  });
  // Two entries of ~128 KB: each fits, together they do not.
  await expect(events.send(new PutEventsCommand({ Entries: [entry(131_072), entry(131_072)] }))).rejects.toMatchObject({
    name: 'ValidationException',
    message: 'Total size of the entries in the request is over the limit.',
  });
  await expect(events.send(new PutEventsCommand({ Entries: [entry(131_072)] }))).resolves.toMatchObject({ FailedEntryCount: 0 });
});

it('lists and describes the rules', async () => {
  const list = await events.send(new ListRulesCommand({ EventBusName: 'support-desk', NamePrefix: 'test-' }));
  expect(list.Rules?.map((r) => r.Name)).toEqual(['test-locks-to-recorder', 'test-to-failing']);
  const rule = await events.send(new DescribeRuleCommand({ EventBusName: 'support-desk', Name: 'test-locks-to-recorder' }));
  expect(JSON.parse(rule.EventPattern!)).toEqual(rules[0]!.eventPattern);
  await expect(events.send(new DescribeRuleCommand({ EventBusName: 'support-desk', Name: 'nope' }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
});
