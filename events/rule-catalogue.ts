/**
 * The event bus and its rules, declared once: the CDK events stack deploys these objects and the
 * twin's EventBridge endpoint matches and delivers with them.
 */
import type { EventPattern } from './event-pattern';

export const EVENT_BUS_NAME = 'support-desk';
export const EVENT_SOURCE = 'support-desk.password-reset';

export interface RuleTarget {
  /** Target id, unique within the rule. */
  readonly id: string;
  /** A function of the function catalogue. */
  readonly functionName: string;
}

export interface RuleDefinition {
  readonly name: string;
  readonly description: string;
  readonly eventPattern: EventPattern;
  readonly targets: readonly RuleTarget[];
}

export const RULES: readonly RuleDefinition[] = [];
