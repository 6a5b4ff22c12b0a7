/**
 * The twin's contact-flow blocks (local/connect/blocks/): one for every action type the flow validator
 * lets through, and none it refuses, so a flow that loads is a flow the twin can run to the end.
 */
import { ACTION_SCHEMAS } from '../../local/connect/flow-action-schemas';
import { BLOCKS } from '../../local/connect/blocks';
import { RUNNER_ACTION_TYPES } from '../../local/connect/flow-language';
import { NEXT, NO_MATCHING_ERROR, type BlockContext } from '../../local/connect/blocks/block';
import { MAX_ATTRIBUTE_BYTES } from '../../local/connect/contact-attribute-limits';

it('runs exactly the action types that have a schema, which are the ones the validator lets a flow use', () => {
  expect([...BLOCKS.keys()].sort()).toEqual(Object.keys(ACTION_SCHEMAS).sort());
  expect([...BLOCKS.keys()].sort()).toEqual([...RUNNER_ACTION_TYPES].sort());
});

it('knows no type by accident: an Object.prototype name is not a block', () => {
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) expect(BLOCKS.get(name)).toBeUndefined();
});

it('waits for the caller only in the two input blocks', () => {
  const waiting = [...BLOCKS].filter(([, block]) => block.input).map(([type]) => type);
  expect(waiting.sort()).toEqual(['ConnectParticipantWithLexBot', 'GetParticipantInput']);
});

describe('Set contact attributes (UpdateContactAttributes)', () => {
  const run = (attributes: Record<string, string>, set: Record<string, string>) => {
    const contact = { attributes, resolve: (value: unknown) => (typeof value === 'string' ? value : undefined) };
    const block = { contact, params: { Attributes: set }, log: () => undefined } as unknown as BlockContext;
    return { step: BLOCKS.get('UpdateContactAttributes')!.run(block), attributes };
  };

  it('sets what resolves and goes on', () => {
    expect(run({ a: '1' }, { b: '2' })).toEqual({ step: NEXT, attributes: { a: '1', b: '2' } });
  });

  it('takes the Error branch and sets nothing when the contact’s attributes would pass 32 KB, as Connect does', () => {
    const full = { big: 'x'.repeat(MAX_ATTRIBUTE_BYTES - 10) };
    expect(run({ ...full }, { more: 'y'.repeat(20) })).toEqual({ step: NO_MATCHING_ERROR, attributes: full });
    // Exactly at the limit is allowed.
    expect(run({ ...full }, { m: 'y'.repeat(6) }).step).toEqual(NEXT);
  });
});
