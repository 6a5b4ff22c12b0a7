/** UpdateContactTargetQueue ("Set working queue"): a queue the instance does not have is an error. */
import { NO_MATCHING_ERROR, contactUpdate } from './block';

export const updateContactTargetQueue = contactUpdate(({ contact, params, deps }) => {
  const arn = contact.resolve(params.QueueId);
  const queue = arn ? deps.queueForArn(arn) : undefined;
  if (!arn || !queue) return NO_MATCHING_ERROR;
  contact.targetQueue = { arn, name: queue.name };
  return undefined;
});
