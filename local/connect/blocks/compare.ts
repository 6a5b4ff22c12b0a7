/** Compare ("Check contact attributes"): branches on the resolved ComparisonValue (the runner matches the conditions). */
import type { Block } from './block';

export const compare: Block = {
  run(block) {
    const value = block.contact.resolve(block.params.ComparisonValue);
    block.log({ ComparisonValue: block.params.ComparisonValue }, { Results: value ?? null });
    return { kind: 'condition', value };
  },
};
