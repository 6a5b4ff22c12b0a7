/**
 * The Step Functions control plane and executions of the twin: state machines registered by
 * CreateStateMachine or loaded from `state-machines/`, executed with aws-local-stepfunctions.
 * Errors are AWS-named ServiceErrors that the JSON protocol server turns into `__type` answers.
 */
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from './engine';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import aslValidator from 'asl-validator';
import type { JsonlFile } from '../retention/jsonl-file';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';
import { historyEvent, levelKeeps, logRecord, type EngineEvent, type LoggingConfiguration } from './execution-history';
import type { TaskFunction } from './task-resources';
import { adaptForEngine } from './engine-compatibility';
import { AwsServiceError } from '../http/aws-service-error';
import { PAYLOAD_QUOTA_BYTES } from './payload-quota';
import { taskStatesIn, type AslStates } from '../../state-machines/state-machine-catalogue';

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineRecord {
  arn: string;
  name: string;
  type: StateMachineType;
  definition: string;
  roleArn: string;
  logging: LoggingConfiguration & { destinations?: unknown[] };
  creationDate: Date;
  engine: StateMachine;
  taskFunctions: Record<string, TaskFunction>;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** Kept only when the machine's logging includes execution data (AWS keeps none for Express). */
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  abort?: () => void;
  done: Promise<void>;
}

export interface SyncResult {
  record: ExecutionRecord;
  /** Always returned to the synchronous caller, whatever the logging configuration. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** AWS stops Express executions at five minutes. */
const EXPRESS_TIMEOUT_MS = 5 * 60 * 1000;
const MAX_EXECUTIONS_KEPT = 2000;
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

export class StepFunctionsService {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();

  constructor(
    private readonly options: {
      /** The function a Task state's resource runs, called as the machine (its name and role) calls it. */
      resolveTask: (resource: string, machine: { name: string; roleArn: string }) => TaskFunction;
      logFile: JsonlFile;
      /** Per-state-machine listeners (the console's live view, metrics). */
      onExecutionEnd?: (record: ExecutionRecord) => void;
      /** Whether the account has this IAM role for Step Functions to assume; absent: any role is taken. */
      roleExists?: (roleArn: string) => boolean;
    },
  ) {}

  /**
   * A machine's role must exist and trust Step Functions: CreateStateMachine and UpdateStateMachine refuse
   * another one (AccessDeniedException, in the words of awsdocs/aws-step-functions-developer-guide#23).
   */
  private assumableRole(roleArn: string): string {
    if (this.options.roleExists && !this.options.roleExists(roleArn))
      throw new AwsServiceError(
        'AccessDeniedException',
        'Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.',
      );
    return roleArn;
  }

  machineArn(name: string): string {
    return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
  }

  createStateMachine(input: {
    name?: unknown;
    definition?: unknown;
    roleArn?: unknown;
    type?: unknown;
    loggingConfiguration?: unknown;
  }): StateMachineRecord {
    const name = requireString(input.name, 'name');
    if (!NAME_PATTERN.test(name)) throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
    const type = (input.type ?? 'STANDARD') as StateMachineType;
    if (type !== 'STANDARD' && type !== 'EXPRESS') throw new AwsServiceError('ValidationException', `Invalid type: ${String(input.type)}`);
    const definition = requireString(input.definition, 'definition');
    const arn = this.machineArn(name);
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.definition === definition && existing.type === type) return existing;
      throw new AwsServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const record = this.build({
      arn,
      name,
      type,
      definition,
      roleArn: this.assumableRole(requireString(input.roleArn, 'roleArn')),
      logging: parseLogging(input.loggingConfiguration, type),
      creationDate: new Date(),
    });
    this.machines.set(arn, record);
    return record;
  }

  updateStateMachine(input: { stateMachineArn?: unknown; definition?: unknown; roleArn?: unknown; loggingConfiguration?: unknown }): Date {
    const current = this.machine(input.stateMachineArn);
    const updated = this.build({
      ...current,
      definition: input.definition === undefined ? current.definition : requireString(input.definition, 'definition'),
      roleArn: input.roleArn === undefined ? current.roleArn : this.assumableRole(requireString(input.roleArn, 'roleArn')),
      logging: input.loggingConfiguration === undefined ? current.logging : parseLogging(input.loggingConfiguration, current.type),
    });
    this.machines.set(current.arn, updated);
    return new Date();
  }

  deleteStateMachine(arn: unknown): void {
    this.machines.delete(requireString(arn, 'stateMachineArn'));
  }

  listStateMachines(): StateMachineRecord[] {
    return [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  machine(arn: unknown): StateMachineRecord {
    const key = requireString(arn, 'stateMachineArn');
    if (!key.startsWith('arn:')) throw new AwsServiceError('InvalidArn', `Invalid Arn: '${key}'`);
    const record = this.machines.get(key);
    if (!record) throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${key}'`);
    return record;
  }

  startExecution(input: { stateMachineArn?: unknown; name?: unknown; input?: unknown }): ExecutionRecord {
    const machine = this.machine(input.stateMachineArn);
    return this.start(machine, input.name, input.input).record;
  }

  async startSyncExecution(input: { stateMachineArn?: unknown; name?: unknown; input?: unknown }): Promise<SyncResult> {
    const machine = this.machine(input.stateMachineArn);
    if (machine.type !== 'EXPRESS') {
      throw new AwsServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    }
    const started = this.start(machine, input.name, input.input);
    await started.record.done;
    return { record: started.record, input: started.input, ...started.outcome };
  }

  describeExecution(arn: unknown): ExecutionRecord {
    const key = requireString(arn, 'executionArn');
    const record = this.executions.get(key);
    if (!record) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${key}'`);
    return record;
  }

  listExecutions(stateMachineArn: unknown, statusFilter?: unknown): ExecutionRecord[] {
    const machine = this.machine(stateMachineArn);
    return [...this.executions.values()]
      .filter((e) => e.stateMachineArn === machine.arn && (!statusFilter || e.status === statusFilter))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  stopExecution(arn: unknown, error?: unknown, cause?: unknown): Date {
    const record = this.describeExecution(arn);
    if (record.status === 'RUNNING') {
      record.status = 'ABORTED';
      record.stopDate = new Date();
      if (typeof error === 'string') record.error = error;
      if (typeof cause === 'string') record.cause = cause;
      record.abort?.();
    }
    return record.stopDate ?? new Date();
  }

  /** Waits for running executions (used on shutdown and by tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  private build(spec: Omit<StateMachineRecord, 'engine' | 'taskFunctions'>): StateMachineRecord {
    let parsed: StateMachineDefinition;
    try {
      parsed = JSON.parse(spec.definition) as StateMachineDefinition;
    } catch (error) {
      throw new AwsServiceError(
        'InvalidDefinition',
        `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${(error as Error).message}'`,
      );
    }
    const validation = aslValidator(parsed as never);
    if (!validation.isValid) {
      throw new AwsServiceError('InvalidDefinition', `Invalid State Machine Definition: '${validation.errorsText('; ')}'`);
    }
    const taskFunctions: Record<string, TaskFunction> = {};
    try {
      for (const [stateName, { Resource }] of taskStatesIn(parsed as unknown as AslStates))
        taskFunctions[stateName] = this.options.resolveTask(Resource, spec);
      const engine = new StateMachine(adaptForEngine(parsed), { validationOptions: { checkArn: false, checkPaths: true } });
      return { ...spec, engine, taskFunctions };
    } catch (error) {
      throw new AwsServiceError('InvalidDefinition', `Invalid State Machine Definition: '${(error as Error).message}'`);
    }
  }

  private start(machine: StateMachineRecord, nameInput: unknown, rawInput: unknown) {
    const name = nameInput === undefined ? randomUUID() : requireString(nameInput, 'name');
    if (!NAME_PATTERN.test(name)) throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = rawInput === undefined ? '{}' : requireString(rawInput, 'input');
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch {
      throw new AwsServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not a JSON document');
    }
    if (Buffer.byteLength(inputText) > PAYLOAD_QUOTA_BYTES) throw new AwsServiceError('InvalidExecutionInput', 'Input exceeds 256 KiB');
    const executionArn =
      machine.type === 'EXPRESS'
        ? `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:express:${machine.name}:${name}:${randomUUID()}`
        : `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machine.name}:${name}`;
    if (this.executions.has(executionArn))
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);

    const keepData = machine.logging.includeExecutionData;
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      history: [],
      done: Promise.resolve(),
      ...(keepData ? { input: inputText } : {}),
    };
    const outcome: { output?: string; error?: string; cause?: string } = {};
    const run = machine.engine.run(input as never, {
      overrides: { taskResourceLocalHandlers: machine.taskFunctions as never },
      context: {
        Execution: { Id: executionArn, Name: name, RoleArn: machine.roleArn, StartTime: record.startDate.toISOString() },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
      noThrowOnAbort: true,
    });
    record.abort = run.abort;
    const timeout =
      machine.type === 'EXPRESS'
        ? setTimeout(() => {
            record.status = 'TIMED_OUT';
            outcome.error = 'States.Timeout';
            run.abort();
          }, EXPRESS_TIMEOUT_MS)
        : undefined;

    const recordEvents = (async () => {
      for await (const event of run.eventLogs) {
        const history = historyEvent(event as EngineEvent, record.history.length + 1, keepData);
        record.history.push(history);
        if (levelKeeps(machine.logging.level, history.type!)) this.options.logFile.append(logRecord(history, executionArn));
      }
    })();

    record.done = (async () => {
      try {
        const result = await run.result;
        if (record.status === 'RUNNING') {
          record.status = 'SUCCEEDED';
          outcome.output = JSON.stringify(result ?? null);
        }
      } catch (error) {
        const failure = (error as { cause?: { name?: string; message?: string } }).cause;
        record.status = 'FAILED';
        outcome.error = failure?.name ?? 'States.Runtime';
        outcome.cause = failure?.message ?? (error as Error).message;
      } finally {
        clearTimeout(timeout);
        record.stopDate = new Date();
        await recordEvents.catch(() => undefined);
        record.abort = undefined;
        record.error ??= outcome.error;
        if (keepData) {
          if (outcome.output !== undefined) record.output = outcome.output;
          if (outcome.cause !== undefined) record.cause = outcome.cause;
        }
        this.trim();
        this.options.onExecutionEnd?.(record);
      }
    })();
    this.executions.set(executionArn, record);
    return { record, input: inputText, outcome };
  }

  private trim(): void {
    if (this.executions.size <= MAX_EXECUTIONS_KEPT) return;
    for (const [arn, record] of this.executions) {
      if (this.executions.size <= MAX_EXECUTIONS_KEPT) break;
      if (record.status !== 'RUNNING') this.executions.delete(arn);
    }
  }
}

function parseLogging(value: unknown, type: StateMachineType): StateMachineRecord['logging'] {
  const config = (value ?? {}) as { level?: string; includeExecutionData?: boolean; destinations?: unknown[] };
  const level = (config.level ?? 'OFF') as LoggingConfiguration['level'];
  if (!['ALL', 'ERROR', 'FATAL', 'OFF'].includes(level)) throw new AwsServiceError('InvalidLoggingConfiguration', `Invalid level ${level}`);
  // Standard workflows keep their execution history (with data) in AWS; Express keep only what logging says.
  const includeExecutionData = config.includeExecutionData ?? type === 'STANDARD';
  return { level, includeExecutionData, ...(config.destinations ? { destinations: config.destinations } : {}) };
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
