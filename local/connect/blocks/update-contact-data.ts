/** UpdateContactData ("Set voice" → language): the contact's language, when the value resolves. */
import { contactUpdate } from './block';

export const updateContactData = contactUpdate(({ contact, params }) => {
  const language = contact.resolve(params.LanguageCode);
  if (language) contact.languageCode = language;
  return undefined;
});
