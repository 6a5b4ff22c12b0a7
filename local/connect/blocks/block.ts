/**
 * A contact-flow block as the twin runs it: one file per flow-language action type in this folder,
 * listed in `./index.ts`; local/connect/flow-runner.ts moves the contact from block to block
 * (transitions, flow logs, recording) and asks the block for a step. As aws-local-stepfunctions keeps
 * one handler per state type.
 */
import type { LambdaHost } from '../../lambda/lambda-host';
import type { LexRuntime } from '../../lex/lex-runtime';
import type { JsonlFile } from '../../retention/jsonl-file';
import type { Clock } from '../../time/clock';
import type { Awaiting, CallerInput } from '../call-snapshot';
import type { Contact } from '../contact';
import type { FlowAction } from '../flow-language';
import type { FlowMapping } from '../flow-mapping';

/** What the flow runner and its blocks are given: the twin's Lex and Lambda, the instance's resources, logs, clock. */
export interface RunnerDependencies {
  lambdaHost: LambdaHost;
  lex: LexRuntime;
  /** Bot name for a Lex V2 bot alias ARN. */
  botForAlias: (aliasArn: string) => string | undefined;
  /** Queue name for a queue ARN; `atCapacity` when it takes no more contacts. */
  queueForArn: (arn: string) => { name: string; atCapacity: boolean; open: boolean } | undefined;
  /** The name of the flow with this ARN (or ID), when the instance has it. */
  flowForArn?: (arnOrId: string) => string | undefined;
  flowLogs: JsonlFile;
  recording: (contactId: string) => JsonlFile;
  instanceArn: string;
  /** Idle time and the Lambda time limit run on this clock. */
  clock: Clock;
  /** For a flow exported elsewhere: its resources mapped onto the project's. */
  mapping?: FlowMapping;
  /** The instance's security keys (public keys, PEM): what an InputEncryption certificate must be signed by. */
  securityKeys?: readonly string[];
  /** Told what the flow does, and asked for overrides (the test-case runner, local/connect/test-case-runner.ts). */
  observer?: FlowObserver;
}

/** A block's identity as a test case names it (the `ActionParameters` of FlowActionStarted and overrides). */
export type ObservedParameters = Record<string, unknown>;

/** What a test case's OverrideSystemBehavior makes a block do instead of running. */
export type BlockOverride =
  | { kind: 'external'; loadedData: Record<string, unknown> }
  | { kind: 'hours'; open: boolean }
  | { kind: 'error'; errorType: string }
  | { kind: 'substitute'; arn: string };

export interface FlowObserver {
  actionStarted(contact: Contact, actionType: string, parameters: ObservedParameters): void;
  messagePlayed(contact: Contact, prompt: { text: string; ssml: string | null }): void;
  override(contact: Contact, actionType: string, parameters: ObservedParameters): BlockOverride | undefined;
}

/** What a block did, for the runner: go on, branch, fail, wait for the caller, or end the contact. */
export type Step =
  | { kind: 'next' }
  | { kind: 'condition'; value: string | undefined }
  | { kind: 'error'; errorType: string }
  | { kind: 'await'; awaiting: Awaiting }
  | { kind: 'end'; disposition: 'DISCONNECTED' | 'TRANSFERRED' };

export const NEXT: Step = { kind: 'next' };
/** Connect's catch-all error branch. */
export const NO_MATCHING_ERROR: Step = { kind: 'error', errorType: 'NoMatchingError' };

/** One block on one contact, with what the runner lends it. */
export interface BlockContext {
  readonly contact: Contact;
  readonly action: FlowAction;
  /** The block's Parameters ({} when it has none). */
  readonly params: Record<string, unknown>;
  readonly deps: RunnerDependencies;
  /** A flow-log entry for this block, while the contact's flow logging is on. */
  log(parameters: Record<string, unknown>, results?: Record<string, unknown>): void;
  /** Plays a prompt to the caller (recorded, transcribed). */
  play(content: { ssml?: string; text?: string }): void;
  /** Plays the block's own prompt (SSML or Text); false when it references something missing. */
  playPrompt(params: Record<string, unknown>): boolean;
}

export interface Block {
  /** Runs the block when the flow reaches it. */
  run(block: BlockContext): Step | Promise<Step>;
  /** The caller's input to this block, when it waits for some. */
  input?(block: BlockContext, input: CallerInput): Promise<Step>;
  /** The block's identity as test cases name it (FlowActionStarted, overrides); its Parameters otherwise. */
  observed?(block: BlockContext): ObservedParameters;
  /** What a test case's override makes the block do (errors are the runner's); undefined when it cannot. */
  override?(block: BlockContext, override: BlockOverride): Step | Promise<Step> | undefined;
}

/** A block that only logs itself and goes on, after `apply` changed the contact. */
export function contactUpdate(apply: (block: BlockContext) => Step | undefined): Block {
  return {
    run(block) {
      const failed = apply(block);
      block.log({ ...block.params });
      return failed ?? NEXT;
    },
  };
}
