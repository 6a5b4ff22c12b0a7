/**
 * The credential provider deployed bundles use in place of the SDK's default chain (an esbuild alias in
 * infra/bundling/function-bundle.ts): the execution role's credentials Lambda puts in the
 * environment, session token included, and a CredentialsProviderError when there are none. What a built
 * bundle contains and signs with is test/infra/lambda-bundles.test.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { credentialsTreatedAsExpired, credentialsWillNeedRefresh, defaultProvider } from '../../lambdas/aws/lambda-credential-provider';

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_PROFILE'] as const;
const saved = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));

/** Lambda's runtime variables, as https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime names them. */
function setEnvironment(values: Partial<Record<(typeof KEYS)[number], string>>): void {
  for (const key of KEYS) delete process.env[key];
  Object.assign(process.env, values);
}

afterEach(() => {
  for (const key of KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

const ROLE = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEY', AWS_SECRET_ACCESS_KEY: 'secret/example', AWS_SESSION_TOKEN: 'session-token-example' };

it("returns the execution role's credentials from the environment, with the session token", async () => {
  setEnvironment(ROLE);
  await expect(defaultProvider()()).resolves.toMatchObject({
    accessKeyId: 'ASIAEXAMPLEKEY',
    secretAccessKey: 'secret/example',
    sessionToken: 'session-token-example',
  });
});

it('rejects with CredentialsProviderError when the environment has no credentials (no other source is tried)', async () => {
  setEnvironment({ AWS_PROFILE: 'default' });
  await expect(defaultProvider()()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  setEnvironment({ AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEY' });
  await expect(defaultProvider()()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
});

it("is what a client's runtime configuration calls for its credentials", async () => {
  setEnvironment(ROLE);
  const client = new DynamoDBClient({ region: 'us-east-1', credentialDefaultProvider: defaultProvider });
  await expect(client.config.credentials()).resolves.toMatchObject({
    accessKeyId: 'ASIAEXAMPLEKEY',
    sessionToken: 'session-token-example',
  });
  client.destroy();
});

it("keeps the chain's refresh helpers: an expiry only with AWS_CREDENTIAL_EXPIRATION, expired 5 minutes early", async () => {
  setEnvironment(ROLE);
  const plain = await defaultProvider()();
  expect(credentialsWillNeedRefresh(plain)).toBe(false);
  expect(credentialsTreatedAsExpired(plain)).toBe(false);
  setEnvironment({ ...ROLE, AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 60_000).toISOString() });
  const expiring = await defaultProvider()();
  expect(expiring.expiration).toBeInstanceOf(Date);
  expect(credentialsWillNeedRefresh(expiring)).toBe(true);
  expect(credentialsTreatedAsExpired(expiring)).toBe(true);
  expect(credentialsTreatedAsExpired({ expiration: new Date(Date.now() + 3_600_000) })).toBe(false);
});
