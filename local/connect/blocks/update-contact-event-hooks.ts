/**
 * UpdateContactEventHooks ("Set disconnect flow" and the like): one hook per block (the schema holds it
 * to one entry); a flow the twin does not know is an error, as Connect would not find it.
 */
import { NO_MATCHING_ERROR, contactUpdate } from './block';

export const updateContactEventHooks = contactUpdate(({ contact, params, deps }) => {
  const [event, raw] = Object.entries((params.EventHooks ?? {}) as Record<string, unknown>)[0] ?? [];
  const flow = event ? contact.resolve(raw) : undefined;
  if (!event || !flow || !deps.flowForArn?.(flow)) return NO_MATCHING_ERROR;
  contact.eventHooks[event] = flow;
  return undefined;
});
