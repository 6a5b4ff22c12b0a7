/**
 * A function of the function catalogue as CDK deploys it: NodejsFunction (esbuild, an ES module with
 * the AWS SDK bundled, minified, source maps), nodejs22.x on arm64, X-Ray active, its own log group
 * with retention, and the environment every function shares.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing, type FunctionOptions } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { resolve } from 'node:path';
import type { FunctionDefinition } from '../../lambdas/function-catalogue';
import { pascalCase } from '../../catalogue/placeholders';
import { ENV } from '../../lambdas/configuration/environment';

export const REPO_ROOT = resolve(__dirname, '../..');

/**
 * esbuild settings shared with `bench:cold-start`, which builds bundles exactly as CDK does (#21).
 * An ES module with everything bundled, the AWS SDK v3 included rather than taken from the runtime:
 * esbuild tree-shakes the SDK's ES modules (`module` before `main`), so a function loads the clients
 * and commands it uses instead of the runtime's whole client packages, and its init is shorter
 * (BENCHMARKS.md). The banner gives the CommonJS dependencies bundled inside (they `require` Node
 * built-ins) the `require` an ES module lacks, as the NodejsFunction documentation shows.
 *
 * The alias puts lambdas/aws/lambda-credential-provider.ts in place of the SDK's default credential chain:
 * Lambda gives a function its role's credentials in environment variables
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime), so
 * the chain's SSO, ini-file, process, web-identity and metadata providers are dead weight in every bundle (#21).
 * The path is relative to the working directory, which for NodejsFunction's local esbuild is projectRoot
 * (REPO_ROOT); `bench:cold-start` applies the same alias through esbuild's API.
 */
export const BUNDLING = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);",
  externalModules: [],
  esbuildArgs: { '--alias': '@aws-sdk/credential-provider-node=./lambdas/aws/lambda-credential-provider.ts' },
} as const;

/**
 * The directory a function's bundle is built for: esbuild's define of `process.env.SUPPORT_DESK_BUNDLED_DIRECTORY`
 * from the DIRECTORY the function is deployed with, so that the bundle holds that directory's adapter only
 * (lambdas/directory/directory-from-environment.ts; #21: the others' ldapts and Cognito client were ~90 KB
 * of the directory writers). A function deployed without DIRECTORY keeps every adapter.
 */
export function directoryDefine(environment: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const directory = environment[ENV.directory];
  return directory ? { 'process.env.SUPPORT_DESK_BUNDLED_DIRECTORY': JSON.stringify(directory) } : {};
}

export function retentionDays(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays)
    .filter((v): v is RetentionDays => typeof v === 'number' && v > 0)
    .sort((a, b) => a - b);
  return allowed.find((d) => d >= days) ?? RetentionDays.TEN_YEARS;
}

export function projectFunction(
  scope: Construct,
  definition: FunctionDefinition,
  options: {
    stage: string;
    environment: Record<string, string>;
    logRetentionDays: number;
    reservedConcurrency?: number;
    network?: Pick<FunctionOptions, 'vpc' | 'vpcSubnets' | 'securityGroups'>;
  },
): NodejsFunction {
  const id = pascalCase(definition.name);
  const functionName = `support-desk-${definition.name}-${options.stage}`;
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${functionName}`,
    retention: retentionDays(options.logRetentionDays),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return new NodejsFunction(scope, `${id}Function`, {
    functionName,
    description: definition.description,
    entry: resolve(REPO_ROOT, definition.entry),
    handler: definition.handler,
    projectRoot: REPO_ROOT,
    depsLockFilePath: resolve(REPO_ROOT, 'package-lock.json'),
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: definition.memoryMb,
    timeout: Duration.seconds(definition.timeoutSeconds),
    tracing: Tracing.ACTIVE,
    logGroup,
    environment: { ...options.environment, NODE_OPTIONS: '--enable-source-maps' },
    ...(options.reservedConcurrency ? { reservedConcurrentExecutions: options.reservedConcurrency } : {}),
    ...(options.network ?? {}),
    bundling: {
      ...BUNDLING,
      mainFields: [...BUNDLING.mainFields],
      externalModules: [...BUNDLING.externalModules],
      define: directoryDefine(options.environment),
    },
  });
}
