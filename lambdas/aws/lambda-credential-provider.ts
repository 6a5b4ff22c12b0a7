/**
 * The credential provider a deployed function's SDK clients use, put in place of
 * `@aws-sdk/credential-provider-node` by an esbuild alias (infra/bundling/function-bundle.ts).
 *
 * Lambda hands a function its execution role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN ("Defined runtime environment variables",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * and the SDK's default chain reads those first. The chain's other providers (SSO, shared ini files,
 * credential_process, web identity, ECS and EC2 metadata) cannot apply inside Lambda, yet every client's
 * runtime configuration imports them: ~110 KB of each bundle and part of its init (BENCHMARKS.md, #21).
 * Written by hand because no SDK package offers the environment provider under the default chain's name.
 * The twin runs the handlers from source, with the full chain (it too reads the environment first).
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

type ProviderInit = Parameters<typeof fromEnv>[0];

/** The default chain's entry point, as the clients' runtime configuration calls it. */
export function defaultProvider(init: ProviderInit = {}): AwsCredentialIdentityProvider {
  return fromEnv(init);
}

/** The chain's two helpers, as @aws-sdk/credential-provider-node defines them (an expiry comes from AWS_CREDENTIAL_EXPIRATION). */
export const credentialsWillNeedRefresh = (credentials?: { expiration?: Date }): boolean => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials?: { expiration?: Date }): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
