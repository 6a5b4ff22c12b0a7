/**
 * The agent API on AWS (issue #20): API Gateway REST API, Lambda proxy integration, every method
 * IAM-authorized (infra/constructs/agent-api.ts). The Agent Workspace app (agent-workspace/) calls it with
 * SigV4-signed requests made with the agents' federated role.
 *
 *   GET  /contacts/{contactId}                    → { contactId, context }  (the allow-listed agent* attributes)
 *   POST /contacts/{contactId}/verification       → { status }              (CODE_SENT | RATE_LIMITED | UNAVAILABLE)
 *   POST /contacts/{contactId}/verification/code  {code}   → { status, attemptsLeft? }
 *   POST /contacts/{contactId}/readout            {action: RESET | UNLOCK} → { status: 'READOUT_READY', action }
 *
 * Who calls: the IAM principal API Gateway authenticated (`requestContext.identity.userArn`, set for
 * AWS_IAM authorization: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 * Its ARN is the audited `agentId`; the Connect user it acts as is the one whose username is the role
 * session name of an assumed role (what Connect's SAML federation requires the session name to be:
 * https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html), or an IAM user's name. A
 * contact must be connected to that Connect user, or the answer is 403 (lambdas/domain/agent-desk.ts).
 *
 * Answers are JSON, never cached, and never hold a code, a password, a stack or an error's message: a
 * refusal says one of REFUSALS; anything else is 503 and a log line with the error's name only.
 *
 * Configuration is read once, at cold start: CONNECT_INSTANCE_ID, the two workflow ARNs, WORKFLOW_TIMEOUT_MS.
 * Only the SDKs' standard endpoint configuration is used, so the twin runs this very handler against its
 * own Connect and Step Functions endpoints (AWS_ENDPOINT_URL_CONNECT, AWS_ENDPOINT_URL_SFN).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ConnectContacts } from '../aws/connect-contacts';
import { callTimeoutMs, executionName, runWorkflow } from '../aws/step-functions-client';
import { ENV, positiveIntegerEnv, requiredEnv } from '../configuration/environment';
import { TIME_BUDGET } from '../configuration/time-budget';
import { isAgentId } from '../domain/actor';
import {
  AGENT_WORKFLOW_WAIT_MS,
  AgentDesk,
  AgentDeskError,
  type AgentDeskPorts,
  type DeskAgent,
  REFUSALS,
  codeOf,
  readoutActionOf,
} from '../domain/agent-desk';
import { instrumented, observability } from '../observability/instrumented-handler';

const connectInstanceId = requiredEnv(ENV.connectInstanceId);
const startWorkflowArn = requiredEnv(ENV.startWorkflowArn);
const verifyWorkflowArn = requiredEnv(ENV.verifyWorkflowArn);
const workflowTimeoutMs = positiveIntegerEnv(ENV.workflowTimeoutMs, AGENT_WORKFLOW_WAIT_MS);
const tools = observability();
const { logger } = tools;

/** Connect contact IDs are UUIDs (https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeContact.html: 1–256, a UUID in practice). */
const CONTACT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An IAM role session name (AssumeRole* RoleSessionName: 2–64 of [\w+=,.@-]) or an IAM user name (1–64 of the same). */
const PRINCIPAL_NAME = /^[\w+=,.@-]{1,64}$/;

const BAD_REQUEST = {
  contactId: '"contactId" must be an Amazon Connect contact ID (a UUID)',
  body: 'the body must be a JSON object',
} as const;

type Route = 'context' | 'verification' | 'code' | 'readout';
const ROUTES: Record<string, Route> = {
  'GET /contacts/{contactId}': 'context',
  'POST /contacts/{contactId}/verification': 'verification',
  'POST /contacts/{contactId}/verification/code': 'code',
  'POST /contacts/{contactId}/readout': 'readout',
};

function answer(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    body: JSON.stringify(body),
  };
}

/**
 * The Connect username a principal ARN stands for: the role session name of an assumed role
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), or an IAM user's name
 * (`arn:aws:iam::<account>:user[/<path>]/<name>`); undefined for anything else (root, a federated user…).
 */
export function connectUsernameOf(principalArn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:(sts|iam)::\d{12}:(assumed-role|user)\/(.+)$/.exec(principalArn);
  if (!match) return undefined;
  const [, service, kind, rest] = match;
  if ((service === 'sts') !== (kind === 'assumed-role')) return undefined;
  const parts = rest!.split('/');
  if (kind === 'assumed-role' && parts.length !== 2) return undefined;
  const name = parts[parts.length - 1]!;
  return PRINCIPAL_NAME.test(name) ? name : undefined;
}

/** The request's JSON object body (none is an empty object), or a 400. */
function bodyOf(event: APIGatewayProxyEvent): Record<string, unknown> {
  if (event.body === null || event.body === undefined || event.body === '') return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AgentDeskError(400, BAD_REQUEST.body);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AgentDeskError(400, BAD_REQUEST.body);
  return parsed as Record<string, unknown>;
}

/** The calling agent, or a 403 naming no check (an unusable principal and one without a Connect user alike). */
async function agentOf(event: APIGatewayProxyEvent, contacts: ConnectContacts): Promise<DeskAgent> {
  const principalArn = event.requestContext?.identity?.userArn;
  const username = typeof principalArn === 'string' ? connectUsernameOf(principalArn) : undefined;
  if (!isAgentId(principalArn) || username === undefined) throw new AgentDeskError(403, REFUSALS.noActiveContact);
  const userId = await contacts.connectUserIdOf(username);
  if (userId === undefined) throw new AgentDeskError(403, REFUSALS.noActiveContact);
  return { agentId: principalArn, userId };
}

export const handler = instrumented(tools, async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  const route = ROUTES[`${event?.httpMethod} ${event?.resource}`];
  if (!route) return answer(404, { message: 'no such route' });
  try {
    const contactId = event.pathParameters?.contactId;
    if (typeof contactId !== 'string' || !CONTACT_ID.test(contactId)) throw new AgentDeskError(400, BAD_REQUEST.contactId);
    const body = route === 'context' ? {} : bodyOf(event);
    // The request is checked before anything is asked of Connect: a bad code or action is a 400 whoever calls.
    const code = route === 'code' ? codeOf(body) : undefined;
    const action = route === 'readout' ? readoutActionOf(body) : undefined;

    const contacts = new ConnectContacts(connectInstanceId);
    const agent = await agentOf(event, contacts);
    const waitMs = () => callTimeoutMs(workflowTimeoutMs, context.getRemainingTimeInMillis(), TIME_BUDGET.responseMarginMs);
    const ports: AgentDeskPorts = {
      contact: (id) => contacts.deskContact(id),
      updateAttributes: (id, attributes) => contacts.updateAttributes(id, attributes),
      start: (input) => runWorkflow(startWorkflowArn, input, waitMs(), executionName('agent-start', context.awsRequestId)),
      verify: (input) => runWorkflow(verifyWorkflowArn, input, waitMs(), executionName('agent-verify', context.awsRequestId)),
      now: () => Date.now(),
    };
    const desk = new AgentDesk(ports);

    let result: unknown;
    if (route === 'context') result = await desk.context(contactId, agent);
    else if (route === 'verification') result = await desk.startVerification(contactId, agent);
    else if (route === 'code') result = await desk.checkCode(contactId, agent, code!);
    else result = await desk.requestReadout(contactId, agent, action!);
    logger.info('agent api', { route, contactId, agentId: agent.agentId, status: (result as { status?: string }).status ?? 'OK' });
    return answer(200, result);
  } catch (error) {
    if (error instanceof AgentDeskError) {
      logger.info('agent api refused', { route, status: error.status });
      return answer(error.status, { message: error.message });
    }
    logger.error('agent api failed', { route, errorName: (error as Error | undefined)?.name ?? 'Error' });
    return answer(503, { message: 'the agent desk is unavailable' });
  }
});
