/**
 * The twin's Step Functions endpoint against @aws-sdk/client-sfn: control plane, sync and async
 * executions, Lambda tasks, the DynamoDB integration with Retry/Catch on injected and real errors,
 * AWS-named errors and protocol errors.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDoesNotExist,
  UpdateStateMachineCommand,
  DeleteStateMachineCommand,
  InvalidDefinition,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { readFileSync } from 'node:fs';
import { localClient, startTestTwin } from '../support/test-twin';
import { ECHO_FUNCTION, FAILING_FUNCTION } from '../fixtures/fixture-functions';
import { RETAINED_FILES } from '../../local/retention/data-folder';
import { NO_PERMISSIONS } from '../../local/stepfunctions/workflow-iam';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let sfn: SFNClient;

const putItemMachine = (table: string) =>
  JSON.stringify({
    StartAt: 'Put',
    States: {
      Put: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: {
          TableName: table,
          Item: { counterKey: { 'S.$': '$.key' }, count: { N: '1' } },
          ConditionExpression: 'attribute_not_exists(counterKey)',
        },
        Retry: [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
        Catch: [
          { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.error', Next: 'AlreadyThere' },
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'GaveUp' },
        ],
        ResultPath: null,
        Next: 'Written',
      },
      Written: { Type: 'Pass', Result: 'written', ResultPath: '$.outcome', End: true },
      AlreadyThere: { Type: 'Pass', Parameters: { outcome: 'exists', 'error.$': '$.error.Error' }, End: true },
      GaveUp: { Type: 'Pass', Parameters: { outcome: 'gave-up', 'error.$': '$.error.Error' }, End: true },
    },
  });

/** The role the test's machines run with, as a test creates one in IAM: the two fixture functions and the rate-limits table's PutItem. */
const ROLE = 'arn:aws:iam::000000000000:role/test';
const ROLE_WITHOUT_GRANTS = 'arn:aws:iam::000000000000:role/test-nothing';

beforeAll(async () => {
  twin = await startTestTwin({
    functions: [ECHO_FUNCTION, FAILING_FUNCTION],
    workflowRoles: {
      [ROLE]: { dynamoDb: [{ table: 'RateLimits', actions: ['PutItem'] }], putEvents: false, invokes: ['test-echo', 'test-failing'] },
      [ROLE_WITHOUT_GRANTS]: NO_PERMISSIONS,
    },
  });
  sfn = new SFNClient({ ...localClient(twin.endpoints.stepfunctions), disableHostPrefix: true, maxAttempts: 1 });
});

afterAll(async () => {
  sfn.destroy();
  await twin.cleanup();
});

async function createMachine(
  name: string,
  definition: object | string,
  type: 'EXPRESS' | 'STANDARD' = 'EXPRESS',
  includeExecutionData?: boolean,
  roleArn = ROLE,
) {
  const out = await sfn.send(
    new CreateStateMachineCommand({
      name,
      type,
      roleArn,
      definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
      ...(includeExecutionData === undefined ? {} : { loggingConfiguration: { level: 'ALL', includeExecutionData } }),
    }),
  );
  return out.stateMachineArn!;
}

describe('control plane', () => {
  it('creates, describes, lists, updates and deletes state machines', async () => {
    const arn = await createMachine('cp-machine', { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:cp-machine');
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described).toMatchObject({ name: 'cp-machine', type: 'EXPRESS', status: 'ACTIVE' });
    expect(described.creationDate).toBeInstanceOf(Date);
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => m.name)).toContain('cp-machine');
    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: arn,
        definition: JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Succeed' } } }),
      }),
    );
    expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition).toContain('"B"');
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('rejects an invalid definition with InvalidDefinition', async () => {
    await expect(createMachine('bad-def', { StartAt: 'Missing', States: { A: { Type: 'Pass', End: true } } })).rejects.toBeInstanceOf(
      InvalidDefinition,
    );
  });

  it('answers an unknown machine with StateMachineDoesNotExist', async () => {
    const call = sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:nope', input: '{}' }),
    );
    await expect(call).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(call).rejects.toMatchObject({ name: 'StateMachineDoesNotExist', $metadata: { httpStatusCode: 400 } });
  });
});

describe('executions', () => {
  it('runs a synchronous express execution with a Lambda task and intrinsic functions', async () => {
    const arn = await createMachine('sync-lambda', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: twin.lambdas.arnOf('test-echo'),
          Parameters: { 'greeting.$': "States.Format('hello {}', $.who)", 'execution.$': '$$.Execution.Id' },
          ResultSelector: { 'greeting.$': '$.echoed.greeting', 'functionName.$': '$.functionName', 'execution.$': '$.echoed.execution' },
          End: true,
        },
      },
    });
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ who: 'caller' }) }));
    expect([out.status, out.error, out.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(out.executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:express:sync-lambda:/);
    const output = JSON.parse(out.output!);
    expect(output).toEqual({ greeting: 'hello caller', functionName: 'test-echo', execution: out.executionArn });
    expect(out.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
    expect(out.startDate).toBeInstanceOf(Date);
  });

  it('refuses a machine whose role the account does not have, as a role Step Functions cannot assume', async () => {
    const pass = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const create = (roleArn: string | undefined) =>
      sfn.send(new CreateStateMachineCommand({ name: 'no-such-role', type: 'EXPRESS', definition: pass, roleArn: roleArn as string }));
    await expect(create('arn:aws:iam::000000000000:role/nobody')).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: 'Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.',
    });
    await expect(create(undefined)).rejects.toMatchObject({ name: 'ValidationException' });
    const arn = await createMachine('role-swap', pass);
    await expect(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, roleArn: 'arn:aws:iam::000000000000:role/nobody' })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it("runs a machine's tasks with the role it names: a call its role does not allow fails the task", async () => {
    const definition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: twin.lambdas.arnOf('test-echo'), End: true } } };
    const allowed = await createMachine('role-allows', definition);
    expect((await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: allowed, input: '{}' }))).status).toBe('SUCCEEDED');
    const refused = await createMachine('role-refuses', definition, 'EXPRESS', undefined, ROLE_WITHOUT_GRANTS);
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: refused, input: '{}' }));
    expect([out.status, out.error]).toEqual(['FAILED', 'Lambda.AWSLambdaException']);
    expect(out.cause).toContain('assumed-role/test-nothing/');
    expect(out.cause).toContain('is not authorized to perform: lambda:InvokeFunction');
  });

  it('reports a failed Lambda task with its error type, caught by name', async () => {
    const arn = await createMachine('lambda-errors', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'test-failing', 'Payload.$': '$' },
          Catch: [{ ErrorEquals: ['InvalidInputError'], ResultPath: '$.caught', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', Parameters: { 'error.$': '$.caught.Error' }, End: true },
      },
    });
    const caught = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    expect(caught.status).toBe('SUCCEEDED');
    expect(JSON.parse(caught.output!)).toEqual({ error: 'InvalidInputError' });

    const timedOut = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ sleepMs: 1500 }) }));
    expect(timedOut.status).toBe('FAILED');
    expect(timedOut.error).toBe('Sandbox.Timedout');
  });

  it('fails a task over the 256 KiB payload quota with States.DataLimitExceeded, which States.ALL does not catch', async () => {
    const caught = (parameters: object) => ({
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: twin.lambdas.arnOf('test-echo'),
          Parameters: parameters,
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', Result: 'caught', End: true },
      },
    });
    const big = 'y'.repeat(140 * 1024);
    // Its input after Parameters: twice the (valid, 140 KiB) execution input.
    const tooBigInput = await createMachine('data-limit-input', caught({ 'a.$': '$.big', 'b.$': '$.big' }));
    const overInput = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: tooBigInput, input: JSON.stringify({ big }) }));
    expect([overInput.status, overInput.error]).toEqual(['FAILED', 'States.DataLimitExceeded']);
    // Its result: the function pads its answer past the quota.
    const tooBigResult = await createMachine('data-limit-result', caught({ 'pad.$': '$.pad' }));
    const overResult = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: tooBigResult, input: JSON.stringify({ pad: 257 * 1024 }) }),
    );
    expect([overResult.status, overResult.error]).toEqual(['FAILED', 'States.DataLimitExceeded']);
    // Under the quota the same machine runs.
    const under = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: tooBigResult, input: JSON.stringify({ pad: 200 * 1024 }) }),
    );
    expect(under.status).toBe('SUCCEEDED');
  });

  it('fails an execution with the Fail state error and cause', async () => {
    const arn = await createMachine('fails', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Custom.Error', Cause: 'because' } } });
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    expect(out).toMatchObject({ status: 'FAILED', error: 'Custom.Error', cause: 'because' });
  });

  it('runs async executions visible through Describe/List/GetExecutionHistory', async () => {
    const arn = await createMachine(
      'async-standard',
      { StartAt: 'A', States: { A: { Type: 'Pass', Result: { done: true }, End: true } } },
      'STANDARD',
    );
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"x":1}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:async-standard:run-1');
    await twin.settle();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', input: '{"x":1}', output: '{"done":true}', name: 'run-1' });
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    expect(listed.executions?.map((e) => e.name)).toEqual(['run-1']);
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(history.events?.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1' }))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('stops a running execution', async () => {
    const arn = await createMachine('waits', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } }, 'STANDARD');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await sfn.send(new StopExecutionCommand({ executionArn }));
    await twin.settle();
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
  });

  it('refuses StartSyncExecution on a STANDARD machine and bad input', async () => {
    const arn = await createMachine('standard-only', { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, 'STANDARD');
    await expect(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{not json' }))).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
  });

  it('keeps no execution data of an express machine that excludes it, in records or logs', async () => {
    const arn = await createMachine(
      'no-data',
      { StartAt: 'A', States: { A: { Type: 'Pass', Result: { secret: 'S3CR3T-OUT' }, End: true } } },
      'EXPRESS',
      false,
    );
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"secret":"S3CR3T-IN"}' }));
    expect(out.output).toContain('S3CR3T-OUT');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: out.executionArn }));
    expect(described.input).toBeUndefined();
    expect(described.output).toBeUndefined();
    const history = JSON.stringify(await sfn.send(new GetExecutionHistoryCommand({ executionArn: out.executionArn })));
    expect(history).not.toContain('S3CR3T');
    await twin.data.flush();
    const logs = readFileSync(twin.data.path(RETAINED_FILES.stateMachineLogs), 'utf8');
    expect(logs).toContain(out.executionArn!);
    expect(logs).not.toContain('S3CR3T');
  });
});

describe('DynamoDB integration with Retry and Catch', () => {
  const table = 'support-desk-rate-limits';
  let arn: string;
  beforeAll(async () => {
    arn = await createMachine('dynamo-retry', putItemMachine(table));
  });
  afterEach(() => twin.faults.clear());

  it('writes through the optimized integration', async () => {
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"key":"k-written"}' }));
    expect(JSON.parse(out.output!)).toEqual({ key: 'k-written', outcome: 'written' });
  });

  it('retries an injected throttling error, then succeeds', async () => {
    twin.faults.inject({
      service: 'dynamodb',
      operation: 'PutItem',
      errorCode: 'ProvisionedThroughputExceededException',
      httpStatus: 400,
      count: 2,
    });
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"key":"k-retried"}' }));
    expect(JSON.parse(out.output!)).toEqual({ key: 'k-retried', outcome: 'written' });
    expect(twin.faults.list()[0]).toMatchObject({ hits: 2, remaining: 0 });
  });

  it('catches the error once retries are exhausted', async () => {
    twin.faults.inject({ service: 'dynamodb', operation: 'PutItem', errorCode: 'ProvisionedThroughputExceededException', httpStatus: 400 });
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"key":"k-gave-up"}' }));
    expect(JSON.parse(out.output!)).toEqual({ outcome: 'gave-up', error: 'DynamoDB.ProvisionedThroughputExceededException' });
    expect(twin.faults.list()[0]!.hits).toBe(3);
  });

  it('catches a real ConditionalCheckFailedException from dynalite', async () => {
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"key":"k-written"}' }));
    expect(JSON.parse(out.output!)).toEqual({ outcome: 'exists', error: 'DynamoDB.ConditionalCheckFailedException' });
  });
});

describe('protocol errors', () => {
  const post = (body: string, target = 'AWSStepFunctions.ListStateMachines') =>
    fetch(twin.endpoints.stepfunctions, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
      body,
    });

  it('answers malformed JSON with a SerializationException, and keeps serving', async () => {
    const res = await post('{"stateMachineArn": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: 'SerializationException', message: 'Request body is not valid JSON' });
    expect((await post('{}')).status).toBe(200);
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const res = await post('{}', 'AWSStepFunctions.LaunchRocket');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('answers a missing required field with a ValidationException', async () => {
    const res = await post('{}', 'AWSStepFunctions.DescribeExecution');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('ValidationException');
  });
});

describe('engine semantics as in AWS', () => {
  it('IsPresent: false matches an absent field (rewritten for aws-local-stepfunctions)', async () => {
    const arn = await createMachine('is-present', {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.item', IsPresent: false, Next: 'Absent' }], Default: 'Present' },
        Absent: { Type: 'Pass', Result: 'absent', End: true },
        Present: { Type: 'Pass', Result: 'present', End: true },
      },
    });
    const absent = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    const present = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"item":1}' }));
    expect([absent.output, present.output]).toEqual(['"absent"', '"present"']);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described.definition).toContain('"IsPresent":false');
  });
});

describe('intrinsic functions as in AWS', () => {
  it('States.Hash digests long inputs correctly (aws-local-stepfunctions 3.0.0 does not; the twin corrects it)', async () => {
    const { createHash } = await import('node:crypto');
    const arn = await createMachine('hashes', {
      StartAt: 'H',
      States: {
        H: { Type: 'Pass', Parameters: { 'sha256.$': "States.Hash($.s, 'SHA-256')", 'md5.$': "States.Hash($.s, 'MD5')" }, End: true },
      },
    });
    for (const s of ['abc', 'x'.repeat(56), `${'long|audit|line|'.repeat(20)}+*******0100`]) {
      const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ s }) }));
      expect(JSON.parse(out.output!)).toEqual({
        sha256: createHash('sha256').update(s).digest('hex'),
        md5: createHash('md5').update(s).digest('hex'),
      });
    }
  });
});
