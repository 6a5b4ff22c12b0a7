/**
 * A workflow's role, read from its ASL (state-machines/state-machine-role.ts): what CDK grants and what
 * the twin lets a task's call through with.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FUNCTIONS } from '../../lambdas/function-catalogue';
import { STATE_MACHINES } from '../../state-machines/state-machine-catalogue';
import { stateMachineAllows, stateMachineRole } from '../../state-machines/state-machine-role';

const BUS = 'support-desk';
const roleOf = (name: string) =>
  stateMachineRole(
    readFileSync(resolve(__dirname, '../..', STATE_MACHINES.find((m) => m.name === name)!.file), 'utf8'),
    FUNCTIONS.map((fn) => fn.name),
  );

describe('stateMachineRole', () => {
  it('reads the start workflow’s tables, its bus and the one function it invokes', () => {
    const role = roleOf('password-reset-start');
    expect(role.invokes).toEqual(['prepare-reset']);
    expect(role.putEvents).toBe(true);
    expect(role.dynamoDb).toContainEqual({ table: 'Audit', actions: ['PutItem', 'Query'] });
    expect(role.dynamoDb.every((g) => g.index === undefined)).toBe(true);
  });

  it('reads the verify workflow’s functions', () => {
    expect([...roleOf('password-reset-verify').invokes].sort()).toEqual(
      ['check-verification-code', 'set-temporary-password', 'unlock-account', 'validate-actor'].sort(),
    );
  });

  it('finds tasks nested in Parallel branches and Map processors', () => {
    const nested = JSON.stringify({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Get',
              States: {
                Get: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:getItem',
                  // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL definition placeholder, not a template.
                  Parameters: { TableName: '${RateLimitsTable}' },
                  End: true,
                },
              },
            },
          ],
          Next: 'M',
        },
        M: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Put',
            States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [] }, End: true } },
          },
          End: true,
        },
      },
    });
    expect(stateMachineRole(nested, [])).toEqual({
      dynamoDb: [{ table: 'RateLimits', actions: ['GetItem'] }],
      putEvents: true,
      invokes: [],
    });
  });

  it('refuses a DynamoDB task whose table is not a catalogue placeholder (CDK could not grant it)', () => {
    const dynamic = JSON.stringify({
      StartAt: 'Get',
      States: { Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { 'TableName.$': '$.table' }, End: true } },
    });
    expect(() => stateMachineRole(dynamic, [])).toThrow('not a catalogue table placeholder');
  });
});

describe('stateMachineAllows', () => {
  const role = roleOf('password-reset-verify');
  it('allows the granted item operations on the table, never an index or another table', () => {
    expect(stateMachineAllows(role, BUS, { action: 'dynamodb:GetItem', table: 'ResetSessions' })).toBe(true);
    expect(stateMachineAllows(role, BUS, { action: 'dynamodb:DeleteItem', table: 'ResetSessions' })).toBe(false);
    expect(stateMachineAllows(role, BUS, { action: 'dynamodb:Query', table: 'Audit', index: 'by-day' })).toBe(false);
    expect(stateMachineAllows(role, BUS, { action: 'dynamodb:GetItem', table: 'Prompts' })).toBe(false);
    expect(stateMachineAllows(role, BUS, { action: 'dynamodb:GetItem', table: undefined })).toBe(false);
  });

  it('allows PutEvents on the product bus only, and the named functions only', () => {
    expect(stateMachineAllows(role, BUS, { action: 'events:PutEvents', eventBus: BUS })).toBe(true);
    expect(stateMachineAllows(role, BUS, { action: 'events:PutEvents', eventBus: 'default' })).toBe(false);
    expect(stateMachineAllows(role, BUS, { action: 'lambda:InvokeFunction', functionName: 'unlock-account' })).toBe(true);
    expect(stateMachineAllows(role, BUS, { action: 'lambda:InvokeFunction', functionName: 'prepare-reset' })).toBe(false);
    expect(stateMachineAllows(role, BUS, { action: 'lambda:InvokeFunction', functionName: undefined })).toBe(false);
  });

  it('never allows what the audit table’s resource policy denies, even where its ASL would be granted it', () => {
    const granted = {
      dynamoDb: [{ table: 'Audit' as const, actions: ['PutItem', 'UpdateItem', 'DeleteItem'] }],
      putEvents: false,
      invokes: [],
    };
    expect(stateMachineAllows(granted, BUS, { action: 'dynamodb:PutItem', table: 'Audit' })).toBe(true);
    expect(stateMachineAllows(granted, BUS, { action: 'dynamodb:UpdateItem', table: 'Audit' })).toBe(false);
    expect(stateMachineAllows(granted, BUS, { action: 'dynamodb:DeleteItem', table: 'Audit' })).toBe(false);
  });

  it('allows no other service', () => {
    expect(stateMachineAllows(role, BUS, { action: 'ses:SendEmail', other: true })).toBe(false);
  });
});
