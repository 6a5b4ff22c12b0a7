/**
 * TransferContactToQueue: the contact leaves the flow for its working queue (TRANSFERRED); no working
 * queue is an error, a full one QueueAtCapacity.
 */
import { NO_MATCHING_ERROR, type Block } from './block';

export const transferContactToQueue: Block = {
  run(block) {
    const { contact, deps } = block;
    block.log({ ...block.params });
    const queue = contact.targetQueue && deps.queueForArn(contact.targetQueue.arn);
    if (!contact.targetQueue || !queue) return NO_MATCHING_ERROR;
    if (queue.atCapacity) return { kind: 'error', errorType: 'QueueAtCapacity' };
    // Enqueued on the twin's clock: the agent queue measures waiting time on it.
    contact.queue = { ...contact.targetQueue, enqueuedAt: new Date(deps.clock.now()).toISOString() };
    return { kind: 'end', disposition: 'TRANSFERRED' };
  },

  observed: ({ contact }) => ({ QueueId: contact.targetQueue?.arn ?? '' }),
};
