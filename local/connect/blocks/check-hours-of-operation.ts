/**
 * CheckHoursOfOperation: the target queue's hours unless the block names others; an hours id the twin
 * does not know is an error, as is a contact with no target queue
 * (https://docs.aws.amazon.com/connect/latest/APIReference/flow-control-actions-checkhoursofoperation.html).
 */
import { NO_MATCHING_ERROR, type Block } from './block';

export const checkHoursOfOperation: Block = {
  run(block) {
    const { contact, deps, params } = block;
    block.log({ ...params });
    if (params.HoursOfOperationId !== undefined) return NO_MATCHING_ERROR;
    const queue = contact.targetQueue && deps.queueForArn(contact.targetQueue.arn);
    if (!queue) return NO_MATCHING_ERROR;
    return { kind: 'condition', value: queue.open ? 'True' : 'False' };
  },

  observed: ({ contact }) => ({ HoursOfOperationId: contact.targetQueue ? `${contact.targetQueue.arn}/hours` : '' }),

  override: (_block, override) => (override.kind === 'hours' ? { kind: 'condition', value: override.open ? 'True' : 'False' } : undefined),
};
