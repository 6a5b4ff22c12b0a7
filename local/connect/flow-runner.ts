/**
 * The twin's contact flow runner: executes Amazon Connect flow-language JSON for one contact,
 * block by block, until the call needs caller input or ends. Each block type is a file in ./blocks/
 * (Lex blocks go through the twin's Lex runtime, Lambda blocks through its Lambda host); the runner
 * moves between them as Connect picks transitions, logs every block while flow logging is on
 * (`flow-logs.jsonl`), and transcribes both sides while recording is on (`recordings/`).
 * Written by hand: there is no offline Connect flow engine.
 */
import { randomUUID } from 'node:crypto';
import { ssmlToText } from '../../lambdas/domain/ssml';
import type { CallerInput } from './call-snapshot';
import type { Contact } from './contact';
import type { ContactFlow, FlowAction } from './flow-language';
import { NO_MATCHING_ERROR, type BlockContext, type BlockOverride, type RunnerDependencies, type Step } from './blocks/block';
import { BLOCKS } from './blocks';

/** A flow that runs this many blocks without waiting for the caller is looping. */
const MAX_BLOCKS_PER_TURN = 500;

export class FlowRunner {
  private readonly actions: Map<string, FlowAction>;

  constructor(
    readonly flow: ContactFlow,
    readonly flowName: string,
    private readonly deps: RunnerDependencies,
  ) {
    this.actions = new Map(flow.Actions.map((a) => [a.Identifier, a]));
  }

  /** Runs from the start of the flow until input is needed or the call ends. */
  async start(contact: Contact): Promise<void> {
    await this.runFrom(contact, this.flow.StartAction);
  }

  /** Delivers caller input to the waiting block, then runs on. */
  async input(contact: Contact, input: CallerInput): Promise<void> {
    const action = contact.current;
    if (!action || contact.ended) return;
    contact.lastActivity = this.deps.clock.now();
    const said =
      input.dtmf !== undefined
        ? { from: 'caller' as const, text: input.dtmf, dtmf: input.dtmf }
        : { from: 'caller' as const, text: input.text ?? '' };
    contact.transcript.push({ at: new Date().toISOString(), ...said, recorded: contact.recording });
    if (contact.recording) this.deps.recording(contact.contactId).append({ at: new Date().toISOString(), ...said });
    contact.awaiting = null;
    contact.current = undefined;
    const block = BLOCKS.get(action.Type);
    const step = block?.input ? await block.input(this.context(contact, action), input) : NO_MATCHING_ERROR;
    await this.continueAfter(contact, action, step);
  }

  private async runFrom(contact: Contact, identifier: string | undefined): Promise<void> {
    let id = identifier;
    for (let blocks = 0; id && !contact.ended; blocks += 1) {
      if (blocks > MAX_BLOCKS_PER_TURN) return contact.end('DISCONNECTED');
      const action = this.actions.get(id);
      if (!action) return contact.end('DISCONNECTED');
      const step = await this.execute(contact, action);
      if (step.kind === 'await') {
        contact.current = action;
        contact.awaiting = step.awaiting;
        return;
      }
      if (step.kind === 'end') return contact.end(step.disposition);
      id = this.transition(action, step);
    }
    if (!contact.ended) contact.end('DISCONNECTED');
  }

  private async continueAfter(contact: Contact, action: FlowAction, step: Step): Promise<void> {
    if (step.kind === 'await') {
      contact.current = action;
      contact.awaiting = step.awaiting;
      return;
    }
    if (step.kind === 'end') return contact.end(step.disposition);
    await this.runFrom(contact, this.transition(action, step));
  }

  /** The next block for a step, as Connect picks it. */
  private transition(action: FlowAction, step: Step): string | undefined {
    const t = action.Transitions ?? {};
    const errorTarget = (type: string) => t.Errors?.find((e) => e.ErrorType === type)?.NextAction;
    if (step.kind === 'error') return errorTarget(step.errorType) ?? errorTarget('NoMatchingError');
    if (step.kind === 'condition') {
      const match = t.Conditions?.find((c) => matches(c.Condition.Operator, c.Condition.Operands, step.value));
      if (match) return match.NextAction;
      return errorTarget('NoMatchingCondition') ?? t.NextAction;
    }
    return t.NextAction;
  }

  private log(contact: Contact, action: FlowAction, parameters: Record<string, unknown>, results?: Record<string, unknown>): void {
    if (!contact.flowLogging) return;
    this.deps.flowLogs.append({
      ContactId: contact.contactId,
      ContactFlowId: `${this.deps.instanceArn}/contact-flow/${this.flowName}`,
      ContactFlowName: this.flowName,
      ContactFlowModuleType: action.Type,
      Identifier: action.Identifier,
      Timestamp: new Date().toISOString(),
      Parameters: parameters,
      ...(results ? results : {}),
    });
  }

  /** A block a test case overrode: the mocked result, as the block would have produced it. */
  private async overridden(context: BlockContext, override: BlockOverride): Promise<Step> {
    const { action } = context;
    this.log(context.contact, action, { ...context.params }, { Override: override.kind });
    if (override.kind === 'error') return { kind: 'error', errorType: override.errorType };
    const step = await BLOCKS.get(action.Type)?.override?.(context, override);
    if (!step) throw new Error(`unsupported: an override of ${action.Type} by ${override.kind}`);
    return step;
  }

  /** What a block is lent for one run on one contact. */
  private context(contact: Contact, action: FlowAction): BlockContext {
    return {
      contact,
      action,
      params: action.Parameters ?? {},
      deps: this.deps,
      log: (parameters, results) => this.log(contact, action, parameters, results),
      play: (content) => this.play(contact, content),
      playPrompt: (params) => this.playPrompt(contact, params),
    };
  }

  private play(contact: Contact, content: { ssml?: string; text?: string }): void {
    const prompt =
      content.ssml !== undefined ? { text: ssmlToText(content.ssml), ssml: content.ssml } : { text: content.text ?? '', ssml: null };
    this.deps.observer?.messagePlayed(contact, prompt);
    contact.pending.push(prompt);
    contact.transcript.push({ at: new Date().toISOString(), from: 'system', ...prompt, recorded: contact.recording });
    if (contact.recording)
      this.deps.recording(contact.contactId).append({ at: new Date().toISOString(), from: 'system', text: prompt.text });
  }

  /** Plays the block's prompt (Text, SSML); false when it references something missing. */
  private playPrompt(contact: Contact, params: Record<string, unknown>): boolean {
    if (params.SSML !== undefined) {
      const ssml = contact.resolve(params.SSML);
      if (!ssml) return false;
      this.play(contact, ssml.trim().startsWith('<speak>') ? { ssml } : { text: ssml });
    } else if (params.Text !== undefined) {
      const text = contact.resolve(params.Text);
      if (!text) return false;
      this.play(contact, { text });
    }
    return true;
  }

  private async execute(contact: Contact, action: FlowAction): Promise<Step> {
    const block = BLOCKS.get(action.Type);
    const context = this.context(contact, action);
    const observer = this.deps.observer;
    if (observer) {
      // The block's identity as test cases name it: its own, or its Parameters.
      const identity = block?.observed?.(context) ?? { ...context.params };
      observer.actionStarted(contact, action.Type, identity);
      const override = observer.override(contact, action.Type, identity);
      if (override) return this.overridden(context, override);
    }
    if (!block) {
      this.log(contact, action, { ...context.params });
      return NO_MATCHING_ERROR;
    }
    return block.run(context);
  }
}

/** Connect's Compare and condition operators. */
function matches(operator: string, operands: string[], value: string | undefined): boolean {
  if (value === undefined) return false;
  const [operand] = operands;
  if (operand === undefined) return false;
  switch (operator) {
    case 'Equals':
      return value === operand;
    case 'NumberGreaterThan':
      return Number(value) > Number(operand);
    case 'NumberGreaterOrEqualTo':
      return Number(value) >= Number(operand);
    case 'NumberLessThan':
      return Number(value) < Number(operand);
    case 'NumberLessOrEqualTo':
      return Number(value) <= Number(operand);
    case 'TextContains':
      return value.includes(operand);
    case 'TextStartsWith':
      return value.startsWith(operand);
    case 'TextEndsWith':
      return value.endsWith(operand);
    default:
      return false;
  }
}

export const newContactId = (): string => randomUUID();
