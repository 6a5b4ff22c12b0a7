/**
 * What a contact's user-defined attributes may hold, for the Connect API (UpdateContactAttributes) and the
 * "Set contact attributes" block alike: "You can have up to 32,768 UTF-8 bytes across all attributes for a
 * contact. Attribute keys can include only alphanumeric, dash, and underscore characters"; in the block,
 * "when the attributes for a contact exceed 32 KB, the contact is routed down the Error branch"
 * (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateContactAttributes.html).
 */
export const MAX_ATTRIBUTE_BYTES = 32_768;

export const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]+$/;

/** The UTF-8 bytes of every key and value. */
export function attributeBytes(attributes: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(attributes)) total += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  return total;
}
