/**
 * The twin's contact-flow blocks (local/connect/blocks/): one for every action type the flow validator
 * lets through, and none it refuses, so a flow that loads is a flow the twin can run to the end.
 */
import { ACTION_SCHEMAS } from '../../local/connect/flow-action-schemas';
import { BLOCKS } from '../../local/connect/blocks';
import { RUNNER_ACTION_TYPES } from '../../local/connect/flow-language';

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
