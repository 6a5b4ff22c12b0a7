/**
 * The twin's Amazon Connect API (restJson1, as `@aws-sdk/client-connect` calls it): the four operations the
 * agent API Lambda uses (lambdas/aws/connect-contacts.ts), over the twin's call center, and nothing else.
 *
 *   GET  /contacts/{InstanceId}/{ContactId}                    DescribeContact
 *        https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeContact.html
 *        (the Contact, AgentInfo, QueueInfo and EndpointInfo data types:
 *        https://docs.aws.amazon.com/connect/latest/APIReference/API_Contact.html,
 *        https://docs.aws.amazon.com/connect/latest/APIReference/API_AgentInfo.html)
 *   GET  /contact/attributes/{InstanceId}/{InitialContactId}   GetContactAttributes
 *        https://docs.aws.amazon.com/connect/latest/APIReference/API_GetContactAttributes.html
 *   POST /contact/attributes  {InstanceId, InitialContactId, Attributes}   UpdateContactAttributes
 *        https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateContactAttributes.html
 *   POST /search-users  {InstanceId, SearchCriteria, MaxResults?}   SearchUsers
 *        https://docs.aws.amazon.com/connect/latest/APIReference/API_SearchUsers.html
 *
 * Shapes follow the SDK's schemas (DescribeContactResponse$, Contact$, AgentInfo$, EndpointInfo$, QueueInfo$,
 * GetContactAttributesResponse$, SearchUsersResponse$, UserSearchSummary$); timestamps are epoch seconds,
 * restJson1's default timestamp format. Inputs are checked as the API reference constrains them (InstanceId
 * 1–100, ContactId and InitialContactId 1–256, attribute keys of alphanumerics, dash and underscore, at most
 * 32,768 UTF-8 bytes across a contact's attributes, MaxResults 1–100). Another instance is
 * ResourceNotFoundException, as is a contact the twin does not have. Twin rules, never more lenient than AWS:
 * SearchUsers takes only the one criterion the agent API sends (a StringCondition on Username, EXACT) and no
 * SearchFilter or NextToken, anything else is InvalidParameterException saying so; any other operation is
 * refused (404 UnknownOperationException).
 *
 * Users: no sign-in here; local/connect/connect-users.ts.
 */
import { createServer, type Server } from 'node:http';
import { roleRefusal, type LambdaRoles } from '../lambda/lambda-roles';
import type { RoleRequest } from '../../lambdas/function-role';
import { restJsonListener, type RestJsonReply } from '../http/rest-json-exchange';
import { INSTANCE_ARN, INSTANCE_ID, type CallCenter, type ConnectContactView } from './call-center';
import { isTwinUsername, twinUserId } from './connect-users';
import { ATTRIBUTE_KEY, attributeBytes, MAX_ATTRIBUTE_BYTES } from './contact-attribute-limits';

const MAX_SEARCH_RESULTS = 100;

class ConnectError extends Error {
  constructor(
    readonly status: number,
    readonly type:
      | 'ResourceNotFoundException'
      | 'InvalidParameterException'
      | 'InvalidRequestException'
      | 'UnknownOperationException'
      | 'AccessDeniedException',
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new ConnectError(400, 'InvalidParameterException', message);

/** Epoch seconds, restJson1's default timestamp format (the SDK reads a number as seconds). */
const seconds = (ms: number) => ms / 1000;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ConnectError(400, 'InvalidRequestException', 'The request path is not valid percent-encoding');
  }
}

function checkInstance(instanceId: unknown): void {
  if (typeof instanceId !== 'string' || instanceId.length < 1 || instanceId.length > 100)
    throw invalid('InstanceId must be a string of 1 to 100 characters');
  if (instanceId !== INSTANCE_ID) throw new ConnectError(404, 'ResourceNotFoundException', `Instance not found: ${instanceId}`);
}

function checkContactId(name: 'ContactId' | 'InitialContactId', value: unknown): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 256) throw invalid(`${name} must be a string of 1 to 256 characters`);
  return value;
}

function jsonBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new ConnectError(400, 'InvalidRequestException', 'The request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConnectError(400, 'InvalidRequestException', 'The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** DescribeContact's Contact, as the SDK's Contact$ schema names its members. */
function contactShape(view: ConnectContactView): Record<string, unknown> {
  return {
    Arn: view.arn,
    Id: view.contactId,
    InitialContactId: view.initialContactId,
    Channel: view.channel,
    InitiationMethod: view.initiationMethod,
    InitiationTimestamp: seconds(view.initiationTimestamp),
    ...(view.disconnectTimestamp !== undefined ? { DisconnectTimestamp: seconds(view.disconnectTimestamp) } : {}),
    CustomerEndpoint: { Type: view.customerEndpoint.type, Address: view.customerEndpoint.address },
    SystemEndpoint: { Type: view.systemEndpoint.type, Address: view.systemEndpoint.address },
    ...(view.queue ? { QueueInfo: { Id: view.queue.id, EnqueueTimestamp: seconds(view.queue.enqueueTimestamp) } } : {}),
    ...(view.agent
      ? {
          AgentInfo: {
            Id: view.agent.id,
            ConnectedToAgentTimestamp: seconds(view.agent.connectedToAgentTimestamp),
            ...(view.agent.afterContactWorkStartTimestamp !== undefined
              ? { AfterContactWorkStartTimestamp: seconds(view.agent.afterContactWorkStartTimestamp) }
              : {}),
          },
        }
      : {}),
  };
}

function attributesOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('Attributes must be a map of strings to strings');
  const attributes = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(attributes)) {
    if (!ATTRIBUTE_KEY.test(key)) throw invalid('Attribute keys can include only alphanumeric, dash, and underscore characters');
    if (typeof v !== 'string') throw invalid(`Attribute ${key} must be a string`);
  }
  return attributes as Record<string, string>;
}

/** The username SearchUsers looks for: exactly {StringCondition: {FieldName: Username, Value, ComparisonType: EXACT}}. */
function searchedUsername(criteria: unknown): string {
  const unmodelled = () =>
    invalid('The twin models only SearchCriteria {StringCondition: {FieldName: "Username", Value, ComparisonType: "EXACT"}}');
  if (!criteria || typeof criteria !== 'object' || Array.isArray(criteria)) throw unmodelled();
  const keys = Object.keys(criteria);
  if (keys.length !== 1 || keys[0] !== 'StringCondition') throw unmodelled();
  const condition = (criteria as { StringCondition: unknown }).StringCondition;
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) throw unmodelled();
  const { FieldName, Value, ComparisonType, ...rest } = condition as Record<string, unknown>;
  if (FieldName !== 'Username' || ComparisonType !== 'EXACT' || typeof Value !== 'string' || Object.keys(rest).length > 0)
    throw unmodelled();
  return Value;
}

/** The IAM action of a Connect request the twin serves, by method and path (its operation's). */
function actionOf(method: string, path: string): RoleRequest {
  const segments = path.split('/').slice(1);
  if (method === 'GET' && segments.length === 3 && segments[0] === 'contacts') return { action: 'connect:DescribeContact' };
  if (method === 'GET' && segments.length === 4 && segments[0] === 'contact' && segments[1] === 'attributes')
    return { action: 'connect:GetContactAttributes' };
  if (method === 'POST' && path === '/contact/attributes') return { action: 'connect:UpdateContactAttributes' };
  if (method === 'POST' && path === '/search-users') return { action: 'connect:SearchUsers' };
  return { action: `connect:${method} ${path}`, other: true };
}

export function createConnectServer(calls: () => CallCenter, options: { roles?: LambdaRoles } = {}): Server {
  const handle = (method: string, path: string, body: Buffer): { status?: number; body: unknown } => {
    const segments = path.split('/').slice(1);
    // DescribeContact
    if (method === 'GET' && segments.length === 3 && segments[0] === 'contacts') {
      checkInstance(decoded(segments[1]!));
      const contactId = checkContactId('ContactId', decoded(segments[2]!));
      const view = calls().connectContact(contactId);
      if (!view) throw new ConnectError(404, 'ResourceNotFoundException', `Contact not found: ${contactId}`);
      return { body: { Contact: contactShape(view) } };
    }
    // GetContactAttributes
    if (method === 'GET' && segments.length === 4 && segments[0] === 'contact' && segments[1] === 'attributes') {
      checkInstance(decoded(segments[2]!));
      const initialContactId = checkContactId('InitialContactId', decoded(segments[3]!));
      const view = calls().connectContact(initialContactId);
      if (!view) throw new ConnectError(404, 'ResourceNotFoundException', `Contact not found: ${initialContactId}`);
      return { body: { Attributes: view.attributes } };
    }
    // UpdateContactAttributes
    if (method === 'POST' && path === '/contact/attributes') {
      const input = jsonBody(body);
      checkInstance(input.InstanceId);
      const initialContactId = checkContactId('InitialContactId', input.InitialContactId);
      const attributes = attributesOf(input.Attributes);
      const view = calls().connectContact(initialContactId);
      if (!view) throw new ConnectError(404, 'ResourceNotFoundException', `Contact not found: ${initialContactId}`);
      if (attributeBytes({ ...view.attributes, ...attributes }) > MAX_ATTRIBUTE_BYTES)
        throw invalid(`A contact's attributes can hold at most ${MAX_ATTRIBUTE_BYTES} UTF-8 bytes`);
      calls().updateContactAttributes(initialContactId, attributes);
      return { body: {} };
    }
    // SearchUsers
    if (method === 'POST' && path === '/search-users') {
      const input = jsonBody(body);
      checkInstance(input.InstanceId);
      const { MaxResults } = input;
      if (
        MaxResults !== undefined &&
        (!Number.isInteger(MaxResults) || (MaxResults as number) < 1 || (MaxResults as number) > MAX_SEARCH_RESULTS)
      )
        throw invalid(`MaxResults must be an integer from 1 to ${MAX_SEARCH_RESULTS}`);
      if (input.SearchFilter !== undefined) throw invalid('The twin models no SearchFilter');
      if (input.NextToken !== undefined) throw invalid('The twin models no NextToken: its searches answer one page');
      const username = searchedUsername(input.SearchCriteria);
      const users = isTwinUsername(username)
        ? [{ Id: twinUserId(username), Arn: `${INSTANCE_ARN}/agent/${twinUserId(username)}`, Username: username }]
        : [];
      return { body: { Users: users, ApproximateTotalCount: users.length } };
    }
    throw new ConnectError(404, 'UnknownOperationException', `${method} ${path} is not an operation the twin serves`);
  };
  return createServer(
    restJsonListener(({ method, path, body, headers }, reply: RestJsonReply) => {
      try {
        const refusal = roleRefusal(options.roles, headers, () => [{ request: actionOf(method, path), resource: `${INSTANCE_ARN}/*` }]);
        if (refusal) throw new ConnectError(403, 'AccessDeniedException', refusal.message);
        const answer = handle(method, path, body);
        reply(answer.status ?? 200, answer.body);
      } catch (error) {
        if (error instanceof ConnectError) reply(error.status, { Message: error.message }, { 'x-amzn-errortype': error.type });
        else reply(500, { Message: 'Internal service error' }, { 'x-amzn-errortype': 'InternalServiceException' });
      }
    }),
  );
}
