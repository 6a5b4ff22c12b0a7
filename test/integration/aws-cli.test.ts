/**
 * The AWS CLI against a running twin, as a developer would use it: list the project's state
 * machines and tables, and round-trip start-execution/describe-execution and start-sync-execution.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestTwin } from '../support/test-twin';
import { describeNeeding } from '../support/system-programs';
import { TABLES } from '../../catalogue/table-catalogue';
import { STATE_MACHINES } from '../../state-machines/state-machine-catalogue';
import { NO_PERMISSIONS } from '../../local/stepfunctions/workflow-iam';

const run = promisify(execFile);
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;

describeNeeding('awsCli')('the AWS CLI against the twin', () => {
  beforeAll(async () => {
    // The role the CLI's machines name, as one creates it in IAM (their Pass states call nothing).
    twin = await startTestTwin({
      workflowRoles: { 'arn:aws:iam::000000000000:role/cli': NO_PERMISSIONS },
    });
  });
  afterAll(() => twin.cleanup());

  async function aws(endpoint: string, ...args: string[]): Promise<any> {
    const { stdout } = await run('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_REGION: 'us-east-1',
        AWS_DISABLE_HOST_PREFIX_INJECTION: 'true',
        AWS_PAGER: '',
      },
    });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  }

  it('lists the project state machines', async () => {
    const out = await aws(twin.endpoints.stepfunctions, 'stepfunctions', 'list-state-machines');
    expect(out.stateMachines.map((m: { name: string }) => m.name).sort()).toEqual(STATE_MACHINES.map((m) => m.name).sort());
  });

  it("speaks KMS and S3 as the AWS CLI does: the digest key's public key, a locked digest that cannot be deleted", async () => {
    const key = await aws(twin.endpoints.kms, 'kms', 'get-public-key', '--key-id', 'alias/support-desk-audit-digest');
    expect(key).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
    const written = (await (
      await fetch(`${twin.url}/api/audit/digest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).json()) as { key: string };
    const s3 = (...args: string[]) => aws(twin.endpoints.s3, 's3api', ...args);
    const lock = await s3('get-object-lock-configuration', '--bucket', 'support-desk-audit-digests');
    expect(lock.ObjectLockConfiguration).toMatchObject({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
    });
    const versions = await s3('list-object-versions', '--bucket', 'support-desk-audit-digests', '--prefix', written.key);
    expect(versions.Versions).toHaveLength(1);
    const retention = await s3('get-object-retention', '--bucket', 'support-desk-audit-digests', '--key', written.key);
    expect(retention.Retention.Mode).toBe('COMPLIANCE');
    await expect(
      s3('delete-object', '--bucket', 'support-desk-audit-digests', '--key', written.key, '--version-id', versions.Versions[0].VersionId),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('AccessDenied') });
  });

  it('lists the catalogue tables', async () => {
    const out = await aws(twin.endpoints.dynamodb, 'dynamodb', 'list-tables');
    expect(out.TableNames.sort()).toEqual(TABLES.map((t) => t.tableName).sort());
  });

  it('round-trips start-execution + describe-execution and start-sync-execution', async () => {
    const definition = JSON.stringify({
      StartAt: 'Hello',
      States: { Hello: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hi {}', $.name)" }, End: true } },
    });
    const { stateMachineArn: standard } = await aws(
      twin.endpoints.stepfunctions,
      'stepfunctions',
      'create-state-machine',
      '--name',
      'cli-standard',
      '--definition',
      definition,
      '--role-arn',
      'arn:aws:iam::000000000000:role/cli',
    );
    const started = await aws(
      twin.endpoints.stepfunctions,
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      standard,
      '--input',
      '{"name":"cli"}',
    );
    await twin.settle();
    const described = await aws(
      twin.endpoints.stepfunctions,
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      started.executionArn,
    );
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"greeting":"hi cli"}' });

    const { stateMachineArn: express } = await aws(
      twin.endpoints.stepfunctions,
      'stepfunctions',
      'create-state-machine',
      '--name',
      'cli-express',
      '--type',
      'EXPRESS',
      '--definition',
      definition,
      '--role-arn',
      'arn:aws:iam::000000000000:role/cli',
    );
    const sync = await aws(
      twin.endpoints.stepfunctions,
      'stepfunctions',
      'start-sync-execution',
      '--state-machine-arn',
      express,
      '--input',
      '{"name":"sync"}',
    );
    expect(sync).toMatchObject({ status: 'SUCCEEDED', output: '{"greeting":"hi sync"}' });
  });
});
