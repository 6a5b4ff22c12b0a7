/**
 * Running a contact flow exported from another Amazon Connect instance against this project's bots,
 * functions and queues: a mapping file names, for each foreign resource, the project's one, and how
 * the few values the two designs exchange differently translate. Used to run the real seed export
 * (test/fixtures/connect/seed-mapping.json) end to end. The flow itself runs unchanged.
 */

/** A value derived from another: `from` names the project's key, `map` its values to the foreign ones. */
export interface DerivedValue {
  readonly from: string;
  readonly map: Readonly<Record<string, string>>;
}

export interface FlowMapping {
  /** Foreign Lex V2 bot alias ARN → project bot name. */
  readonly botAliases?: Readonly<Record<string, string>>;
  /** Foreign intent name → project intent name (what the flow's conditions compare). */
  readonly intentNames?: Readonly<Record<string, string>>;
  /** Foreign queue ARN → project queue name. */
  readonly queues?: Readonly<Record<string, string>>;
  /** Foreign Lambda ARN → project function, with the parameters it needs and the results the flow reads. */
  readonly lambdas?: Readonly<
    Record<
      string,
      {
        readonly function: string;
        /** Invocation parameters the foreign block does not send: name → `$.` reference or literal. */
        readonly parameters?: Readonly<Record<string, string>>;
        /** Keys the foreign flow reads from `$.External`, derived from the project function's answer. */
        readonly results?: Readonly<Record<string, DerivedValue>>;
      }
    >
  >;
  /** Lex session attributes the foreign flow reads, derived from the project bot's. */
  readonly sessionAttributes?: Readonly<Record<string, DerivedValue>>;
}

/** Adds the derived keys to `values` (a value with no mapping derives nothing). */
export function withDerived(
  values: Record<string, unknown>,
  derived: Readonly<Record<string, DerivedValue>> | undefined,
): Record<string, unknown> {
  const out = { ...values };
  for (const [key, rule] of Object.entries(derived ?? {})) {
    const source = values[rule.from];
    const mapped = typeof source === 'string' ? rule.map[source] : undefined;
    if (mapped !== undefined) out[key] = mapped;
  }
  return out;
}

/** The foreign intent name for a project intent name (unchanged when unmapped). */
export function foreignIntentName(mapping: FlowMapping | undefined, projectName: string | undefined): string | undefined {
  if (!mapping?.intentNames || projectName === undefined) return projectName;
  return Object.entries(mapping.intentNames).find(([, project]) => project === projectName)?.[0] ?? projectName;
}
