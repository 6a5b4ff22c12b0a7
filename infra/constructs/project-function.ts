/**
 * A function of the function catalogue as CDK deploys it: its bundle (infra/bundling/function-bundle.ts: an ES module
 * with the AWS SDK bundled, minified, source maps), nodejs22.x on arm64, X-Ray active, its own log group with
 * retention, and the environment every function shares.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing, type FunctionOptions } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { execFileSync } from 'node:child_process';
import type { FunctionDefinition } from '../../lambdas/function-catalogue';
import { pascalCase } from '../../catalogue/placeholders';
import { BUNDLE_MODULE, bundledDirectory, REPO_ROOT, type FunctionBundleRequest } from '../bundling/function-bundle';
import { builtAtSynth } from '../bundling/built-at-synth';

export { REPO_ROOT };

/** Relative to the repository root, the working directory of the build here and in the image alike. */
const BUNDLE_COMMAND = 'infra/bundling/bundle-function-command.ts';

/** The functions' Lambda runtime; `npm run lambda-runtime-node` gets its Node.js major for the suite and the benches. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;

/** The function's code: its bundle, built at synth (builtAtSynth), each function's with its own command. */
export function functionCode(entry: string, directory: string | undefined): Code {
  const command = (outdir: string): string[] => {
    const request: FunctionBundleRequest = { entry, outdir, ...(directory ? { directory } : {}) };
    return ['node', '--import', 'tsx', BUNDLE_COMMAND, JSON.stringify(request)];
  };
  return Code.fromAsset(
    REPO_ROOT,
    builtAtSynth(command, (outdir) => {
      const [, ...args] = command(outdir);
      execFileSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    }),
  );
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
): LambdaFunction {
  const id = pascalCase(definition.name);
  const functionName = `support-desk-${definition.name}-${options.stage}`;
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${functionName}`,
    retention: retentionDays(options.logRetentionDays),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return new LambdaFunction(scope, `${id}Function`, {
    functionName,
    description: definition.description,
    code: functionCode(definition.entry, bundledDirectory(options.environment)),
    handler: `${BUNDLE_MODULE}.${definition.handler}`,
    runtime: FUNCTION_RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: definition.memoryMb,
    timeout: Duration.seconds(definition.timeoutSeconds),
    tracing: Tracing.ACTIVE,
    logGroup,
    environment: { ...options.environment, NODE_OPTIONS: '--enable-source-maps' },
    ...(options.reservedConcurrency ? { reservedConcurrentExecutions: options.reservedConcurrency } : {}),
    ...(options.network ?? {}),
  });
}
