/**
 * The twin's EventBridge endpoint: AWS JSON 1.1 (`X-Amz-Target: AWSEvents.*`): PutEvents (1–10 entries
 * under 256 KB in all), ListRules, DescribeRule, ListTargetsByRule.
 */
import type { Server } from 'node:http';
import { AwsServiceError } from '../http/aws-service-error';
import { createAwsJsonServer } from '../http/aws-json-protocol-server';
import { EVENT_BUS_NAME, type RuleDefinition } from '../../events/rule-catalogue';
import type { EventBus, PutEventsEntry } from './event-bus';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';
import { lambdaRoleCheck, type LambdaRoles } from '../lambda/lambda-roles';

/** The entries of one PutEvents request must total less than 256 KB. */
const MAX_ENTRIES_BYTES = 256 * 1024;

/**
 * An entry's size as EventBridge counts it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html): 14 bytes for a Time,
 * then the UTF-8 bytes of Source, DetailType, Detail and each of Resources.
 */
function entrySize(entry: PutEventsEntry): number {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const e = entry as Record<string, unknown>;
  const resources = Array.isArray(e.Resources) ? (e.Resources as unknown[]) : [];
  return (
    (e.Time !== undefined ? 14 : 0) +
    bytes(e.Source) +
    bytes(e.DetailType) +
    bytes(e.Detail) +
    resources.reduce<number>((n, r) => n + bytes(r), 0)
  );
}

/**
 * PutEvents as IAM sees it, once per bus its entries name (a bus name or ARN; none is the account's
 * default bus): what a handler's request (here) and a workflow's task (local/stepfunctions/workflow-iam.ts) are.
 */
export function putEventsCalls(
  entries: readonly Record<string, unknown>[],
): Array<{ request: { action: 'events:PutEvents'; eventBus: string }; resource: string }> {
  const buses = new Set(entries.map((e) => (typeof e.EventBusName === 'string' ? e.EventBusName : 'default')));
  return [...buses].map((bus) => {
    const name = bus.startsWith('arn:') ? bus.slice(bus.indexOf(':event-bus/') + ':event-bus/'.length) : bus;
    return {
      request: { action: 'events:PutEvents', eventBus: name },
      resource: bus.startsWith('arn:') ? bus : `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${name}`,
    };
  });
}

/** IAM for the handlers' calls: PutEvents on the product's bus, nothing else (lambdas/function-role.ts). */
const callsOf = (operation: string, input: Record<string, unknown>) => {
  if (operation !== 'PutEvents') return [{ request: { action: `events:${operation}`, other: true as const }, resource: '*' }];
  return putEventsCalls(Array.isArray(input.Entries) ? (input.Entries as Record<string, unknown>[]) : []);
};

export function createEventBridgeServer(bus: EventBus, options: { roles?: LambdaRoles } = {}): Server {
  const busName = (input: Record<string, unknown>) =>
    String(input.EventBusName ?? 'default')
      .split('/')
      .pop()!;
  const rule = (input: Record<string, unknown>): RuleDefinition => {
    const found = bus.listRules(busName(input)).find((r) => r.name === input.Name);
    if (!found)
      throw new AwsServiceError('ResourceNotFoundException', `Rule ${String(input.Name)} does not exist on EventBus ${busName(input)}.`);
    return found;
  };
  const describe = (r: RuleDefinition) => ({
    Name: r.name,
    Arn: bus.ruleArn(r),
    EventPattern: JSON.stringify(r.eventPattern),
    State: 'ENABLED',
    Description: r.description,
    EventBusName: EVENT_BUS_NAME,
  });
  return createAwsJsonServer({
    targetPrefix: 'AWSEvents',
    contentType: 'application/x-amz-json-1.1',
    ...(options.roles ? { authorize: lambdaRoleCheck(options.roles, callsOf) } : {}),
    operations: {
      PutEvents: (input) => {
        const entries = input.Entries;
        if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
          throw new AwsServiceError('ValidationException', '1 validation error detected: Entries must have between 1 and 10 items');
        }
        if (entries.reduce((total: number, entry) => total + entrySize(entry as PutEventsEntry), 0) >= MAX_ENTRIES_BYTES)
          throw new AwsServiceError('ValidationException', 'Total size of the entries in the request is over the limit.');
        const results = bus.putEvents(entries as PutEventsEntry[]);
        return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
      },
      ListRules: (input) => {
        const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
        return {
          Rules: bus
            .listRules(busName(input))
            .filter((r) => r.name.startsWith(prefix))
            .map(describe),
        };
      },
      DescribeRule: (input) => describe(rule(input)),
      ListTargetsByRule: (input) => ({
        Targets: rule(input).targets.map((t) => ({
          Id: t.id,
          Arn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${t.functionName}`,
        })),
      }),
    },
  });
}
