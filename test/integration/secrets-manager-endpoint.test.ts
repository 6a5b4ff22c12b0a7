/**
 * The twin's Secrets Manager endpoint against @aws-sdk/client-secrets-manager: what the LDAP
 * directory's bind secret and the twin's own secrets use, and AWS's errors for bad requests.
 */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { localClient, startTestTwin } from '../support/test-twin';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let secrets: SecretsManagerClient;

beforeAll(async () => {
  twin = await startTestTwin();
  secrets = new SecretsManagerClient({ ...localClient(twin.endpoints.secretsmanager), maxAttempts: 1 });
});
afterAll(async () => {
  secrets.destroy();
  await twin.cleanup();
});

it('creates, reads, describes and replaces a secret', async () => {
  const created = await secrets.send(new CreateSecretCommand({ Name: 'test/ldap-bind', SecretString: 'first' }));
  expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:test\/ldap-bind-/);
  await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'test/ldap-bind' }))).resolves.toMatchObject({
    SecretString: 'first',
    VersionStages: ['AWSCURRENT'],
  });
  const replaced = await secrets.send(new PutSecretValueCommand({ SecretId: 'test/ldap-bind', SecretString: 'second' }));
  expect(replaced.VersionId).not.toBe(created.VersionId);
  const value = await secrets.send(new GetSecretValueCommand({ SecretId: created.ARN }));
  expect(value).toMatchObject({ SecretString: 'second', Name: 'test/ldap-bind' });
  expect(value.CreatedDate).toBeInstanceOf(Date);
  const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'test/ldap-bind' }));
  expect(described.VersionIdsToStages).toEqual({ [replaced.VersionId!]: ['AWSCURRENT'] });
});

it("answers with Secrets Manager's errors", async () => {
  await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'test/nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  await secrets.send(new CreateSecretCommand({ Name: 'test/once', SecretString: 'x' }));
  await expect(secrets.send(new CreateSecretCommand({ Name: 'test/once', SecretString: 'y' }))).rejects.toBeInstanceOf(
    ResourceExistsException,
  );
  await expect(secrets.send(new CreateSecretCommand({ Name: 'test/empty', SecretString: '' }))).rejects.toMatchObject({
    name: InvalidParameterException.name,
    $metadata: { httpStatusCode: 400 },
  });
});
