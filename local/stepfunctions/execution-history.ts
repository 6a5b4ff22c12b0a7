/**
 * Converts aws-local-stepfunctions event logs into the shapes AWS uses: GetExecutionHistory events
 * and the CloudWatch Logs records of a state machine's logging configuration. Execution data
 * (input, output, error cause) appears only where the configuration includes it.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** One event as aws-local-stepfunctions reports it (its type is not exported). */
export interface EngineEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
}

export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

export interface LoggingConfiguration {
  level: LogLevel;
  includeExecutionData: boolean;
}

/** A recorded event: AWS history shape, without data unless `includeData`. */
export function historyEvent(event: EngineEvent, id: number, includeData: boolean): HistoryEvent {
  const base = { id, previousEventId: id - 1, timestamp: new Date(event.timestamp) };
  const data = (value: unknown) => (includeData ? { value: JSON.stringify(value ?? null) } : {});
  const cause = includeData && event.Cause !== undefined ? { cause: String(event.Cause) } : {};
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        ...base,
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: data(event.input).value, inputDetails: { truncated: false } },
      };
    case 'ExecutionSucceeded':
      return {
        ...base,
        type: 'ExecutionSucceeded',
        executionSucceededEventDetails: { output: data(event.output).value, outputDetails: { truncated: false } },
      };
    case 'ExecutionFailed':
      return { ...base, type: 'ExecutionFailed', executionFailedEventDetails: { error: event.Error, ...cause } };
    case 'ExecutionAborted':
      return { ...base, type: 'ExecutionAborted', executionAbortedEventDetails: {} };
    case 'ExecutionTimeout':
      return { ...base, type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } };
    case 'StateEntered':
      return {
        ...base,
        type: `${event.state!.type}StateEntered` as HistoryEvent['type'],
        stateEnteredEventDetails: { name: event.state!.name, input: data(event.state!.input).value, inputDetails: { truncated: false } },
      };
    case 'StateExited':
      return {
        ...base,
        type: `${event.state!.type}StateExited` as HistoryEvent['type'],
        stateExitedEventDetails: { name: event.state!.name, output: data(event.state!.output).value, outputDetails: { truncated: false } },
      };
    case 'StateFailed':
      return {
        ...base,
        type: 'TaskFailed',
        taskFailedEventDetails: { resourceType: 'state', resource: event.state!.name, error: event.Error, ...cause },
      };
    default:
      // StateRetried, StateCaught. No AWS history type for these: AWS shows the failure, then re-entry or the catcher's next state.
      return { ...base, type: 'PassStateEntered', stateEnteredEventDetails: { name: `${event.state?.name ?? ''} (${event.type})` } };
  }
}

const ERROR_EVENTS = new Set(['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut', 'TaskFailed']);
const FATAL_EVENTS = new Set(['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/** Whether a log level keeps this event (AWS: ALL keeps all; ERROR failures; FATAL execution failures). */
export function levelKeeps(level: LogLevel, type: string): boolean {
  if (level === 'ALL') return true;
  if (level === 'ERROR') return ERROR_EVENTS.has(type);
  if (level === 'FATAL') return FATAL_EVENTS.has(type);
  return false;
}

/** The CloudWatch Logs record AWS writes for a Step Functions event (snake_case top level). */
export function logRecord(event: HistoryEvent, executionArn: string): Record<string, unknown> {
  const { id, previousEventId, timestamp, type, ...detailsByType } = event;
  const details = Object.values(detailsByType)[0] ?? {};
  return {
    id: String(id),
    type,
    details,
    previous_event_id: String(previousEventId ?? 0),
    event_timestamp: String(timestamp?.getTime() ?? Date.now()),
    execution_arn: executionArn,
    redrive_count: '0',
  };
}
