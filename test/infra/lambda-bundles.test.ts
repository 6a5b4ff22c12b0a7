/**
 * Function bundles as CDK builds them (bundleFunction, infra/bundling/function-bundle.ts, which the stack's functions
 * run when it is synthesized), bundled for real by esbuild (#21). The SDK's default credential chain is replaced by
 * lambdas/aws/lambda-credential-provider.ts, so no SSO, ini-file, process or web-identity provider is in a bundle; the
 * SDK's schemas are tree-shaken (literal-schema-trait-keys.ts), and a bundle loaded cold by a fresh `node` still signs
 * its requests with the credentials Lambda puts in the environment
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime) and still
 * speaks each service's protocol.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Stack } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { BUNDLE_FILE, bundleFunction, REPO_ROOT } from '../../infra/bundling/function-bundle';
import { literalSchemaTraitKeys, withLiteralTraitKeys } from '../../infra/bundling/literal-schema-trait-keys';
import { projectFunction } from '../../infra/constructs/project-function';
import { functionByName } from '../../lambdas/function-catalogue';
import { scratchDir } from '../support/scratch-dir';
import { testApp } from '../support/test-app';

const run = promisify(execFile);
const scratch = scratchDir('lambda-bundles-');

interface Bundle {
  /** The bundle, index.mjs. */
  file: string;
  /** The modules with code in the bundle (esbuild's metafile): paths relative to the repository root. */
  inputs: string[];
}

/** Bundles `entry` as projectFunction does, with esbuild's metafile to read. */
async function bundle(entry: string, directory?: string): Promise<Bundle> {
  const outdir = mkdtempSync(join(scratch, 'bundle-'));
  const { file, metafile } = await bundleFunction({ entry, outdir, ...(directory ? { directory } : {}), metafile: true });
  // Only what has code in the bundle: esbuild lists every module it parsed, tree-shaken to nothing or not.
  const output = Object.entries(metafile!.outputs).find(([name]) => name.endsWith(BUNDLE_FILE))![1];
  const inputs = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([name]) => name);
  return { file, inputs };
}

/** The default chain's other providers and the clients they bring (SSO, STS for web identity). */
const CHAIN_ONLY =
  /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)\//;

it('builds a function without the default credential chain, with the environment provider in its place', async () => {
  const { inputs } = await bundle(functionByName('prepare-reset').entry);
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
  async (directory, expected) => {
    const { inputs } = await bundle(functionByName('set-temporary-password').entry, directory);
    const adapters = ['ldapts', '@aws-sdk/client-cognito-identity-provider'].filter((pkg) =>
      inputs.some((input) => input.includes(`node_modules/${pkg}/`)),
    );
    expect(adapters).toEqual(expected);
  },
  60_000,
);

it("is what CDK deploys: each function's asset, synthesized with bundling on, is bundleFunction's bundle byte for byte", async () => {
  const app = testApp();
  const outdir = app.outdir;
  const stack = new Stack(app, 'Bundles');
  const definitions = [functionByName('prepare-reset'), functionByName('validate-actor')];
  for (const definition of definitions) projectFunction(stack, definition, { stage: 'test', environment: {}, logRetentionDays: 7 });
  const { Resources } = app.synth().getStackByName('Bundles').template as {
    Resources: Record<string, { Type: string; Properties: { Handler?: string; Code?: { S3Key: string } } }>;
  };
  const functions = Object.values(Resources).filter(({ Type }) => Type === 'AWS::Lambda::Function');
  expect(functions.map(({ Properties }) => Properties.Handler)).toEqual(definitions.map(({ handler }) => `index.${handler}`));
  for (const [i, definition] of definitions.entries()) {
    const asset = `asset.${functions[i]!.Properties.Code!.S3Key.replace(/\.zip$/, '')}`;
    const built = await bundle(definition.entry);
    expect(readFileSync(join(outdir, asset, BUNDLE_FILE))).toEqual(readFileSync(built.file));
  }
}, 60_000);

describe("the SDK's schemas, tree-shaken", () => {
  /** One e-mail sent with SES v2, bundled as a function is, with or without the plugin. */
  async function sesBundle(plugins: (typeof literalSchemaTraitKeys)[]): Promise<string> {
    const contents =
      "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';\nexport const send = (input) => new SESv2Client({}).send(new SendEmailCommand(input));\n";
    const result = await build({
      stdin: { contents, resolveDir: REPO_ROOT, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      minify: true,
      mainFields: ['module', 'main'],
      plugins,
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  }

  it('the SDK still needs it: esbuild alone keeps every SES v2 operation for one SendEmail (aws-sdk-js-v3#7607)', async () => {
    const plain = await sesBundle([]);
    const shaken = await sesBundle([literalSchemaTraitKeys]);
    // BatchGetMetricData is an SES v2 operation the bundle never sends.
    expect(plain).toContain('/v2/email/metrics/batch');
    expect(shaken).not.toContain('/v2/email/metrics/batch');
    expect(shaken).toContain('/v2/email/outbound-emails');
    expect(shaken.length).toBeLessThan(plain.length - 30_000);
  }, 60_000);

  it('describes every operation and shape as before: each client the functions depend on, its schemas evaluated with and without the rewrite', async () => {
    const { dependencies } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const clients = Object.keys(dependencies).filter((name) => name.startsWith('@aws-sdk/client-'));
    expect(clients.length).toBeGreaterThan(5);
    const canonical = join(scratch, 'canonical-exports.mjs');
    // Each export as JSON: a schema's lazy reference (`() => Shape$`) by the export it returns, classes by name.
    writeFileSync(
      canonical,
      `export function canonical(mod) {
        const names = new Map(Object.entries(mod).filter(([, v]) => v && typeof v === 'object').map(([k, v]) => [v, k]));
        const seen = new Set();
        const c = (v, depth) => {
          if (typeof v === 'function') {
            if (v.prototype) return 'class ' + v.name;
            const r = v();
            return names.has(r) ? '-> ' + names.get(r) : depth > 3 ? '-> ?' : ['->', c(r, depth + 1)];
          }
          if (Array.isArray(v)) return v.map((x) => c(x, depth));
          if (v && typeof v === 'object') {
            if (seen.has(v)) return 'cycle';
            seen.add(v);
            const out = { '@': v.constructor?.name, ...Object.fromEntries(Object.keys(v).sort().map((k) => [k, c(v[k], depth)])) };
            seen.delete(v);
            return out;
          }
          return v;
        };
        return JSON.stringify(Object.fromEntries(Object.keys(mod).sort().map((k) => [k, c(mod[k], 0)])));
      }`,
    );
    for (const client of clients) {
      const entry = join(REPO_ROOT, 'node_modules', client, 'dist-es/schemas/schemas_0.js');
      const files = await Promise.all(
        [[], [literalSchemaTraitKeys]].map(async (plugins, i) => {
          const outfile = join(scratch, `${client.replace(/\W/g, '_')}-${i}.mjs`);
          await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', plugins, logLevel: 'silent' });
          return outfile;
        }),
      );
      const script = `import { canonical } from ${JSON.stringify(pathToFileURL(canonical).href)};
        const [a, b] = await Promise.all(${JSON.stringify(files.map((f) => pathToFileURL(f).href))}.map((f) => import(f)));
        console.log(JSON.stringify({ exports: Object.keys(a).length, same: canonical(a) === canonical(b) }));`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
      expect({ client, ...JSON.parse(stdout) }).toEqual({ client, exports: expect.any(Number), same: true });
      expect(readFileSync(files[1]!, 'utf8')).not.toMatch(/\[_\w+\]:/);
    }
  }, 120_000);

  it('writes a computed key as the literal its file declares, and leaves __proto__ and unknown names computed', () => {
    const source = [
      'const _h = "http";',
      'const _p = "__proto__";',
      'export var Op$ = [9, n0, _O, { [_h]: ["POST", "/x", 200] }, 0, 0];',
      'export var Odd$ = [3, n0, _Q, { [_p]: 1, [_z]: 2 }];',
    ].join('\n');
    expect(withLiteralTraitKeys(source).split('\n').slice(2)).toEqual([
      'export var Op$ = [9, n0, _O, { "http": ["POST", "/x", 200] }, 0, 0];',
      'export var Odd$ = [3, n0, _Q, { [_p]: 1, [_z]: 2 }];',
    ]);
  });
});

describe('a bundle loaded cold by node', () => {
  let dynamodbProbe: Bundle;
  let emailProbe: Bundle;
  let server: Server;
  let endpoint: string;
  /** What the endpoint saw: each request's method, path, headers and body. */
  const requests: Array<Pick<IncomingMessage, 'method' | 'url' | 'headers'> & { body: string }> = [];
  /** How the endpoint answers the next requests. */
  let answer: (response: ServerResponse) => void;
  /** As DynamoDB answers a missing table. */
  const noSuchTable = (response: ServerResponse) => {
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'no such table' }));
  };

  beforeAll(async () => {
    [dynamodbProbe, emailProbe] = await Promise.all([
      bundle('test/fixtures/handlers/dynamodb-probe.ts'),
      bundle('test/fixtures/handlers/email-probe.ts'),
    ]);
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { method, url, headers } = request;
        requests.push({ method, url, headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(response);
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
  beforeEach(() => {
    requests.length = 0;
    answer = noSuchTable;
  });

  /** A fresh `node` importing the bundle and calling its handler once, in a home whose shared credentials file names a profile. */
  async function invoke(credentials: Record<string, string>, probe = dynamodbProbe): Promise<Record<string, string>> {
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
    expect(requests[0]!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY\/\d{8}\/eu-west-1\/dynamodb\/aws4_request,/,
    );
    expect(requests[0]!.headers['x-amz-security-token']).toBe('session-token-example');
  });

  it('sends nothing without them: no shared credentials file or other source is read', async () => {
    const result = await invoke({});
    expect(result).toEqual({ name: 'CredentialsProviderError', message: 'Unable to find environment variable credentials.' });
    expect(requests).toEqual([]);
  });

  const credentials = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEY', AWS_SECRET_ACCESS_KEY: 'secret/example', AWS_SESSION_TOKEN: 'token' };

  it("speaks SES v2's REST protocol from the tree-shaken schemas: the operation's method and path, its body, its answer", async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ MessageId: 'message-1' }));
    };
    expect(await invoke(credentials, emailProbe)).toEqual({ name: 'none', message: 'message-1' });
    expect(requests.map(({ method, url }) => `${method} ${url}`)).toEqual(['POST /v2/email/outbound-emails']);
    expect(readFileSync(emailProbe.file, 'utf8')).not.toContain('/v2/email/metrics/batch');
    expect(JSON.parse(requests[0]!.body)).toMatchObject({
      FromEmailAddress: 'desk@example.com',
      Destination: { ToAddresses: ['employee@example.com'] },
      Content: { Simple: { Subject: { Data: 'probe' } } },
    });
  });

  it("and reads SES v2's modeled errors from them", async () => {
    answer = (response) => {
      response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' });
      response.end(JSON.stringify({ message: 'Email address is not verified.' }));
    };
    expect(await invoke(credentials, emailProbe)).toEqual({ name: 'MessageRejected', message: 'Email address is not verified.' });
  });
});

describe('the bundle command CDK runs', () => {
  const command = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'infra/bundling/bundle-function-command.ts', ...args], { cwd: REPO_ROOT }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  it('exits with esbuild’s reason when a function does not build (projectFunction then fails the synth)', async () => {
    const outdir = mkdtempSync(join(scratch, 'broken-'));
    const result = await command(JSON.stringify({ entry: 'lambdas/handlers/no-such-handler.ts', outdir }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no-such-handler.ts');
  }, 30_000);

  it('refuses a request without an entry or an output folder', async () => {
    expect(await command('{}')).toEqual({ code: 2, stderr: expect.stringContaining('usage:') });
  }, 30_000);
});
