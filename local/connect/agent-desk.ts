/**
 * The twin's agent desk (issue #20): what an agent's Contact Control Panel does (accept a waiting caller,
 * end the call), and the agent API, which is the AWS one: the `agent-api` Lambda
 * (lambdas/handlers/agent-api.ts), run through the twin's Lambda host with the event API Gateway gives it.
 *
 * - accept: a WAITING contact becomes CONNECTED to the agent (the same agent again: no change); 409 when it
 *   is another agent's, 404 when there is no such contact. end: only the connected agent (403 otherwise).
 *   Ending runs the contact's disconnect flow for the caller still on the line (CallCenter.endContact).
 *   `agentId` is the agent's Connect username (the twin has no sign-in: local/connect/connect-users.ts).
 * - api: the agent API's routes. On AWS an agent calls them with SigV4 and API Gateway authenticates the IAM
 *   principal; the twin has no IAM, so the request names the agent (`agentId`, checked as ever: 400) and the
 *   twin invokes the Lambda as that agent's federated role session would call it: `requestContext.identity.userArn`
 *   is `arn:aws:sts::<twin account>:assumed-role/SupportDeskAgent/<agentId>` (twinAgentArn), so the Lambda
 *   finds the Connect user by the session name (SearchUsers on the twin's Connect endpoint) and audits the ARN,
 *   exactly as on AWS. The Lambda's `{statusCode, headers, body}` is the answer.
 *
 * The event is a REST API (v1) Lambda proxy integration event, as API Gateway builds it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html, "Input
 * format of a Lambda function for proxy integration"): resource, path, httpMethod, headers and
 * multiValueHeaders, queryStringParameters, pathParameters, stageVariables, requestContext (with the
 * caller's identity for AWS_IAM authorization), body as a string, isBase64Encoded. A Lambda that fails or
 * answers something else than a proxy result is API Gateway's 502 `{"message": "Internal server error"}`
 * ("Output format of a Lambda function for proxy integration", same page).
 *
 * The HTTP layer (local/http/agent-api.ts) only maps these to routes.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AgentDeskError, agentIdOf, REFUSALS } from '../../lambdas/domain/agent-desk';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';
import type { InvocationResult } from '../lambda/lambda-host';
import type { AgentActionOutcome } from './agent-queue';

export { AgentDeskError, REFUSALS };

/** The agent API function (lambdas/function-catalogue.ts). */
export const AGENT_API_FUNCTION = 'agent-api';
/** The role the twin's agents act as (on AWS: the agents' federated role, whatever its name). */
export const TWIN_AGENT_ROLE = 'SupportDeskAgent';
/** The REST API's stage, as deployed (infra/constructs/agent-api.ts AGENT_API_STAGE; not imported: no CDK in the twin). */
export const AGENT_API_STAGE = 'v1';
/** The twin's stand-in for the REST API's ID (10 lowercase letters and digits, as API Gateway's). */
export const TWIN_AGENT_API_ID = 'twinagent1';

/** The IAM principal the twin's agent acts as: an assumed-role session named after the agent's Connect username. */
export function twinAgentArn(agentId: string): string {
  return `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${TWIN_AGENT_ROLE}/${agentId}`;
}

/** The agent API's routes: the twin's route name → the REST API resource (lambdas/handlers/agent-api.ts). */
export const AGENT_API_ROUTES = {
  context: { method: 'GET', resource: '/contacts/{contactId}' },
  verification: { method: 'POST', resource: '/contacts/{contactId}/verification' },
  code: { method: 'POST', resource: '/contacts/{contactId}/verification/code' },
  readout: { method: 'POST', resource: '/contacts/{contactId}/readout' },
} as const;
export type AgentApiRoute = keyof typeof AGENT_API_ROUTES;

export interface AgentApiRequest {
  route: AgentApiRoute;
  contactId: string;
  /** The agent's Connect username (checked: 400). */
  agentId: unknown;
  /** The JSON body without `agentId` (POST routes), or undefined (GET). */
  body?: Record<string, unknown>;
  /** The request's headers (a multi-valued one as an array). */
  headers?: Record<string, string | string[] | undefined>;
  /** The query string's parameters other than `agentId`. */
  query?: URLSearchParams;
  sourceIp?: string;
}

export interface AgentApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface AgentDeskDeps {
  /** An agent takes a waiting contact (CallCenter.acceptContact). */
  accept: (contactId: string, agentId: string) => AgentActionOutcome;
  /** The connected agent ends a contact (CallCenter.endContact). */
  end: (contactId: string, agentId: string) => AgentActionOutcome;
  /** Invokes a function by name (LambdaHost.invoke). */
  invoke: (functionName: string, event: unknown) => Promise<InvocationResult>;
  /** Wall-clock milliseconds, for the event's request time. */
  now?: () => number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** API Gateway's `requestTime` (CLF: 09/Apr/2015:12:34:56 +0000). */
function requestTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The REST API proxy event API Gateway would give the Lambda for this request, made by the given agent. */
export function agentApiEvent(request: AgentApiRequest & { agentId: string }, now: number = Date.now()): APIGatewayProxyEvent {
  const { method, resource } = AGENT_API_ROUTES[request.route];
  const path = resource.replace('{contactId}', encodeURIComponent(request.contactId));
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const query = [...(request.query ?? new URLSearchParams())].filter(([name]) => name !== 'agentId');
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of query) multiQuery[name] = [...(multiQuery[name] ?? []), value];
  const requestId = randomUUID();
  const arn = twinAgentArn(request.agentId);
  const sourceIp = request.sourceIp ?? '127.0.0.1';
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.length > 0 ? Object.fromEntries(query) : null,
    multiValueQueryStringParameters: query.length > 0 ? multiQuery : null,
    pathParameters: { contactId: request.contactId },
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: TWIN_AGENT_API_ID,
      authorizer: null,
      domainName: `${TWIN_AGENT_API_ID}.execute-api.${LOCAL_REGION}.amazonaws.com`,
      domainPrefix: TWIN_AGENT_API_ID,
      extendedRequestId: requestId,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: LOCAL_ACCOUNT,
        apiKey: null,
        apiKeyId: null,
        caller: `AROATWINAGENTROLE0000:${request.agentId}`,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: `AROATWINAGENTROLE0000:${request.agentId}`,
        userAgent: headers['user-agent'] ?? null,
        userArn: arn,
      },
      path: `/${AGENT_API_STAGE}${path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now,
      resourceId: request.route,
      resourcePath: resource,
      stage: AGENT_API_STAGE,
    },
    body: request.body === undefined ? null : JSON.stringify(request.body),
    isBase64Encoded: false,
  };
}

const BAD_GATEWAY: AgentApiAnswer = {
  status: 502,
  headers: { 'content-type': 'application/json' },
  body: { message: 'Internal server error' },
};

export class AgentDesk {
  constructor(private readonly deps: AgentDeskDeps) {}

  /** The agent takes a waiting contact: CONNECTED to the agent; 409 another agent's, 404 unknown. */
  accept(contactId: string, body: unknown): { contactId: string; state: 'CONNECTED'; agentId: string } {
    const agentId = agentIdOf(body);
    const outcome = this.deps.accept(contactId, agentId);
    if (outcome === 'UNKNOWN') throw new AgentDeskError(404, REFUSALS.unknownContact);
    if (outcome === 'NOT_YOURS') throw new AgentDeskError(409, REFUSALS.otherAgent);
    return { contactId, state: 'CONNECTED', agentId };
  }

  /** The connected agent leaves the call (the caller goes on in the disconnect flow); 403 anyone else, 404 unknown. */
  end(contactId: string, body: unknown): { contactId: string; state: 'ENDED' } {
    const agentId = agentIdOf(body);
    const outcome = this.deps.end(contactId, agentId);
    if (outcome === 'UNKNOWN') throw new AgentDeskError(404, REFUSALS.unknownContact);
    if (outcome === 'NOT_YOURS') throw new AgentDeskError(403, REFUSALS.notConnected);
    return { contactId, state: 'ENDED' };
  }

  /** An agent API request, answered by the agent-api Lambda as the agent's role session (a bad agentId: 400 here). */
  async api(request: AgentApiRequest): Promise<AgentApiAnswer> {
    const agentId = agentIdOf({ agentId: request.agentId });
    const event = agentApiEvent({ ...request, agentId }, (this.deps.now ?? Date.now)());
    const result = await this.deps.invoke(AGENT_API_FUNCTION, event);
    if (!result.ok) return BAD_GATEWAY;
    const out = result.payload as { statusCode?: unknown; headers?: unknown; body?: unknown } | null;
    if (!out || typeof out !== 'object' || !Number.isInteger(out.statusCode)) return BAD_GATEWAY;
    let body: unknown = {};
    if (typeof out.body === 'string' && out.body !== '') {
      try {
        body = JSON.parse(out.body);
      } catch {
        return BAD_GATEWAY;
      }
    }
    const headers: Record<string, string> = {};
    if (out.headers && typeof out.headers === 'object')
      for (const [name, value] of Object.entries(out.headers)) if (typeof value === 'string') headers[name] = value;
    return { status: out.statusCode as number, headers, body };
  }
}
