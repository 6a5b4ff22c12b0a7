/**
 * The twin's Step Functions endpoint: the AWS JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.*`)
 * over StepFunctionsService, enough for @aws-sdk/client-sfn and the AWS CLI.
 */
import type { Server } from 'node:http';
import { createAwsJsonServer } from '../http/aws-json-protocol-server';
import { AwsServiceError } from '../http/aws-service-error';
import { lambdaRoleCheck, type LambdaRoles } from '../lambda/lambda-roles';
import type { ExecutionRecord, StepFunctionsService } from './step-functions-service';

/** IAM for the handlers' calls: StartSyncExecution on the machines a function starts, nothing else (lambdas/function-role.ts). */
const callsOf = (operation: string, input: Record<string, unknown>) => {
  const arn = typeof input.stateMachineArn === 'string' ? input.stateMachineArn : '*';
  return [
    operation === 'StartSyncExecution'
      ? { request: { action: 'states:StartSyncExecution' as const, stateMachine: arn.split(':').pop() ?? '' }, resource: arn }
      : { request: { action: `states:${operation}`, other: true as const }, resource: arn },
  ];
};

export function createStepFunctionsServer(service: StepFunctionsService, options: { roles?: LambdaRoles } = {}): Server {
  const summary = (e: ExecutionRecord) => ({
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: e.startDate,
    stopDate: e.stopDate,
  });
  return createAwsJsonServer({
    targetPrefix: 'AWSStepFunctions',
    contentType: 'application/x-amz-json-1.0',
    ...(options.roles ? { authorize: lambdaRoleCheck(options.roles, callsOf) } : {}),
    operations: {
      CreateStateMachine: (input) => {
        const record = service.createStateMachine(input);
        return { stateMachineArn: record.arn, creationDate: record.creationDate };
      },
      UpdateStateMachine: (input) => ({ updateDate: service.updateStateMachine(input) }),
      DeleteStateMachine: (input) => {
        service.deleteStateMachine(input.stateMachineArn);
        return {};
      },
      ListStateMachines: (input) => {
        const page = paginate(service.listStateMachines(), input);
        return {
          stateMachines: page.items.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: m.creationDate })),
          nextToken: page.nextToken,
        };
      },
      DescribeStateMachine: (input) => {
        const m = service.machine(input.stateMachineArn);
        return {
          stateMachineArn: m.arn,
          name: m.name,
          status: 'ACTIVE',
          definition: m.definition,
          roleArn: m.roleArn,
          type: m.type,
          creationDate: m.creationDate,
          loggingConfiguration: {
            level: m.logging.level,
            includeExecutionData: m.logging.includeExecutionData,
            destinations: m.logging.destinations ?? [],
          },
          tracingConfiguration: { enabled: false },
        };
      },
      StartExecution: (input) => {
        const record = service.startExecution(input);
        return { executionArn: record.executionArn, startDate: record.startDate };
      },
      StartSyncExecution: async (input) => {
        const result = await service.startSyncExecution(input);
        const { record } = result;
        const billedMs = Math.max(100, Math.ceil(((record.stopDate?.getTime() ?? Date.now()) - record.startDate.getTime()) / 100) * 100);
        return {
          executionArn: record.executionArn,
          stateMachineArn: record.stateMachineArn,
          name: record.name,
          startDate: record.startDate,
          stopDate: record.stopDate,
          status: record.status,
          error: result.error,
          cause: result.cause,
          input: result.input,
          inputDetails: { included: true },
          output: result.output,
          outputDetails: { included: result.output !== undefined },
          billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: billedMs },
        };
      },
      DescribeExecution: (input) => {
        const e = service.describeExecution(input.executionArn);
        return {
          ...summary(e),
          input: e.input,
          inputDetails: { included: e.input !== undefined },
          output: e.output,
          outputDetails: { included: e.output !== undefined },
          error: e.error,
          cause: e.cause,
        };
      },
      ListExecutions: (input) => {
        const page = paginate(service.listExecutions(input.stateMachineArn, input.statusFilter), input);
        return { executions: page.items.map(summary), nextToken: page.nextToken };
      },
      GetExecutionHistory: (input) => {
        const e = service.describeExecution(input.executionArn);
        const events = input.reverseOrder === true ? [...e.history].reverse() : e.history;
        const page = paginate(events, input);
        return { events: page.items, nextToken: page.nextToken };
      },
      StopExecution: (input) => ({ stopDate: service.stopExecution(input.executionArn, input.error, input.cause) }),
    },
  });
}

function paginate<T>(items: readonly T[], input: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const max = typeof input.maxResults === 'number' && input.maxResults > 0 ? Math.min(input.maxResults, 1000) : 100;
  let start = 0;
  if (input.nextToken !== undefined) {
    start = Number.parseInt(Buffer.from(String(input.nextToken), 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw new AwsServiceError('InvalidToken', 'Invalid Token');
  }
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return next ? { items: page, nextToken: next } : { items: page };
}
