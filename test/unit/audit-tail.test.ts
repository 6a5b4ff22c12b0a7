/**
 * The audit tail both workflows share (Audit → ReadAuditChain → … → WriteAudit → AuditRace/AuditRetry? →
 * AuditFailed → EmitAuditWriteFailed) is written twice, once per ASL file: Step Functions has no include.
 * These tests keep the two copies from drifting apart, and keep WriteAudit's hash in step with the
 * domain's field order (lambdas/domain/audit-chain.ts), which `npm run audit -- --verify` recomputes.
 */
import { STATE_MACHINES } from '../../state-machines/state-machine-catalogue';
import { CHAINED_FIELDS_V2 } from '../../lambdas/domain/audit-chain';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type State = Record<string, any>;

const machines = STATE_MACHINES.map((m) => ({
  name: m.name,
  states: JSON.parse(readFileSync(resolve(__dirname, '../..', m.file), 'utf8')).States as Record<string, State>,
}));

/** The shared states, in the order a record goes through them. */
const TAIL = [
  'Audit',
  'ReadAuditChain',
  'ChainStarted?',
  'StartChain',
  'ContinueChain',
  'WriteAudit',
  'AuditRace',
  'AuditBackoff',
  'AuditRetry?',
  'AuditFailed',
  'EmitAuditWriteFailed',
] as const;

/** A state with what may differ by workflow taken out: its name and step, where it goes on, and its comment. */
function normalized(state: State, workflow: string, step: string): unknown {
  const { Comment: _comment, Next: _next, Default: _default, ...rest } = state;
  const text = JSON.stringify(rest)
    .replaceAll(`'${workflow}'`, "'<workflow>'")
    .replaceAll(`"${workflow}"`, '"<workflow>"')
    .replaceAll(`'${step}'`, "'<step>'")
    .replaceAll(`"${step}"`, '"<step>"');
  const parsed = JSON.parse(text) as State;
  // Where the tail exits to differs by workflow (the verify workflow checks a reset was recorded first).
  for (const c of parsed.Catch ?? []) delete c.Next;
  return parsed;
}

/** The top-level arguments of an intrinsic call `Name(a, b, …)`, split outside quotes and parentheses. */
function intrinsicArguments(call: string, name: string): string[] {
  expect(call.startsWith(`${name}(`)).toBe(true);
  const inner = call.slice(name.length + 1, call.lastIndexOf(')'));
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of inner) {
    if (ch === "'" && !current.endsWith('\\')) quoted = !quoted;
    if (!quoted && ch === '(') depth += 1;
    if (!quoted && ch === ')') depth -= 1;
    if (!quoted && depth === 0 && ch === ',') {
      args.push(current.trim());
      current = '';
    } else current += ch;
  }
  args.push(current.trim());
  return args;
}

const stepOf = (states: Record<string, State>) => states.WriteAudit!.Parameters.Item.step.S as string;

it('both workflows have every state of the audit tail', () => {
  for (const m of machines) expect([m.name, TAIL.filter((s) => !(s in m.states))]).toEqual([m.name, []]);
});

it.each(TAIL)('%s is the same in both workflows, but for the workflow and step it names and where it exits', (name) => {
  const [first, ...others] = machines.map((m) => normalized(m.states[name]!, m.name, stepOf(m.states)));
  for (const other of others) expect(other).toEqual(first);
});

it('the tail goes on from state to state the same way in both workflows', () => {
  const inside = new Set<string>(TAIL);
  const edges = (states: Record<string, State>) =>
    TAIL.flatMap((name) => {
      const s = states[name]!;
      return [s.Next, s.Default, ...(s.Choices ?? []).map((c: State) => c.Next), ...(s.Catch ?? []).map((c: State) => c.Next)]
        .filter((n): n is string => typeof n === 'string' && inside.has(n))
        .map((n) => `${name} → ${n}`);
    });
  const [first, ...others] = machines.map((m) => edges(m.states));
  expect(first!.length).toBeGreaterThan(8);
  for (const other of others) expect(other).toEqual(first);
});

describe.each(machines.map((m) => [m.name, m] as const))('%s: WriteAudit', (_name, m) => {
  const write = m.states.WriteAudit!;
  const item = write.Parameters.Item as Record<string, { S?: string; 'S.$'?: string; 'N.$'?: string }>;
  const hashCall = /^States\.Hash\((.*), 'SHA-256'\)$/.exec(item.hash!['S.$']!)?.[1] ?? '';
  const args = intrinsicArguments(hashCall, 'States.Format');

  it('hashes the stored fields in the order audit-chain.ts verifies them (CHAINED_FIELDS_V2)', () => {
    const [template, ...values] = args;
    expect(template).toBe(`'${CHAINED_FIELDS_V2.map(() => '{}').join('|')}'`);
    expect(values).toHaveLength(CHAINED_FIELDS_V2.length);
    CHAINED_FIELDS_V2.forEach((field, i) => {
      const stored = item[field];
      // Each hashed value is the stored one: a literal as its quoted string, a path as itself, seq
      // as the number it is stored as.
      const expected =
        stored?.S !== undefined
          ? `'${stored.S}'`
          : field === 'seq'
            ? intrinsicArguments(stored!['N.$']!, 'States.Format')[1]
            : stored?.['S.$'];
      expect([field, values[i]]).toEqual([field, expected]);
    });
  });

  it('stores nothing it does not hash', () => {
    expect(Object.keys(item).sort()).toEqual([...CHAINED_FIELDS_V2, 'hash'].sort());
  });
});
