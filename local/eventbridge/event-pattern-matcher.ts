/**
 * The twin's EventBridge pattern matcher, with the semantics AWS documents
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html):
 * every field in the pattern must match; a list of values matches any; arrays in the event match
 * when any element matches. Operators: exact, prefix, suffix, equals-ignore-case, anything-but
 * (values, or {prefix}), exists, numeric ranges. Written by hand: no maintained npm library
 * implements EventBridge's matching, and the twin needs it for the same rule objects CDK deploys.
 */
import type { ContentFilter, EventPattern, NumericOperator, PatternValue, Scalar } from '../../events/event-pattern';

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([field, rule]) => {
    const present = Object.hasOwn(event, field);
    const value = present ? event[field] : undefined;
    if (Array.isArray(rule)) return matchesField(rule, present, value);
    return present && isObject(value) && matchesPattern(rule, value);
  });
}

function matchesField(rule: PatternValue, present: boolean, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rule.some((condition) => {
    if (isObject(condition) && 'exists' in condition) return condition.exists === present;
    if (!present) return false;
    return values.some((v) => matchesCondition(condition, v));
  });
}

function matchesCondition(condition: Scalar | ContentFilter, value: unknown): boolean {
  if (!isObject(condition)) return condition === value;
  if ('prefix' in condition) return typeof value === 'string' && value.startsWith(condition.prefix);
  if ('suffix' in condition) return typeof value === 'string' && value.endsWith(condition.suffix);
  if ('equals-ignore-case' in condition) {
    return typeof value === 'string' && value.toLowerCase() === condition['equals-ignore-case'].toLowerCase();
  }
  if ('anything-but' in condition) {
    const excluded = condition['anything-but'];
    if (isObject(excluded) && 'prefix' in excluded) return typeof value === 'string' && !value.startsWith(String(excluded.prefix));
    const list = Array.isArray(excluded) ? excluded : [excluded];
    return !list.includes(value as Scalar);
  }
  if ('numeric' in condition) return typeof value === 'number' && matchesNumeric(condition.numeric, value);
  return false;
}

function matchesNumeric(spec: Array<NumericOperator | number>, value: number): boolean {
  for (let i = 0; i + 1 < spec.length; i += 2) {
    const op = spec[i];
    const bound = spec[i + 1];
    if (typeof bound !== 'number') return false;
    const ok =
      op === '<'
        ? value < bound
        : op === '<='
          ? value <= bound
          : op === '='
            ? value === bound
            : op === '>='
              ? value >= bound
              : op === '>'
                ? value > bound
                : false;
    if (!ok) return false;
  }
  return spec.length >= 2;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
