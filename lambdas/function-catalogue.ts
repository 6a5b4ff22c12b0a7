/**
 * Every Lambda function of the product, declared once: the twin's Lambda host loads these handlers
 * in-process; the CDK stacks build each entry with NodejsFunction. Plain data, no AWS import.
 */

export interface FunctionDefinition {
  /** Function name in the twin and the base of the physical name in AWS. */
  readonly name: string;
  /** Handler module, relative to the repository root. */
  readonly entry: string;
  /** Exported handler name. */
  readonly handler: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export const FUNCTIONS: readonly FunctionDefinition[] = [];

export function functionByName(name: string, catalogue: readonly FunctionDefinition[] = FUNCTIONS): FunctionDefinition {
  const fn = catalogue.find((f) => f.name === name);
  if (!fn) throw new Error(`unknown function ${name}`);
  return fn;
}
