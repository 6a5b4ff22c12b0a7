/**
 * `employee-authentication-bot`: collects the employee ID (spoken digits or keypad), has it confirmed
 * digit by digit (yes / no, or keypad 1 / 2, through a slot type Lex resolves), asks where the code
 * should go (text or email, or keypad 1 / 2: asked of every caller alike), starts the reset or unlock
 * (dialog code hook) and collects the verification code by keypad only (obfuscated in logs).
 * The contact flow verifies the code; the bot only collects it. The contact flow's block plays the
 * first ID prompt; the caller's answer matches the `{EmployeeId}` sample utterances.
 */
import { ssml, type BotDefinition, type LocaleDefinition } from './bot-definition';
import { CODE_CHANNEL_SLOT, EMPLOYEE_ID_SLOT, ID_CONFIRMATION_SLOT, VERIFICATION_CODE_SLOT } from '../lambdas/domain/authentication-dialog';

export { CODE_CHANNEL_SLOT, EMPLOYEE_ID_SLOT, ID_CONFIRMATION_SLOT, VERIFICATION_CODE_SLOT };
export const AUTHENTICATE_INTENT = 'Authenticate';
export const AUTHENTICATION_CODE_HOOK = 'authentication-code-hook';

// Room for the end character: a "#" pressed after the last digit ends the input instead of spilling
// into the next prompt (keypad input ends at maxLength; see local/lex/keypad-input.ts).
const keypad = (digits: number) => ({ maxLength: digits + 1, endCharacter: '#', deletionCharacter: '*', endTimeoutMs: 5000 });

interface Words {
  description: string;
  voiceId: string;
  utterances: string[];
  idSamples: string[];
  idPrompt: string;
  idRetry: [string, string];
  confirmPrompt: string;
  confirmRetry: [string, string];
  yes: string[];
  no: string[];
  channelPrompt: string;
  channelRetry: [string, string];
  text: string[];
  email: string[];
  codePrompt: string;
  codeRetry: [string, string];
}

function locale(localeId: 'en_US' | 'es_US', words: Words): LocaleDefinition {
  // Retries are variations of one message group, played in order (Lex plays one message per group).
  const prompt = (first: string, retries: [string, string], startTimeoutMs: number) => ({
    messageGroups: [{ message: ssml(first), variations: retries.map(ssml) }],
    maxRetries: 2,
    messageSelectionStrategy: 'Ordered' as const,
    startTimeoutMs,
  });
  return {
    localeId,
    description: words.description,
    voiceId: words.voiceId,
    nluConfidenceThreshold: 0.4,
    // No fallback message: the contact flow says what happens next (no double apology).
    slotTypes: [
      { name: 'EmployeeIdType', parentSlotTypeSignature: 'AMAZON.AlphaNumeric', regexPattern: '[0-9]{7}' },
      { name: 'VerificationCodeType', parentSlotTypeSignature: 'AMAZON.AlphaNumeric', regexPattern: '[0-9]{6}' },
      // Keypad 1/2 is a synonym Lex resolves, not something built-in confirmation does.
      {
        name: 'YesNoType',
        resolution: 'TOP_RESOLUTION',
        values: [
          { value: 'yes', synonyms: ['1', ...words.yes] },
          { value: 'no', synonyms: ['2', ...words.no] },
        ],
      },
      // Keypad 1 text, 2 email: synonyms Lex resolves, as for yes / no.
      {
        name: 'CodeChannelType',
        resolution: 'TOP_RESOLUTION',
        values: [
          { value: 'text', synonyms: ['1', ...words.text] },
          { value: 'email', synonyms: ['2', ...words.email] },
        ],
      },
    ],
    intents: [
      {
        name: AUTHENTICATE_INTENT,
        description: 'Identify the employee and collect the verification code sent to a recovery channel',
        sampleUtterances: words.utterances,
        dialogCodeHook: true,
        fulfillmentCodeHook: false,
        slots: [
          {
            name: EMPLOYEE_ID_SLOT,
            slotTypeName: 'EmployeeIdType',
            description: 'Seven-digit employee ID',
            required: true,
            obfuscation: 'None',
            dtmf: keypad(7),
            sampleUtterances: words.idSamples,
            prompt: prompt(words.idPrompt, words.idRetry, 8000),
          },
          {
            name: ID_CONFIRMATION_SLOT,
            slotTypeName: 'YesNoType',
            description: 'Whether the ID read back is right (yes / no, or keypad 1 / 2)',
            required: true,
            obfuscation: 'None',
            dtmf: { maxLength: 1, endCharacter: '#', deletionCharacter: '*', endTimeoutMs: 3000 },
            prompt: prompt(words.confirmPrompt, words.confirmRetry, 8000),
          },
          {
            name: CODE_CHANNEL_SLOT,
            slotTypeName: 'CodeChannelType',
            description: 'Where the code should go: text or email (keypad 1 / 2)',
            required: true,
            obfuscation: 'None',
            dtmf: { maxLength: 1, endCharacter: '#', deletionCharacter: '*', endTimeoutMs: 3000 },
            prompt: prompt(words.channelPrompt, words.channelRetry, 8000),
          },
          {
            name: VERIFICATION_CODE_SLOT,
            slotTypeName: 'VerificationCodeType',
            description: 'Six-digit code sent by text or email',
            required: true,
            obfuscation: 'DefaultObfuscation',
            dtmf: keypad(6),
            // Keypad only: a code is never said aloud on the call.
            allowAudioInput: false,
            // Time to open the text or e-mail on the same phone: 30 s per try, three tries.
            prompt: prompt(words.codePrompt, words.codeRetry, 30000),
          },
        ],
      },
    ],
  };
}

export const EMPLOYEE_AUTHENTICATION_BOT: BotDefinition = {
  name: 'employee-authentication-bot',
  description: 'Identifies the employee and collects the verification code',
  idleSessionTtlSeconds: 600,
  codeHookFunction: AUTHENTICATION_CODE_HOOK,
  // Text logs off: this bot hears verification codes (and the code slot is obfuscated regardless).
  textLogs: false,
  locales: {
    en_US: locale('en_US', {
      description: 'English (US)',
      voiceId: 'Joanna',
      utterances: ['{EmployeeId}', 'my employee ID is {EmployeeId}', 'my ID is {EmployeeId}', 'it is {EmployeeId}', "it's {EmployeeId}"],
      idSamples: ['my employee ID is {EmployeeId}', 'my ID is {EmployeeId}', 'it is {EmployeeId}', "it's {EmployeeId}"],
      idPrompt: 'Please say or key in your seven-digit employee ID, then press pound.',
      idRetry: [
        'Sorry, I need the seven digits of your employee ID. Say them one by one, or key them in and press pound.',
        'Please key in the seven digits of your employee ID, then press pound.',
      ],
      confirmPrompt: 'Is that right? Say yes or press 1. Say no or press 2.',
      confirmRetry: [
        'Sorry, was that right? Say yes or press 1. Say no or press 2.',
        'Please press 1 if that was right, or 2 if it was not.',
      ],
      yes: ['yeah', 'yep', 'correct', 'that is right', "that's right", 'right'],
      no: ['nope', 'wrong', 'incorrect', 'that is wrong', 'not right'],
      channelPrompt: 'Should we send your code by text or by email? Say text or press 1. Say email or press 2.',
      channelRetry: [
        'Sorry, should the code come by text or by email? Say text or press 1. Say email or press 2.',
        'Please press 1 for a text, or 2 for an email.',
      ],
      text: ['text', 'a text', 'text message', 'by text', 'SMS', 'phone', 'my phone', 'mobile', 'cell phone'],
      email: ['email', 'an email', 'e-mail', 'by email', 'mail'],
      codePrompt: 'Please key in the six-digit code we sent you, then press pound.',
      codeRetry: [
        'Sorry, I need the six digits of the code we sent you. Key them in, then press pound.',
        'Please key in the six-digit code we sent you, then press pound.',
      ],
    }),
    es_US: locale('es_US', {
      description: 'Español (EE. UU.)',
      voiceId: 'Lupe',
      utterances: ['{EmployeeId}', 'mi número de empleado es {EmployeeId}', 'mi número es {EmployeeId}', 'es {EmployeeId}'],
      idSamples: ['mi número de empleado es {EmployeeId}', 'mi número es {EmployeeId}', 'es {EmployeeId}'],
      idPrompt: 'Diga o marque su número de empleado de siete dígitos y luego presione numeral.',
      idRetry: [
        'Perdón, necesito los siete dígitos de su número de empleado. Dígalos uno por uno, o márquelos y presione numeral.',
        'Marque los siete dígitos de su número de empleado y luego presione numeral.',
      ],
      confirmPrompt: '¿Es correcto? Diga sí o presione 1. Diga no o presione 2.',
      confirmRetry: ['Perdón, ¿era correcto? Diga sí o presione 1. Diga no o presione 2.', 'Presione 1 si era correcto, o 2 si no lo era.'],
      yes: ['si', 'sí', 'correcto', 'es correcto', 'así es'],
      no: ['incorrecto', 'no es correcto'],
      channelPrompt: '¿Le enviamos el código por mensaje de texto o por correo? Diga texto o presione 1. Diga correo o presione 2.',
      channelRetry: [
        'Perdón, ¿el código debe llegar por texto o por correo? Diga texto o presione 1. Diga correo o presione 2.',
        'Presione 1 para un mensaje de texto, o 2 para un correo.',
      ],
      text: ['texto', 'mensaje de texto', 'un mensaje', 'por texto', 'teléfono', 'celular', 'mi celular'],
      email: ['correo', 'correo electrónico', 'por correo', 'un correo', 'email'],
      codePrompt: 'Marque el código de seis dígitos que le enviamos y luego presione numeral.',
      codeRetry: [
        'Perdón, necesito los seis dígitos del código que le enviamos. Márquelos y luego presione numeral.',
        'Marque el código de seis dígitos que le enviamos y luego presione numeral.',
      ],
    }),
  },
};
