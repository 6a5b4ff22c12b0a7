/** UpdateContactAttributes ("Set contact attributes"): each attribute that resolves is set; one that does not is left as it was. */
import { contactUpdate } from './block';

export const updateContactAttributes = contactUpdate(({ contact, params }) => {
  for (const [key, raw] of Object.entries((params.Attributes ?? {}) as Record<string, unknown>)) {
    const value = contact.resolve(raw);
    if (value !== undefined) contact.attributes[key] = value;
  }
  return undefined;
});
