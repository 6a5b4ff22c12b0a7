/**
 * The smoke test's checks of what only a deployed stage has (the Connect instance settings, the live
 * alias): no local emulator exists for Connect or Lex model building, so the SDK clients are mocked
 * here; the twin-side checks run for real in test/integration/smoke.test.ts.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConnectClient, DescribeInstanceAttributeCommand, ListInstanceStorageConfigsCommand } from '@aws-sdk/client-connect';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LexModelsV2Client } from '@aws-sdk/client-lex-models-v2';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { runSmoke } from '../../cli/smoke-checks';

const connect = mockClient(ConnectClient);
const notUnderTest = Object.assign(new Error('not under test'), { name: 'NotUnderTest' });
mockClient(CloudFormationClient).rejects(notUnderTest);
mockClient(DynamoDBClient).rejects(notUnderTest);
mockClient(DynamoDBDocumentClient).rejects(notUnderTest);
mockClient(LexModelsV2Client).rejects(notUnderTest);
mockClient(LexRuntimeV2Client).rejects(notUnderTest);
mockClient(SFNClient).rejects(notUnderTest);
mockClient(SNSClient).rejects(notUnderTest);

const target = { kind: 'aws', stage: 'prod', connectInstanceArn: 'arn:aws:connect:us-east-1:123456789012:instance/abc' } as const;
const instanceRow = async () =>
  (await runSmoke(target)).find((r) => r.check === 'the Connect instance keeps flow logs and call recordings');

beforeEach(() => connect.reset());

it('passes when flow logs are on and recordings have storage', async () => {
  connect
    .on(DescribeInstanceAttributeCommand, { InstanceId: 'abc', AttributeType: 'CONTACTFLOW_LOGS' })
    .resolves({ Attribute: { Value: 'true' } });
  connect
    .on(ListInstanceStorageConfigsCommand, { InstanceId: 'abc', ResourceType: 'CALL_RECORDINGS' })
    .resolves({ StorageConfigs: [{ StorageType: 'S3' }] });
  expect(await instanceRow()).toMatchObject({ result: 'PASS', detail: 'flow logs on, recordings to S3' });
});

it('fails naming the setting when flow logs are off', async () => {
  connect.on(DescribeInstanceAttributeCommand).resolves({ Attribute: { Value: 'false' } });
  connect.on(ListInstanceStorageConfigsCommand).resolves({ StorageConfigs: [{ StorageType: 'S3' }] });
  expect(await instanceRow()).toMatchObject({ result: 'FAIL', detail: expect.stringContaining('flow logs are off') });
});

it('fails naming the setting when call recordings have no storage', async () => {
  connect.on(DescribeInstanceAttributeCommand).resolves({ Attribute: { Value: 'true' } });
  connect.on(ListInstanceStorageConfigsCommand).resolves({ StorageConfigs: [] });
  expect(await instanceRow()).toMatchObject({ result: 'FAIL', detail: expect.stringContaining('no call recording storage') });
});
