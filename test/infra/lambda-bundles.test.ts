/**
 * Function bundles as CDK builds them: NodejsFunction with the stack's BUNDLING settings, bundled for
 * real by the local esbuild (#21). The SDK's default credential chain is replaced by
 * lambdas/aws/lambda-credential-provider.ts, so no SSO, ini-file, process or web-identity provider is in
 * a bundle; and a bundle loaded cold by a fresh `node` still signs its requests with the credentials
 * Lambda puts in the environment
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BUNDLING, directoryDefine, REPO_ROOT } from '../../infra/constructs/project-function';
import { functionByName } from '../../lambdas/function-catalogue';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Bundle {
  /** The bundle, index.mjs. */
  file: string;
  /** The modules with code in the bundle (esbuild's metafile): paths relative to the repository root. */
  inputs: string[];
}

/** Bundles `entry` as projectFunction does (its bundling settings, plus a metafile to read). */
function bundle(entry: string, environment: Record<string, string> = {}): Bundle {
  const outdir = mkdtempSync(join(scratch, 'cdk-'));
  const app = new App({ outdir });
  new NodejsFunction(new Stack(app, 'Bundles'), 'Function', {
    entry: resolve(REPO_ROOT, entry),
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: resolve(REPO_ROOT, 'package-lock.json'),
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    bundling: {
      ...BUNDLING,
      mainFields: [...BUNDLING.mainFields],
      externalModules: [...BUNDLING.externalModules],
      define: directoryDefine(environment),
      metafile: true,
      logLevel: LogLevel.ERROR,
    },
  });
  const [asset] = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  const dir = join(outdir, asset!);
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  // Only what has code in the bundle: esbuild lists every module it parsed, tree-shaken to nothing or not.
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith('index.mjs'))![1];
  const inputs = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([name]) => name);
  return { file: join(dir, 'index.mjs'), inputs };
}

/** The default chain's other providers and the clients they bring (SSO, STS for web identity). */
const CHAIN_ONLY =
  /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)\//;

it('builds a function without the default credential chain, with the environment provider in its place', () => {
  const { inputs } = bundle(functionByName('prepare-reset').entry);
  expect(inputs.filter((input) => CHAIN_ONLY.test(input))).toEqual([]);
  expect(inputs).toContain('lambdas/aws/lambda-credential-provider.ts');
  expect(inputs.some((input) => input.includes('node_modules/@aws-sdk/credential-provider-env/'))).toBe(true);
}, 60_000);

it.each([
  ['demo', []],
  ['ldap', ['ldapts']],
  ['cognito', ['@aws-sdk/client-cognito-identity-provider']],
])(
  'builds a directory writer for its DIRECTORY only (%s): the other adapters are not in the bundle',
  (directory, expected) => {
    const { inputs } = bundle(functionByName('set-temporary-password').entry, { DIRECTORY: directory });
    const adapters = ['ldapts', '@aws-sdk/client-cognito-identity-provider'].filter((pkg) =>
      inputs.some((input) => input.includes(`node_modules/${pkg}/`)),
    );
    expect(adapters).toEqual(expected);
  },
  60_000,
);

describe('a bundle loaded cold by node', () => {
  let probe: Bundle;
  let server: Server;
  let endpoint: string;
  const requests: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    probe = bundle('test/fixtures/handlers/dynamodb-probe.ts');
    // Answers every request as DynamoDB answers a missing table, after noting its headers.
    server = createServer((request, response) => {
      requests.push(request.headers);
      request.resume().on('end', () => {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'no such table' }));
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
  beforeEach(() => {
    requests.length = 0;
  });

  /** A fresh `node` importing the bundle and calling its handler once, in a home whose shared credentials file names a profile. */
  async function invoke(credentials: Record<string, string>): Promise<{ name: string; message: string }> {
    const home = mkdtempSync(join(scratch, 'home-'));
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAFROMFILE\naws_secret_access_key = from-file\n');
    const script = `const m = await import(${JSON.stringify(pathToFileURL(probe.file).href)}); console.log(JSON.stringify(await m.handler()));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', HOME: home, AWS_REGION: 'eu-west-1', PROBE_ENDPOINT: endpoint, ...credentials },
      timeout: 10_000,
    });
    return JSON.parse(stdout);
  }

  it("signs with the environment's credentials and session token", async () => {
    const result = await invoke({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEY',
      AWS_SECRET_ACCESS_KEY: 'secret/example',
      AWS_SESSION_TOKEN: 'session-token-example',
    });
    expect(result.name).toBe('ResourceNotFoundException');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY\/\d{8}\/eu-west-1\/dynamodb\/aws4_request,/);
    expect(requests[0]!['x-amz-security-token']).toBe('session-token-example');
  });

  it('sends nothing without them: no shared credentials file or other source is read', async () => {
    const result = await invoke({});
    expect(result).toEqual({ name: 'CredentialsProviderError', message: 'Unable to find environment variable credentials.' });
    expect(requests).toEqual([]);
  });
});
