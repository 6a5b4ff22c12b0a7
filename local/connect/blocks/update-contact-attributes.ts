/**
 * UpdateContactAttributes ("Set contact attributes"): each attribute that resolves is set; one that does
 * not is left as it was. Attributes past Connect's 32 KB take the Error branch and set nothing
 * (contact-attribute-limits.ts).
 */
import { attributeBytes, MAX_ATTRIBUTE_BYTES } from '../contact-attribute-limits';
import { contactUpdate, NO_MATCHING_ERROR } from './block';

export const updateContactAttributes = contactUpdate(({ contact, params }) => {
  const updated = { ...contact.attributes };
  for (const [key, raw] of Object.entries((params.Attributes ?? {}) as Record<string, unknown>)) {
    const value = contact.resolve(raw);
    if (value !== undefined) updated[key] = value;
  }
  if (attributeBytes(updated) > MAX_ATTRIBUTE_BYTES) return NO_MATCHING_ERROR;
  Object.assign(contact.attributes, updated);
  return undefined;
});
