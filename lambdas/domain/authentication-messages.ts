/**
 * What the authentication code hook says, per locale. SSML; the only dynamic text (the digits of a
 * validated ID) is XML-escaped all the same (security rule 6 (docs/design.md)).
 */
import type { Locale } from './locale';
import { escapeXml } from './ssml';

interface Words {
  confirmId: (digits: string) => string;
  retryId: string;
  chooseChannel: string;
  codeSent: string;
  rateLimited: string;
  unavailable: string;
  notConfirmed: string;
}

const WORDS: Record<Locale, Words> = {
  'en-US': {
    confirmId: (d) => `I heard <say-as interpret-as="digits">${d}</say-as>. Is that right? Say yes or press 1. Say no or press 2.`,
    retryId: "OK, let's try again. Please say or key in your seven-digit employee ID, then press pound.",
    // Asked of every caller: never says which channels an ID has (rule 5).
    chooseChannel: 'Should we send your code by text or by email? Say text or press 1. Say email or press 2.',
    // Rule 5: the same words whether or not the ID exists, has a recovery channel, or the code can be
    // delivered (it goes out after this answer); not even the channel asked for (the other is used if
    // that one is not registered).
    codeSent:
      "Thank you. If that ID is on file, we just sent a six-digit code to the phone or email registered for recovery. Please key it in, then press pound. If it does not arrive, stay on the line and we'll connect you to an agent.",
    rateLimited: "Sorry, we can't start a password reset for you right now.",
    unavailable: "Sorry, we're having trouble right now.",
    notConfirmed: "Sorry, I couldn't confirm your employee ID.",
  },
  'es-US': {
    confirmId: (d) => `Escuché <say-as interpret-as="digits">${d}</say-as>. ¿Es correcto? Diga sí o presione 1. Diga no o presione 2.`,
    retryId: 'Bien, intentemos de nuevo. Diga o marque su número de empleado de siete dígitos y luego presione numeral.',
    chooseChannel: '¿Le enviamos el código por mensaje de texto o por correo? Diga texto o presione 1. Diga correo o presione 2.',
    codeSent:
      'Gracias. Si ese número está registrado, acabamos de enviar un código de seis dígitos al teléfono o correo registrado para recuperación. Márquelo y luego presione numeral. Si no le llega, permanezca en la línea y lo comunicaremos con un agente.',
    rateLimited: 'Perdón, no podemos iniciar un restablecimiento de contraseña ahora.',
    unavailable: 'Perdón, tenemos un problema en este momento.',
    notConfirmed: 'Perdón, no pude confirmar su número de empleado.',
  },
};

const speak = (text: string) => `<speak>${text}</speak>`;

export const authenticationMessages = (locale: Locale) => {
  const w = WORDS[locale] ?? WORDS['en-US'];
  return {
    confirmId: (digits: string) => speak(w.confirmId(escapeXml(digits))),
    retryId: speak(w.retryId),
    chooseChannel: speak(w.chooseChannel),
    codeSent: speak(w.codeSent),
    rateLimited: speak(w.rateLimited),
    unavailable: speak(w.unavailable),
    notConfirmed: speak(w.notConfirmed),
  };
};
