/**
 * `employee-authentication-bot`: collects the employee ID (spoken digits or keypad), has it confirmed
 * digit by digit, starts the reset (dialog code hook) and collects the e-mailed verification code
 * (obfuscated in logs). The contact flow verifies the code; the bot only collects it.
 */
import { ssml, type BotDefinition, type LocaleDefinition } from './bot-definition';
import { EMPLOYEE_ID_SLOT, VERIFICATION_CODE_SLOT } from '../lambdas/domain/authentication-dialog';

export { EMPLOYEE_ID_SLOT, VERIFICATION_CODE_SLOT };
export const AUTHENTICATE_INTENT = 'Authenticate';
export const AUTHENTICATION_CODE_HOOK = 'authentication-code-hook';

const keypad = (maxLength: number) => ({ maxLength, endCharacter: '#', deletionCharacter: '*', endTimeoutMs: 5000 });

function locale(
  localeId: 'en_US' | 'es_US',
  words: {
    description: string;
    voiceId: string;
    utterances: string[];
    idPrompt: string;
    idRetry: string;
    codePrompt: string;
    codeRetry: string;
    failure: string;
    fallback: string;
  },
): LocaleDefinition {
  return {
    localeId,
    description: words.description,
    voiceId: words.voiceId,
    nluConfidenceThreshold: 0.4,
    fallbackMessage: ssml(words.fallback),
    slotTypes: [
      { name: 'EmployeeIdType', parentSlotTypeSignature: 'AMAZON.AlphaNumeric', regexPattern: '[0-9]{7}' },
      { name: 'VerificationCodeType', parentSlotTypeSignature: 'AMAZON.AlphaNumeric', regexPattern: '[0-9]{6}' },
    ],
    intents: [
      {
        name: AUTHENTICATE_INTENT,
        description: 'Identify the employee and collect the e-mailed verification code',
        sampleUtterances: words.utterances,
        dialogCodeHook: true,
        fulfillmentCodeHook: false,
        failureMessage: ssml(words.failure),
        slots: [
          {
            name: EMPLOYEE_ID_SLOT,
            slotTypeName: 'EmployeeIdType',
            description: 'Seven-digit employee ID',
            required: true,
            obfuscation: 'None',
            dtmf: keypad(7),
            prompt: { messages: [ssml(words.idPrompt)], retryMessages: [ssml(words.idRetry)], maxRetries: 2 },
          },
          {
            name: VERIFICATION_CODE_SLOT,
            slotTypeName: 'VerificationCodeType',
            description: 'Six-digit code sent by email',
            required: true,
            obfuscation: 'DefaultObfuscation',
            dtmf: keypad(6),
            prompt: { messages: [ssml(words.codePrompt)], retryMessages: [ssml(words.codeRetry)], maxRetries: 2 },
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
      utterances: ['authenticate', 'my employee ID is {EmployeeId}', '{EmployeeId}', 'it is {EmployeeId}'],
      idPrompt: 'Please say or key in your seven-digit employee ID, then press pound.',
      idRetry: 'Sorry, I need the seven digits of your employee ID. Say them one by one, or key them in and press pound.',
      codePrompt: 'Please key in the six-digit code from the email, then press pound.',
      codeRetry: 'Sorry, that was not six digits. Key in the six-digit code from the email, then press pound.',
      failure: "Sorry, I wasn't able to get that.",
      fallback: "Sorry, I didn't get that.",
    }),
    es_US: locale('es_US', {
      description: 'Español (EE. UU.)',
      voiceId: 'Lupe',
      utterances: ['authenticate', 'autenticar', 'mi número de empleado es {EmployeeId}', '{EmployeeId}', 'es {EmployeeId}'],
      idPrompt: 'Diga o marque su número de empleado de siete dígitos y luego presione numeral.',
      idRetry: 'Perdón, necesito los siete dígitos de su número de empleado. Dígalos uno por uno, o márquelos y presione numeral.',
      codePrompt: 'Marque el código de seis dígitos del correo y luego presione numeral.',
      codeRetry: 'Perdón, no eran seis dígitos. Marque el código de seis dígitos del correo y luego presione numeral.',
      failure: 'Perdón, no pude entenderle.',
      fallback: 'Perdón, no le entendí.',
    }),
  },
};
