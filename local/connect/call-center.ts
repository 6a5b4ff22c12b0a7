/**
 * The twin's Amazon Connect instance: places calls into a contact flow, feeds them caller input,
 * hangs them up (by the caller, by the flow, or after 5 idle minutes), and keeps what Connect would:
 * a contact record per call at hang-up (`contact-records.jsonl`). A call the flow transfers waits in
 * its agent queue (local/connect/agent-queue.ts) until the caller hangs up or the maximum wait passes;
 * its IVR part has ended (disposition TRANSFERRED). It also caps how many calls run at
 * once and how many start per minute, so a web page or a loop cannot exhaust the twin
 * (docs/design.md, "A twin that a web page cannot hurt").
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FLOWS, QUEUES, flowSubstitutions } from '../../connect/flow-catalogue';
import { substitute } from '../../catalogue/placeholders';
import type { Locale } from '../../lambdas/domain/locale';
import type { BotDefinition } from '../../lex/bot-definition';
import type { LambdaHost } from '../lambda/lambda-host';
import { botId, type LexRuntime } from '../lex/lex-runtime';
import type { DataFolder } from '../retention/data-folder';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';
import { Contact } from './contact';
import type { CallDetails, CallerInput, CallSnapshot, QueueState } from './call-snapshot';
import { FlowRunner, newContactId } from './flow-runner';
import type { FlowObserver } from './blocks/block';
import type { ContactFlow } from './flow-language';
import { twinUserId } from './connect-users';
import { validateFlow } from './flow-validator';
import type { FlowMapping } from './flow-mapping';
import { systemClock, type Clock, type TimerHandle } from '../time/clock';
import { AGENT_HOURS, hoursProblems, isOpen, type HoursOfOperation } from '../../connect/hours-of-operation';
import { type AgentActionOutcome, type AgentContact, AgentQueues, DEFAULT_MAX_QUEUE_WAIT_MS, type WaitingContact } from './agent-queue';

export const INSTANCE_ARN = `arn:aws:connect:${LOCAL_REGION}:${LOCAL_ACCOUNT}:instance/00000000-0000-4000-8000-000000000000`;
/** The instance ID (the ARN's last part), what the Connect API takes as InstanceId and CONNECT_INSTANCE_ID holds. */
export const INSTANCE_ID = INSTANCE_ARN.split('/')[1]!;
export const DESK_NUMBER = '+18005550199';
/** Connect ends a contact whose customer sends nothing for this long. */
const DEFAULT_IDLE_MS = 5 * 60 * 1000;
/** Defaults of the twin's call caps (HELPDESK_MAX_ACTIVE_CALLS, HELPDESK_MAX_CALLS_PER_MINUTE). */
export const DEFAULT_CALL_LIMITS: CallLimits = { maxActiveCalls: 500, maxCallsPerMinute: 1_200 };

export interface CallLimits {
  /** Calls not yet ended; one more gets 429. */
  maxActiveCalls: number;
  /** Calls started in the last 60 s; one more gets 429. */
  maxCallsPerMinute: number;
}

export class CallError extends Error {
  constructor(
    readonly status: 404 | 409 | 429,
    message: string,
  ) {
    super(message);
  }
}

interface Call {
  contact: Contact;
  runner: FlowRunner;
  /** Serializes a call's turns. */
  turn: Promise<unknown>;
  recorded: boolean[];
  queueState?: QueueState;
  /** The agent who accepted it (a Connect username), when, and when the agent left (after contact work). */
  agent?: { username: string; connectedAt: number; afterContactWorkAt?: number };
  /** When the customer left the contact (hung up, left the queue, or the flow ended it), on the twin's clock. */
  customerLeftAt?: number;
}

/**
 * A contact as Connect's DescribeContact describes it (the fields the twin models; times in ms since the
 * epoch, on the twin's clock). https://docs.aws.amazon.com/connect/latest/APIReference/API_Contact.html
 */
export interface ConnectContactView {
  arn: string;
  contactId: string;
  initialContactId: string;
  channel: 'VOICE';
  initiationMethod: 'INBOUND';
  initiationTimestamp: number;
  disconnectTimestamp?: number;
  customerEndpoint: { type: 'TELEPHONE_NUMBER'; address: string };
  systemEndpoint: { type: 'TELEPHONE_NUMBER'; address: string };
  queue?: { id: string; enqueueTimestamp: number };
  agent?: { id: string; connectedToAgentTimestamp: number; afterContactWorkStartTimestamp?: number };
  attributes: Record<string, string>;
}

export class CallCenter {
  private readonly runners = new Map<string, FlowRunner>();
  private readonly observers = new Set<FlowObserver>();
  private readonly calls = new Map<string, Call>();
  /** Transferred calls waiting for an agent. */
  private readonly queues: AgentQueues;
  private readonly sweeper: TimerHandle;
  private readonly clock: Clock;
  private readonly limits: CallLimits;
  /** Start times of the calls of the last minute, oldest first. */
  private readonly recentStarts: number[] = [];
  private queueCapacity = Number.POSITIVE_INFINITY;
  private hours: HoursOfOperation;
  /** The flows' ${…} placeholders with this twin's values (ARNs, the code input key), as CDK substitutes them. */
  private readonly substitutions: Record<string, string>;

  constructor(
    private readonly deps: {
      repoRoot: string;
      lambdaHost: LambdaHost;
      lex: LexRuntime;
      bots: readonly BotDefinition[];
      data: DataFolder;
      /** Told how long each caller turn took to answer (ms). */
      onTurn?: (ms: number) => void;
      /** The instance's security key for encrypted stored input (what the flow's certificate is signed by). */
      codeInputKey: { keyId: string; certificate: string; publicKey: string };
      /** Idle time after which a call is hung up (default 5 minutes; tests shorten it). */
      idleMs?: number;
      /** Idle hang-ups and Lambda time limits run on this clock (the system clock by default). */
      clock?: Clock;
      limits?: Partial<CallLimits>;
      /** The queues' hours of operation (the catalogue's by default; tests use others). */
      hours?: HoursOfOperation;
      /** How long a transferred call waits in its queue at most, on the twin's clock (default 30 minutes). */
      maxQueueWaitMs?: number;
    },
  ) {
    this.clock = deps.clock ?? systemClock;
    this.queues = new AgentQueues({
      clock: this.clock,
      maxWaitMs: deps.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS,
      onLeave: (queued, exit, endedBy) => {
        const call = this.calls.get(queued.contactId);
        if (!call) return;
        call.queueState = exit === 'ENDED' ? (endedBy === 'AGENT' ? 'ENDED_BY_AGENT' : 'ENDED_BY_CALLER') : exit;
        const now = this.clock.now();
        // The agent's leg ends either way (After Contact Work); the customer has left unless the agent ended it.
        if (exit === 'ENDED' && call.agent) call.agent.afterContactWorkAt ??= now;
        if (endedBy !== 'AGENT') call.customerLeftAt ??= now;
      },
    });
    this.limits = { ...DEFAULT_CALL_LIMITS, ...deps.limits };
    this.hours = deps.hours ?? AGENT_HOURS;
    this.substitutions = flowSubstitutions({
      functionArn: (name) => deps.lambdaHost.arnOf(name),
      botAliasArn: (name) => this.botAliasArn(name),
      queueArn: (name) => this.queueArn(name),
      flowArn: (name) => this.flowArn(name),
      codeInputKey: deps.codeInputKey,
    });
    for (const spec of FLOWS) this.loadSource(spec.name, readFileSync(resolve(deps.repoRoot, spec.file), 'utf8'));
    const idleMs = deps.idleMs ?? DEFAULT_IDLE_MS;
    this.sweeper = this.clock.setInterval(() => this.hangUpIdle(idleMs), Math.min(30_000, Math.max(10, idleMs / 2)));
  }

  botAliasArn(botName: string): string {
    return `arn:aws:lex:${LOCAL_REGION}:${LOCAL_ACCOUNT}:bot-alias/${botId(botName)}/TSTALIASID`;
  }

  queueArn(queueName: string): string {
    return `${INSTANCE_ARN}/queue/${queueName}`;
  }

  /** A flow's ARN (its ID is its name in the twin). */
  flowArn(flowName: string): string {
    return `${INSTANCE_ARN}/contact-flow/${flowName}`;
  }

  /** The loaded flow an ARN or ID names (its ID is its name in the twin), if the instance has it. */
  private flowNamed(arnOrId: string): string | undefined {
    return [...this.runners.keys()].find((name) => this.flowArn(name) === arnOrId || name === arnOrId);
  }

  /** Loads (or replaces) a flow as written in connect/flows, its placeholders substituted as CDK does. */
  loadSource(name: string, json: string): void {
    this.load(name, substitute(json, this.substitutions));
  }

  /** Loads (or replaces) a flow the twin can run; throws with every problem if it is invalid. */
  load(name: string, json: string, options: { mapping?: FlowMapping } = {}): void {
    const flow = JSON.parse(json) as ContactFlow;
    const problems = validateFlow(flow);
    if (problems.length) throw new Error(`flow ${name} is invalid: ${problems.map((p) => `${p.identifier}: ${p.reason}`).join('; ')}`);
    // A flow named statically in an event hook (a disconnect flow) must be one the instance has: whether Connect
    // refuses such a flow when it is saved, or only fails the hook when it runs, its pages do not say, so the twin
    // refuses it at load rather than accept what AWS might not (docs/design.md, "As strict as AWS").
    for (const action of flow.Actions.filter((a) => a.Type === 'UpdateContactEventHooks')) {
      for (const target of Object.values((action.Parameters?.EventHooks ?? {}) as Record<string, string>)) {
        const known = target.startsWith('$.') || target === name || target === this.flowArn(name) || this.flowNamed(target) !== undefined;
        if (!known)
          throw new Error(`flow ${name} is invalid: ${action.Identifier}: names flow ${target}, which this instance does not have`);
      }
    }
    const aliases = new Map(Object.entries(options.mapping?.botAliases ?? {}));
    const mappedQueues = options.mapping?.queues ?? {};
    this.runners.set(
      name,
      new FlowRunner(flow, name, {
        lambdaHost: this.deps.lambdaHost,
        lex: this.deps.lex,
        botForAlias: (arn) => aliases.get(arn) ?? this.deps.bots.find((b) => this.botAliasArn(b.name) === arn)?.name,
        queueForArn: (arn) => {
          const queue = QUEUES.find((q) => this.queueArn(q.name) === arn || q.name === mappedQueues[arn]);
          return queue
            ? {
                name: queue.name,
                atCapacity: this.queues.size(queue.name) >= this.queueCapacity,
                open: isOpen(this.hours, new Date(this.clock.now())),
              }
            : undefined;
        },
        flowForArn: (arn) => this.flowNamed(arn),
        flowLogs: this.deps.data.file('flowLogs'),
        securityKeys: [this.deps.codeInputKey.publicKey],
        observer: {
          actionStarted: (contact, type, parameters) => {
            for (const o of this.observers) o.actionStarted(contact, type, parameters);
          },
          messagePlayed: (contact, prompt) => {
            for (const o of this.observers) o.messagePlayed(contact, prompt);
          },
          override: (contact, type, parameters) => {
            for (const o of this.observers) {
              const found = o.override(contact, type, parameters);
              if (found) return found;
            }
            return undefined;
          },
        },
        recording: (contactId) => this.deps.data.recording(contactId),
        instanceArn: INSTANCE_ARN,
        clock: this.clock,
        ...(options.mapping && { mapping: options.mapping }),
      }),
    );
  }

  /** Observes every call's blocks and messages, and may override blocks (test cases); returns the way to stop. */
  observe(observer: FlowObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** The flows loaded, by name (what Connect would list as published). */
  flowNames(): string[] {
    return [...this.runners.keys()];
  }

  /** The queues' hours of operation from now on (tests close them). */
  setAgentHours(hours: HoursOfOperation): void {
    const problems = hoursProblems(hours);
    if (problems.length > 0) throw new Error(`hours the twin does not model: ${problems.join('; ')}`);
    this.hours = hours;
  }

  /**
   * The most contacts each queue holds (Infinity by default; tests use 0 for QueueAtCapacity). As Connect's
   * "Maximum contacts in queue", it is compared with the contacts waiting in the queue now
   * (https://docs.aws.amazon.com/connect/latest/adminguide/queue-to-queue-transfer.html).
   */
  setQueueCapacity(capacity: number): void {
    this.queueCapacity = capacity;
  }

  async startCall(options: { from: string; locale?: Locale; flow?: string }): Promise<CallSnapshot> {
    const flowName = options.flow ?? 'password-reset';
    const runner = this.runners.get(flowName);
    if (!runner) throw new CallError(404, `no flow ${flowName}`);
    this.admit();
    const contact = new Contact(newContactId(), options.from, DESK_NUMBER, flowName);
    contact.lastActivity = this.clock.now();
    // An API-started contact may carry initial attributes; the flow skips its language menu for them.
    if (options.locale) contact.attributes.locale = options.locale;
    const call: Call = { contact, runner, turn: Promise.resolve(), recorded: [] };
    this.calls.set(contact.contactId, call);
    return this.turn(call, () => runner.start(contact));
  }

  async input(contactId: string, input: CallerInput): Promise<CallSnapshot> {
    const call = this.call(contactId);
    if (call.contact.ended) throw new CallError(409, 'the call has ended');
    return this.turn(call, () => call.runner.input(call.contact, input));
  }

  /**
   * Hangs up: a call in the flow ends with `disposition`; a transferred call waiting for an agent leaves
   * its queue (abandoned; its snapshot still says TRANSFERRED, with queueState ABANDONED), and one connected
   * to an agent ends (ENDED_BY_CALLER). Hanging up an ended call changes nothing.
   */
  async hangUp(contactId: string, disposition: 'HUNG_UP' | 'IDLE_TIMEOUT' = 'HUNG_UP'): Promise<CallSnapshot> {
    const call = this.call(contactId);
    return this.turn(call, async () => {
      if (!call.contact.ended) call.contact.end(disposition);
      else if (disposition === 'HUNG_UP') this.queues.hangUp(contactId);
    });
  }

  /**
   * The calls waiting in the agent queues, longest-waiting first, with every attribute they had at the
   * transfer: for the twin's own use. What an agent sees passes through shownAgentContext only.
   */
  waitingContacts(queueName?: string): WaitingContact[] {
    return this.queues.list(queueName);
  }

  /** The contacts agents see: waiting and connected, in the order they were queued, with every attribute. */
  agentContacts(): AgentContact[] {
    return this.queues.contacts();
  }

  /** An agent accepts a waiting contact: it is CONNECTED to the agent (the caller's snapshot says so). */
  acceptContact(contactId: string, agentId: string): AgentActionOutcome {
    const outcome = this.queues.accept(contactId, agentId);
    const call = this.calls.get(contactId);
    if (outcome === 'OK' && call) {
      call.queueState = 'CONNECTED';
      call.agent ??= { username: agentId, connectedAt: this.clock.now() };
    }
    return outcome;
  }

  /**
   * The connected agent leaves the call (the caller's snapshot says ENDED_BY_AGENT). A contact with a
   * disconnect flow (UpdateContactEventHooks CustomerRemaining) goes on in it with its caller: "The agent
   * hangs up and a disconnect flow is run" (https://docs.aws.amazon.com/connect/latest/adminguide/set-disconnect-flow.html),
   * on the same contact with its attributes; the caller hears it on the next snapshot (listen).
   * A caller who hangs up has no one left to hear a disconnect flow: the twin does not run it then.
   */
  endContact(contactId: string, agentId: string): AgentActionOutcome {
    const outcome = this.queues.end(contactId, agentId);
    const call = this.calls.get(contactId);
    const hook = call?.contact.eventHooks.CustomerRemaining;
    const flowName = hook ? this.flowNamed(hook) : undefined;
    const runner = flowName ? this.runners.get(flowName) : undefined;
    if (outcome === 'OK' && call && runner) {
      const { contact } = call;
      delete contact.eventHooks.CustomerRemaining; // run once: ending the disconnect flow ends the contact
      void this.turn(
        call,
        async () => {
          contact.reopen();
          call.runner = runner;
          await runner.start(contact);
        },
        'resume',
      ).catch(() => undefined);
    } else if (outcome === 'OK' && call) call.customerLeftAt ??= this.clock.now(); // no disconnect flow: the call is over
    return outcome;
  }

  /**
   * A contact as Connect's DescribeContact describes it, or undefined for a contact the twin does not have:
   * the contact ID is its initial contact ID (the twin makes no transfers to other contacts); AgentInfo once an
   * agent accepted it (its Id is the agent's Connect user, local/connect/connect-users.ts), with
   * AfterContactWorkStartTimestamp once the agent left; DisconnectTimestamp once the customer left (hung up,
   * left the queue, or the flow, or the disconnect flow after the agent, ended the call). A contact waiting in a
   * queue or connected to an agent is not disconnected, although its IVR part has ended.
   */
  connectContact(contactId: string): ConnectContactView | undefined {
    const call = this.calls.get(contactId);
    if (!call) return undefined;
    const { contact } = call;
    const queue = contact.queue;
    return {
      arn: `${INSTANCE_ARN}/contact/${contact.contactId}`,
      contactId: contact.contactId,
      initialContactId: contact.contactId,
      channel: 'VOICE',
      initiationMethod: 'INBOUND',
      initiationTimestamp: contact.initiatedAt.getTime(),
      ...(call.customerLeftAt !== undefined ? { disconnectTimestamp: call.customerLeftAt } : {}),
      customerEndpoint: { type: 'TELEPHONE_NUMBER', address: contact.customerNumber },
      systemEndpoint: { type: 'TELEPHONE_NUMBER', address: contact.systemNumber },
      ...(queue ? { queue: { id: queue.name, enqueueTimestamp: Date.parse(queue.enqueuedAt) } } : {}),
      ...(call.agent
        ? {
            agent: {
              id: twinUserId(call.agent.username),
              connectedToAgentTimestamp: call.agent.connectedAt,
              ...(call.agent.afterContactWorkAt !== undefined ? { afterContactWorkStartTimestamp: call.agent.afterContactWorkAt } : {}),
            },
          }
        : {}),
      attributes: { ...contact.attributes },
    };
  }

  /** Sets a contact's attributes, as Connect's UpdateContactAttributes (any state; an unknown contact: 404). */
  updateContactAttributes(contactId: string, attributes: Record<string, string>): void {
    Object.assign(this.call(contactId).contact.attributes, attributes);
  }

  /** What the caller hears without saying anything: the prompts played since the last snapshot (a flow the agent handed back to). */
  async listen(contactId: string): Promise<CallSnapshot> {
    return this.turn(this.call(contactId), async () => undefined, 'listen');
  }

  /** The call as a supervisor sees it: the transcript as recorded (unrecorded turns withheld), disposition, queue. */
  details(contactId: string): CallDetails {
    const { contact } = this.call(contactId);
    return {
      contactId: contact.contactId,
      from: contact.customerNumber,
      flow: contact.flowName,
      languageCode: contact.languageCode,
      startedAt: contact.initiatedAt.toISOString(),
      endedAt: contact.disconnectedAt?.toISOString() ?? null,
      ended: contact.ended,
      awaiting: contact.awaiting,
      disposition: contact.disposition ?? null,
      queue: contact.queue?.name ?? null,
      queueState: this.calls.get(contactId)?.queueState ?? null,
      transcript: contact.transcript.map((t) => (t.recorded ? t : { at: t.at, from: t.from, text: '[not recorded]', recorded: false })),
    };
  }

  list(): Array<{ contactId: string; from: string; ended: boolean; disposition: string | null; startedAt: string }> {
    return [...this.calls.values()].map(({ contact }) => ({
      contactId: contact.contactId,
      from: contact.customerNumber,
      ended: contact.ended,
      disposition: contact.disposition ?? null,
      startedAt: contact.initiatedAt.toISOString(),
    }));
  }

  async close(): Promise<void> {
    this.clock.clearInterval(this.sweeper);
    this.queues.close();
    await Promise.all([...this.calls.values()].filter((c) => !c.contact.ended).map((c) => this.hangUp(c.contact.contactId)));
  }

  /** Refuses a new call past either cap (429), as a trunk with no free line would. */
  private admit(): void {
    const now = this.clock.now();
    while (this.recentStarts.length > 0 && now - this.recentStarts[0]! >= 60_000) this.recentStarts.shift();
    if (this.recentStarts.length >= this.limits.maxCallsPerMinute)
      throw new CallError(429, `more than ${this.limits.maxCallsPerMinute} calls started in the last minute; try again shortly`);
    let active = 0;
    for (const call of this.calls.values()) if (!call.contact.ended) active += 1;
    if (active >= this.limits.maxActiveCalls)
      throw new CallError(429, `${this.limits.maxActiveCalls} calls are already in progress; hang one up or try again shortly`);
    this.recentStarts.push(now);
  }

  private call(contactId: string): Call {
    const call = this.calls.get(contactId);
    if (!call) throw new CallError(404, `no call ${contactId}`);
    return call;
  }

  /**
   * Runs `work` as the call's next turn. `caller`: the caller said or keyed something (or hung up): a turn
   * as the TurnLatency metric counts it, and activity for the idle timeout. `listen`: the caller only asks
   * what was played (not activity: a listening tab must not keep a silent call alive). `resume`: the agent
   * handed the call back to a flow; the flow starts afresh (activity), its prompts wait for the caller's
   * next snapshot.
   */
  private turn(call: Call, work: () => Promise<void>, kind: 'caller' | 'listen' | 'resume' = 'caller'): Promise<CallSnapshot> {
    const keepPrompts = kind === 'resume';
    const result = call.turn.then(async () => {
      const { contact } = call;
      const wasEnded = contact.disconnectedAt !== undefined;
      const started = performance.now();
      try {
        await work();
      } catch (error) {
        console.error(`[connect] call ${contact.contactId} failed:`, (error as Error).message);
        contact.end('ERROR');
      }
      if (kind !== 'listen') contact.lastActivity = this.clock.now();
      if (kind === 'caller') this.deps.onTurn?.(performance.now() - started);
      if (contact.ended && !wasEnded) await this.finish(call);
      const prompts = keepPrompts ? [] : contact.pending;
      if (!keepPrompts) contact.pending = [];
      return {
        contactId: contact.contactId,
        prompts,
        awaiting: contact.awaiting,
        ended: contact.ended,
        ...(contact.disposition ? { disposition: contact.disposition } : {}),
        ...(contact.queue ? { queue: contact.queue.name } : {}),
        ...(call.queueState ? { queueState: call.queueState } : {}),
      };
    });
    call.turn = result.catch(() => undefined);
    return result;
  }

  /**
   * The contact record Connect writes when a contact ends: attributes, queue, reason, timestamps. A
   * transferred contact is written at the transfer (the flow's part ended) and then queued.
   */
  private async finish(call: Call): Promise<void> {
    const { contact } = call;
    contact.disconnectedAt = new Date();
    if (contact.disposition === 'TRANSFERRED' && contact.queue) {
      this.queues.enqueue({ contactId: contact.contactId, queue: contact.queue, attributes: contact.attributes });
      call.queueState = 'WAITING';
    } else call.customerLeftAt ??= this.clock.now();
    for (const bot of this.deps.bots) this.deps.lex.endSession(bot.name, contact.contactId);
    const reasons: Record<string, string> = {
      HUNG_UP: 'CUSTOMER_DISCONNECT',
      IDLE_TIMEOUT: 'EXPIRED',
      DISCONNECTED: 'CONTACT_FLOW_DISCONNECT',
      TRANSFERRED: 'CONTACT_FLOW_TRANSFER',
      ERROR: 'OTHER',
    };
    this.deps.data.file('contactRecords').append({
      AWSAccountId: LOCAL_ACCOUNT,
      InstanceARN: INSTANCE_ARN,
      ContactId: contact.contactId,
      InitialContactId: contact.contactId,
      Channel: 'VOICE',
      InitiationMethod: 'INBOUND',
      InitiationTimestamp: contact.initiatedAt.toISOString(),
      DisconnectTimestamp: contact.disconnectedAt.toISOString(),
      DisconnectReason: reasons[contact.disposition ?? 'DISCONNECTED'],
      CustomerEndpoint: { Address: contact.customerNumber, Type: 'TELEPHONE_NUMBER' },
      SystemEndpoint: { Address: contact.systemNumber, Type: 'TELEPHONE_NUMBER' },
      Attributes: { ...contact.attributes },
      Queue: contact.queue ? { ARN: contact.queue.arn, Name: contact.queue.name, EnqueueTimestamp: contact.queue.enqueuedAt } : null,
      LanguageCode: contact.languageCode,
      ContactFlowName: contact.flowName,
      TwinDisposition: contact.disposition,
    });
    await this.deps.data.closeRecording(contact.contactId);
  }

  private hangUpIdle(idleMs: number): void {
    const now = this.clock.now();
    for (const call of this.calls.values()) {
      if (!call.contact.ended && now - call.contact.lastActivity > idleMs) void this.hangUp(call.contact.contactId, 'IDLE_TIMEOUT');
    }
    // Keep ended calls for an hour so their details stay readable (and a call waiting in a queue as long as it waits).
    for (const [id, call] of this.calls)
      if (call.contact.disconnectedAt && now - call.contact.disconnectedAt.getTime() > 3600_000 && !this.queues.has(id))
        this.calls.delete(id);
  }
}
