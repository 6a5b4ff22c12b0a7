/**
 * EventBridge event patterns, as the rule catalogue writes them and CDK deploys them
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 * The twin's matcher is local/eventbridge/event-pattern-matcher.ts.
 */

export type NumericOperator = '<' | '<=' | '=' | '>=' | '>';
export type Scalar = string | number | boolean | null;
export type ContentFilter =
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': Scalar | Scalar[] | { prefix: string } }
  | { exists: boolean }
  | { numeric: Array<NumericOperator | number> };
export type PatternValue = Array<Scalar | ContentFilter>;
export interface EventPattern {
  [field: string]: PatternValue | EventPattern;
}
