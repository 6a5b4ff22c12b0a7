/**
 * The agent API, called with SigV4-signed requests (service `execute-api`) made with temporary
 * credentials of the agents' federated role.
 *
 * Same origin: CloudFront serves the app and routes /contacts/* to the API's stage
 * (infra/constructs/agent-workspace-site.ts), so there is no CORS and no unsigned preflight. The request
 * is signed for the host and path API Gateway receives (the execute-api host, `/<stage>/contacts/…`):
 * CloudFront forwards every viewer header except Host, and sets Host to the origin's
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html).
 *
 * Credentials: the app cannot read the agent's console session. It asks the configured credentials
 * endpoint (`credentialsUrl`: an endpoint the company runs behind its single sign-on, which exchanges the
 * agent's SAML assertion for the federated role with `sts:AssumeRoleWithSAML`, the role session name
 * being the agent's Connect username) with the browser's cookies, and expects the JSON of the AWS
 * container credentials format: { AccessKeyId, SecretAccessKey, Token, Expiration }. README, "Agent
 * Workspace app (AWS)".
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface WorkspaceConfig {
  region: string;
  /** The API's execute-api host (signed as Host). */
  apiHost: string;
  /** The API's stage (the first segment of the path API Gateway receives). */
  apiStage: string;
  /** Where the app gets the federated role's temporary credentials; empty: not configured. */
  credentialsUrl: string;
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export class AgentApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function loadConfig(): Promise<WorkspaceConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error('the app is not configured (config.json)');
  return (await response.json()) as WorkspaceConfig;
}

export class AgentApiClient {
  private credentials: Credentials | undefined;
  private readonly signer: SignatureV4;

  constructor(private readonly config: WorkspaceConfig) {
    this.signer = new SignatureV4({ service: 'execute-api', region: config.region, sha256: Sha256, credentials: () => this.current() });
  }

  /** Cached until a minute before they expire. */
  private async current(): Promise<Credentials> {
    if (this.credentials && this.credentials.expiration.getTime() - Date.now() > 60_000) return this.credentials;
    if (!this.config.credentialsUrl) throw new AgentApiError(0, 'no credentials endpoint is configured for this app');
    const response = await fetch(this.config.credentialsUrl, { credentials: 'include', cache: 'no-store' });
    if (!response.ok) throw new AgentApiError(response.status, 'could not get credentials: sign in again');
    const body = (await response.json()) as Record<string, unknown>;
    const { AccessKeyId, SecretAccessKey, Token, Expiration } = body;
    if (
      typeof AccessKeyId !== 'string' ||
      typeof SecretAccessKey !== 'string' ||
      typeof Token !== 'string' ||
      typeof Expiration !== 'string'
    )
      throw new AgentApiError(0, 'the credentials endpoint answered something else than credentials');
    this.credentials = {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      sessionToken: Token,
      expiration: new Date(Expiration),
    };
    return this.credentials;
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signed = await this.signer.sign({
      method,
      protocol: 'https:',
      hostname: this.config.apiHost,
      path: `/${this.config.apiStage}${path}`,
      headers: { host: this.config.apiHost, ...(payload !== undefined && { 'content-type': 'application/json' }) },
      ...(payload !== undefined && { body: payload }),
    });
    // A browser sets Host itself (to this origin); CloudFront replaces it with the API's.
    const { host: _host, ...headers } = signed.headers as Record<string, string>;
    const response = await fetch(path, { method, headers, ...(payload !== undefined && { body: payload }), cache: 'no-store' });
    const answer = (await response.json().catch(() => ({}))) as T & { message?: string };
    if (!response.ok) throw new AgentApiError(response.status, answer.message ?? `the agent API answered ${response.status}`);
    return answer;
  }
}
