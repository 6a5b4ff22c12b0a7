import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import aslValidator from 'asl-validator';
import { STATE_MACHINES, definitionSubstitutions } from '../../state-machines/state-machine-catalogue';
import { substitute } from '../../catalogue/placeholders';
import { FUNCTIONS } from '../../lambdas/function-catalogue';
import { TABLES } from '../../catalogue/table-catalogue';

const root = resolve(__dirname, '../..');
const substitutions = definitionSubstitutions({
  tableName: (envVar) => TABLES.find((t) => t.envVar === envVar)!.tableName,
  functionArn: (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  eventBusName: 'support-desk',
  functions: FUNCTIONS,
});

describe.each(STATE_MACHINES.map((m) => [m.name, m] as const))('%s', (_name, spec) => {
  const raw = readFileSync(resolve(root, spec.file), 'utf8');
  const definition = JSON.parse(substitute(raw, substitutions));

  it('passes asl-validator', () => {
    const result = aslValidator(definition);
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('resolves every substitution and is EXPRESS with logging that excludes execution data', () => {
    expect(substitute(raw, substitutions)).not.toMatch(/\$\{/);
    expect(spec).toMatchObject({ type: 'EXPRESS', logging: { level: 'ALL', includeExecutionData: false } });
  });

  it('ends every path in the one audit step: every Catch and every outcome leads to Audit', () => {
    const states = definition.States as Record<string, any>;
    const next = (s: any): string[] =>
      [s.Next, s.Default, ...(s.Choices ?? []).map((c: any) => c.Next), ...(s.Catch ?? []).map((c: any) => c.Next)].filter(Boolean);
    const reachesAudit = (name: string, seen = new Set<string>()): boolean => {
      if (name === 'Audit') return true;
      if (seen.has(name)) return false;
      seen.add(name);
      const s = states[name];
      if (s.End || s.Type === 'Succeed' || s.Type === 'Fail') return false;
      return next(s).every((n) => reachesAudit(n, new Set(seen)));
    };
    // Everything from Audit on (the chain append, events, response) comes after the audit step.
    const fromAudit = new Set<string>();
    const pending = ['Audit'];
    while (pending.length) {
      const name = pending.pop()!;
      if (fromAudit.has(name)) continue;
      fromAudit.add(name);
      pending.push(...next(states[name]));
    }
    const beforeAudit = Object.keys(states).filter((n) => !fromAudit.has(n));
    expect(beforeAudit.length).toBeGreaterThan(10);
    for (const name of beforeAudit) expect([name, reachesAudit(name)]).toEqual([name, true]);
  });

  it('writes the audit record only by a conditional put, chained to the previous one', () => {
    const write = definition.States.WriteAudit;
    expect(write).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { ConditionExpression: 'attribute_not_exists(seq)' },
    });
    expect(write.Parameters.Item.hash['S.$']).toMatch(/^States\.Hash\(States\.Format\(/);
    const updates = Object.values(definition.States as Record<string, any>).filter(
      (s) =>
        s.Parameters?.TableName?.includes('audit') &&
        !['arn:aws:states:::dynamodb:putItem', 'arn:aws:states:::aws-sdk:dynamodb:query'].includes(s.Resource),
    );
    expect(updates).toEqual([]);
  });

  it('uses Lambda tasks only where a secret is created or compared, or the directory is written', () => {
    const lambdaTasks = Object.entries(definition.States as Record<string, any>)
      .filter(([, s]) => s.Type === 'Task' && String(s.Resource).startsWith('arn:aws:lambda:'))
      .map(([name]) => name);
    expect(lambdaTasks).toEqual(
      spec.name === 'password-reset-start' ? ['Prepare'] : ['ValidateActor', 'CheckCode', 'SetTemporaryPassword', 'UnlockAccount'],
    );
  });

  it('names errors as AWS raises them: aws-sdk integration errors always end in Exception; Lambda retriers include ClientExecutionTimeoutException', () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html: "always include the
    // Exception suffix ... even when the suffix is not part of the service's error name" (S3.BucketAlreadyExistsException).
    const retriersAndCatchers = Object.values(definition.States as Record<string, any>).flatMap((s) => [
      ...(s.Retry ?? []),
      ...(s.Catch ?? []),
    ]);
    const names: string[] = retriersAndCatchers.flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals);
    expect(names.filter((n) => n.startsWith('DynamoDb.') && !n.endsWith('Exception'))).toEqual([]);
    for (const r of retriersAndCatchers.filter((x: { ErrorEquals: string[] }) => x.ErrorEquals.includes('Lambda.ServiceException')))
      expect(r.ErrorEquals).toContain('Lambda.ClientExecutionTimeoutException');
  });
});
