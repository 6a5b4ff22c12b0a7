/** DisconnectParticipant and EndFlowExecution: the flow ends, and with it the contact (DISCONNECTED). */
import type { Block } from './block';

export const disconnectParticipant: Block = {
  run(block) {
    block.log({ ...block.params });
    return { kind: 'end', disposition: 'DISCONNECTED' };
  },
};
