/**
 * Adapts a definition to aws-local-stepfunctions 3.0.0 where its semantics differ from AWS:
 * the engine evaluates `{"Variable": p, "IsPresent": false}` as never true (AWS: true when p is
 * absent), so such rules are rewritten to the equivalent `{"Not": {"Variable": p, "IsPresent": true}}`.
 * The stored and described definition stays the user's own.
 */
type Json = Record<string, unknown>;

export function adaptForEngine<T>(definition: T): T {
  return JSON.parse(JSON.stringify(definition), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const rule = value as Json;
      if (rule.IsPresent === false && typeof rule.Variable === 'string') {
        const { Variable, IsPresent: _isPresent, ...rest } = rule;
        return { ...rest, Not: { Variable, IsPresent: true } };
      }
    }
    return value;
  }) as T;
}
