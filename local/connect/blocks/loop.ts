/** Loop: ContinueLooping LoopCount times, then DoneLooping (and the count starts again). */
import type { Block } from './block';

export const loop: Block = {
  run(block) {
    const { contact, action } = block;
    const limit = Number(contact.resolve(block.params.LoopCount) ?? '0');
    const count = contact.loops.get(action.Identifier) ?? 0;
    block.log({ ...block.params });
    if (count < limit) {
      contact.loops.set(action.Identifier, count + 1);
      return { kind: 'condition', value: 'ContinueLooping' };
    }
    contact.loops.delete(action.Identifier);
    return { kind: 'condition', value: 'DoneLooping' };
  },
};
