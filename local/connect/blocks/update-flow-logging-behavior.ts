/** UpdateFlowLoggingBehavior: the block that turns logging on is the first one logged; the one that turns it off, the last. */
import { NEXT, type Block } from './block';

export const updateFlowLoggingBehavior: Block = {
  run(block) {
    const enabled = block.params.FlowLoggingBehavior === 'Enabled';
    if (enabled) block.contact.flowLogging = true;
    block.log({ ...block.params });
    if (!enabled) block.contact.flowLogging = false;
    return NEXT;
  },
};
