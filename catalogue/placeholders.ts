/**
 * `${Key}` placeholders, as CloudFormation's and CDK's definition substitutions resolve them: the ASL
 * files and the contact flow name ARNs this way, and both the twin and CDK fill them in.
 */

/** Replaces `${Key}` placeholders as CDK's definitionSubstitutions does; an unknown key is an error. */
export function substitute(definition: string, substitutions: Record<string, string>): string {
  return definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, key: string) => {
    const value = substitutions[key];
    if (value === undefined) throw new Error(`no substitution for \${${key}}`);
    return value;
  });
}

/** "issue-code" → "IssueCode" (placeholder keys and CDK construct ids). */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * The functions a definition (ASL, a contact flow) invokes: those whose `${<Name>FunctionArn}`
 * placeholder it holds. CDK grants invoke permissions and integrations from this, not from a list.
 */
export function functionsNamedIn(definition: string, functionNames: readonly string[]): string[] {
  return functionNames.filter((name) => definition.includes(`\${${pascalCase(name)}FunctionArn}`));
}

/** The `${Key}` placeholders a definition uses. */
export function placeholderKeys(definition: string): Set<string> {
  return new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!));
}

/** Only the substitutions a definition uses: CDK turns every one into a cross-stack import. */
export function usedSubstitutions(definition: string, substitutions: Record<string, string>): Record<string, string> {
  const keys = placeholderKeys(definition);
  return Object.fromEntries(Object.entries(substitutions).filter(([key]) => keys.has(key)));
}
