/**
 * Drives the password reset workflows of a test twin the way their callers do (StartSyncExecution),
 * and reads what a test needs to check: the inbox, the audit trail, the directory, retained files.
 */
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Twin } from '../../local/twin';
import { tableById } from '../../catalogue/table-catalogue';
import { START_WORKFLOW, VERIFY_WORKFLOW } from '../../state-machines/state-machine-catalogue';
import type { StartResetInput, StartResetOutput, VerifyCodeOutput } from '../../lambdas/domain/reset-session';
import { respondBy } from '../../lambdas/domain/deadline';
import type { EmployeeItem } from '../../lambdas/domain/employee';
import { DemoDirectory } from '../../lambdas/directory/demo-directory';
import { recoveryDestination, type DeliveryChannel } from '../../lambdas/domain/recovery-channel';
import { latestCode } from '../../local/connect/test-case-substitutions';
import { localClient, retainedRecords } from './test-twin';
import { LOCAL_BREAK_GLASS_CREDENTIALS } from '../../local/local-credentials';

/** What a test knows of an employee to find the code sent to them: their recovery channels. */
export type RecoveryChannels = Pick<EmployeeItem, 'email' | 'mobile' | 'recoveryEmail'>;

export class WorkflowDriver {
  readonly sfn: SFNClient;
  readonly db: DynamoDBDocumentClient;
  /** As the audit table's break-glass role: the one principal its resource policy lets correct or remove a record. */
  readonly breakGlassDb: DynamoDBDocumentClient;
  readonly directory: DemoDirectory;

  constructor(private readonly twin: Twin) {
    this.sfn = new SFNClient({ ...localClient(twin.endpoints.stepfunctions), disableHostPrefix: true, maxAttempts: 1 });
    this.db = DynamoDBDocumentClient.from(new DynamoDBClient(localClient(twin.endpoints.dynamodb)));
    this.breakGlassDb = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...localClient(twin.endpoints.dynamodb), credentials: LOCAL_BREAK_GLASS_CREDENTIALS }),
    );
    this.directory = new DemoDirectory(this.db, tableById('Employees').tableName);
  }

  close(): void {
    this.sfn.destroy();
    this.db.destroy();
    this.breakGlassDb.destroy();
  }

  private async run<T>(workflow: string, input: unknown): Promise<T> {
    const out = await this.sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: this.twin.stepFunctions.machineArn(workflow), input: JSON.stringify(input) }),
    );
    if (out.status !== 'SUCCEEDED') throw new Error(`${workflow} ${out.status}: ${out.error} ${out.cause}`);
    return JSON.parse(out.output!) as T;
  }

  /** The call each session was started on: a verify answers only that call (the default here). */
  private readonly contacts = new Map<string, string>();

  async start(input: Partial<StartResetInput> & { employeeId: string }): Promise<StartResetOutput & { sessionId: string }> {
    const request = {
      contactId: `contact-${Math.random().toString(36).slice(2)}`,
      callerNumber: '+15555550100',
      locale: 'en-US',
      ...input,
    };
    const out = await this.run<StartResetOutput & { sessionId: string }>(START_WORKFLOW, request);
    if (out.sessionId) this.contacts.set(out.sessionId, request.contactId);
    return out;
  }

  verify(sessionId: string, code: string, contactId?: string, deadline = WorkflowDriver.patientCaller()): Promise<VerifyCodeOutput> {
    const contact = contactId ?? this.contacts.get(sessionId) ?? 'contact-verify';
    return this.run(VERIFY_WORKFLOW, { sessionId, code, contactId: contact, respondBy: deadline });
  }

  /** A verify with who acts (`actor`, `agentId`: the agent API's fields; anything, to test refusals). */
  verifyAs(by: Record<string, unknown>, sessionId: string, code: string, contactId?: string): Promise<VerifyCodeOutput> {
    const contact = contactId ?? this.contacts.get(sessionId) ?? 'contact-verify';
    return this.run(VERIFY_WORKFLOW, { sessionId, code, contactId: contact, respondBy: WorkflowDriver.patientCaller(), ...by });
  }

  /**
   * The agent readout form (issue #20): no code, `readout` RESET or UNLOCK, on the session's call with a
   * patient deadline; `overrides` replace or add any field (undefined drops it), to test refusals.
   */
  readout(sessionId: string, agentId: string, readout: unknown, overrides: Record<string, unknown> = {}): Promise<VerifyCodeOutput> {
    const input = {
      sessionId,
      contactId: this.contacts.get(sessionId) ?? 'contact-verify',
      respondBy: WorkflowDriver.patientCaller(),
      actor: 'agent',
      agentId,
      readout,
      ...overrides,
    };
    return this.run(VERIFY_WORKFLOW, input);
  }

  /** A deadline far enough away that a busy test machine never meets it; deadline tests pass their own. */
  static patientCaller(): string {
    return respondBy(60_000, 0, Date.now());
  }

  /** Messages delivered to `email`, oldest first. */
  inbox(email: string) {
    return this.twin.ses.emails().filter((m) => m.destination.to.includes(email));
  }

  /** Texts delivered to `mobile` (E.164), oldest first. */
  texts(mobile: string) {
    return this.twin.sms.texts({ to: mobile });
  }

  /**
   * Where the twin sent `employee`'s code: the channel issue-verification-code chooses (the mobile by
   * text, else the recovery e-mail; `channel` is what the caller asked for).
   */
  static codeDestination(employee: RecoveryChannels, channel?: DeliveryChannel): string {
    const destination = recoveryDestination(employee, { preferred: channel, smsAvailable: true, corporateEmailAllowed: false });
    if (!destination) throw new Error(`${employee.email} has no recovery channel: no code is sent`);
    return destination.to;
  }

  /**
   * The newest code sent to `employee`, once the twin has delivered everything in flight: codes go out
   * after the start answered (issue-verification-code consumes VerificationCodeRequested).
   */
  latestCode(employee: RecoveryChannels, channel?: DeliveryChannel): Promise<string> {
    return latestCode(this.twin, WorkflowDriver.codeDestination(employee, channel));
  }

  async audit(employeeId: string): Promise<Array<Record<string, string>>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: tableById('Audit').tableName,
        KeyConditionExpression: 'employeeId = :e',
        ExpressionAttributeValues: { ':e': employeeId },
        ScanIndexForward: false,
      }),
    );
    return (out.Items ?? []) as Array<Record<string, string>>;
  }

  async employee(employeeId: string): Promise<EmployeeItem | undefined> {
    return (await this.db.send(new GetCommand({ TableName: tableById('Employees').tableName, Key: { employeeId } }))).Item as
      | EmployeeItem
      | undefined;
  }

  async session(sessionId: string): Promise<Record<string, unknown> | undefined> {
    return (
      await this.db.send(new GetCommand({ TableName: tableById('ResetSessions').tableName, Key: { sessionId }, ConsistentRead: true }))
    ).Item;
  }

  async expireSession(sessionId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: tableById('ResetSessions').tableName,
        Key: { sessionId },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
  }

  /** A counter of the rate-limits table (the circuit breaker's, a failure budget's), 0 when absent. */
  async counter(counterKey: string): Promise<number> {
    const out = await this.db.send(
      new GetCommand({ TableName: tableById('RateLimits').tableName, Key: { counterKey }, ConsistentRead: true }),
    );
    return Number(out.Item?.count ?? 0);
  }

  /** Sets a counter of the rate-limits table, e.g. the company's wrong codes for today to its limit (the breaker open). */
  async setCounter(counterKey: string, count: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: tableById('RateLimits').tableName,
        Key: { counterKey },
        UpdateExpression: 'SET #count = :count',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':count': count },
      }),
    );
  }

  /** Events archived by the twin's bus, oldest first. */
  archivedEvents(): Promise<Array<{ 'detail-type': string; detail: Record<string, unknown> }>> {
    return retainedRecords(this.twin, 'events');
  }
}

export { containsToken } from '../../local/retention/leak-scan';
