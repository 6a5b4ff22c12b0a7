/**
 * IAM on the workflows' own calls in the twin: a deployed machine's tasks call DynamoDB, EventBridge and
 * Lambda with the role CDK writes from its ASL (state-machines/state-machine-role.ts), and a call outside
 * it fails the task with the service's AccessDenied, as on AWS: an index (never granted), a function or
 * bus chosen at run time, another service through `aws-sdk:*`. The fixture machine catches every error,
 * so each probe's output says whether its call went through.
 */
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { localClient, startTestTwin } from '../support/test-twin';
import { ECHO_FUNCTION, FAILING_FUNCTION } from '../fixtures/fixture-functions';
import { tableById } from '../../catalogue/table-catalogue';
import type { StateMachineSpec } from '../../state-machines/state-machine-catalogue';

const PROBE_MACHINE: StateMachineSpec = {
  name: 'test-iam-probe',
  file: 'test/fixtures/state-machines/iam-probe.asl.json',
  type: 'EXPRESS',
  logging: { level: 'ALL', includeExecutionData: false },
};
const ROLE = 'arn:aws:sts::000000000000:assumed-role/test-iam-probe-role/';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let sfn: SFNClient;

beforeAll(async () => {
  twin = await startTestTwin({ functions: [ECHO_FUNCTION, FAILING_FUNCTION], stateMachines: [PROBE_MACHINE] });
  sfn = new SFNClient({ ...localClient(twin.endpoints.stepfunctions), disableHostPrefix: true, maxAttempts: 1 });
});
afterAll(async () => {
  sfn.destroy();
  await twin.cleanup();
});

async function probe(input: Record<string, unknown>): Promise<{ outcome: string; error?: string; cause?: string }> {
  const out = await sfn.send(
    new StartSyncExecutionCommand({
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:test-iam-probe',
      input: JSON.stringify(input),
    }),
  );
  expect(out.status).toBe('SUCCEEDED');
  return JSON.parse(out.output!);
}

it('lets the tasks do what the ASL names: its tables, its functions, the product bus', async () => {
  for (const name of ['get-granted', 'query-table', 'invoke-named', 'put-product-bus'])
    expect([name, await probe({ probe: name })]).toEqual([name, { outcome: 'allowed' }]);
});

it('refuses an index: the role names the table only, as CDK grants it', async () => {
  const out = await probe({ probe: 'query-index' });
  expect(out).toMatchObject({ outcome: 'refused', error: 'DynamoDb.AccessDeniedException' });
  const audit = tableById('Audit').tableName;
  expect(out.cause).toMatch(
    new RegExp(
      `^User: ${ROLE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\w+ is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${audit}/index/by-day because no identity-based policy allows the dynamodb:Query action \\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: AccessDeniedException; Request ID: [0-9a-f-]+; Proxy: null\\)$`,
    ),
  );
});

it('refuses a function the ASL does not name, as Lambda refuses the role (AWSLambdaException, 403)', async () => {
  const out = await probe({ probe: 'invoke-chosen', functionName: FAILING_FUNCTION.name });
  expect(out).toMatchObject({ outcome: 'refused', error: 'Lambda.AWSLambdaException' });
  expect(out.cause).toContain(
    `is not authorized to perform: lambda:InvokeFunction on resource: ${twin.lambdas.arnOf(FAILING_FUNCTION.name)} because`,
  );
  expect(out.cause).toContain('Status Code: 403; Error Code: AccessDeniedException');
  // The one the ASL names, chosen at run time, is granted: the role is about resources, not how a task names them.
  expect(await probe({ probe: 'invoke-chosen', functionName: ECHO_FUNCTION.name })).toEqual({ outcome: 'allowed' });
});

it('refuses another bus and another service', async () => {
  expect(await probe({ probe: 'put-default-bus' })).toMatchObject({
    outcome: 'refused',
    error: 'EventBridge.AccessDeniedException',
    cause: expect.stringContaining('events:PutEvents on resource: arn:aws:events:us-east-1:000000000000:event-bus/default because'),
  });
  expect(await probe({ probe: 'send-email' })).toMatchObject({
    outcome: 'refused',
    error: 'SesV2.AccessDeniedException',
    cause: expect.stringContaining('is not authorized to perform: ses:SendEmail'),
  });
});
