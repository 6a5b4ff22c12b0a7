/**
 * The twin's AWS usage meter (bench:cost): with metering on, a reset's workflows, DynamoDB operations
 * (with request units), events and texts are counted and can be reset; with it off (the default) the
 * twin serves no metering API and parses nothing.
 */
import { startTestTwin } from '../support/test-twin';
import { WorkflowDriver } from '../support/workflow-driver';
import { syntheticEmployee } from '../../local/seed/demo-employees';
import type { UsageLine } from '../../local/metering/aws-usage-meter';

it('counts what a reset asks of AWS, with the units AWS bills', async () => {
  const twin = await startTestTwin({ seedEmployees: 3, metering: true });
  const driver = new WorkflowDriver(twin);
  try {
    const usage = async () => ((await (await fetch(`${twin.url}/api/metering`)).json()) as { usage: UsageLine[] }).usage;
    const reset = await fetch(`${twin.url}/api/metering/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reset.status).toBe(200);
    expect(await usage()).toEqual([]);
    const employee = syntheticEmployee(1);
    const started = await driver.start({ employeeId: employee.employeeId });
    expect(started.status).toBe('CODE_SENT');
    const verified = await driver.verify(started.sessionId, await driver.latestCode(employee));
    expect(verified.status).toBe('RESET');
    await twin.settle();
    const lines = await usage();
    const line = (service: string, operation: string) => lines.find((l) => l.service === service && l.operation === operation);
    expect(line('stepfunctions', 'StartSyncExecution')).toMatchObject({ requests: 2 });
    expect(line('stepfunctions', 'StartSyncExecution')!.gbSeconds).toBeGreaterThan(0);
    expect(line('sms', 'SendTextMessage')).toMatchObject({ requests: 1 });
    expect(line('dynamodb', 'PutItem')!.writeRequestUnits).toBeGreaterThanOrEqual(line('dynamodb', 'PutItem')!.requests);
    expect(line('dynamodb', 'GetItem')!.readRequestUnits).toBeGreaterThan(0);
    expect(line('eventbridge', 'PutEvents')!.events).toBeGreaterThanOrEqual(2);
    expect(line('lambda', 'set-temporary-password')).toMatchObject({ requests: 1 });
    expect(line('lambda', 'set-temporary-password')!.gbSeconds).toBeGreaterThan(0);
  } finally {
    driver.close();
    await twin.cleanup();
  }
});

it('is off by default: no metering API', async () => {
  const twin = await startTestTwin();
  try {
    expect((await fetch(`${twin.url}/api/metering`)).status).toBe(404);
  } finally {
    await twin.cleanup();
  }
});
