/** UpdateContactTextToSpeechVoice ("Set voice"): the voice prompts are spoken in, when the value resolves. */
import { contactUpdate } from './block';

export const updateContactTextToSpeechVoice = contactUpdate(({ contact, params }) => {
  const voice = contact.resolve(params.TextToSpeechVoice);
  if (voice) contact.voice = voice;
  return undefined;
});
