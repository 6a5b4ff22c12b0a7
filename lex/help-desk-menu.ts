/**
 * `help-desk-menu`: what the caller wants — a password reset, an agent, or to hear the menu again.
 * Keypad: 1 reset, 0 agent, 9 repeat.
 */
import { plain, type BotDefinition } from './bot-definition';

export const MENU_INTENTS = { passwordReset: 'PasswordReset', agent: 'Agent', repeat: 'Repeat' } as const;

export const HELP_DESK_MENU: BotDefinition = {
  name: 'help-desk-menu',
  description: 'Support Desk main menu',
  idleSessionTtlSeconds: 300,
  textLogs: true,
  locales: {
    en_US: {
      localeId: 'en_US',
      description: 'English (US)',
      voiceId: 'Joanna',
      nluConfidenceThreshold: 0.4,
      slotTypes: [],
      fallbackMessage: plain("Sorry, I didn't get that."),
      intents: [
        {
          name: MENU_INTENTS.passwordReset,
          description: 'The caller wants to reset a forgotten or expired password',
          sampleUtterances: [
            '1',
            'reset my password',
            'reset password',
            'password reset',
            'I forgot my password',
            'forgot password',
            "I'm locked out",
            'I am locked out of my account',
            'my account is locked',
            'unlock my account',
            'I need a new password',
            'my password expired',
            "I can't log in",
            'change my password',
          ],
          slots: [],
          dialogCodeHook: false,
          fulfillmentCodeHook: false,
        },
        {
          name: MENU_INTENTS.agent,
          description: 'The caller wants a person',
          sampleUtterances: ['0', 'agent', 'representative', 'talk to a person', 'speak to someone', 'operator', 'a human', 'I need a human', 'talk to a human', 'help desk agent', 'customer service', 'real person'],
          slots: [],
          dialogCodeHook: false,
          fulfillmentCodeHook: false,
        },
        {
          name: MENU_INTENTS.repeat,
          description: 'The caller wants the menu again',
          sampleUtterances: ['9', 'repeat', 'say that again', 'repeat that', 'what were the options', 'come again', 'again please', 'menu'],
          slots: [],
          dialogCodeHook: false,
          fulfillmentCodeHook: false,
        },
      ],
    },
    es_US: {
      localeId: 'es_US',
      description: 'Español (EE. UU.)',
      voiceId: 'Lupe',
      nluConfidenceThreshold: 0.4,
      slotTypes: [],
      fallbackMessage: plain('Perdón, no le entendí.'),
      intents: [
        {
          name: MENU_INTENTS.passwordReset,
          description: 'El llamante quiere restablecer su contraseña',
          sampleUtterances: [
            '1',
            'restablecer mi contraseña',
            'restablecer contraseña',
            'olvidé mi contraseña',
            'olvide mi contraseña',
            'estoy bloqueado',
            'estoy bloqueada',
            'mi cuenta está bloqueada',
            'desbloquear mi cuenta',
            'necesito una contraseña nueva',
            'mi contraseña venció',
            'no puedo entrar',
            'cambiar mi contraseña',
          ],
          slots: [],
          dialogCodeHook: false,
          fulfillmentCodeHook: false,
        },
        {
          name: MENU_INTENTS.agent,
          description: 'El llamante quiere hablar con una persona',
          sampleUtterances: ['0', 'agente', 'representante', 'hablar con una persona', 'hablar con alguien', 'operador', 'una persona', 'necesito un humano', 'servicio al cliente'],
          slots: [],
          dialogCodeHook: false,
          fulfillmentCodeHook: false,
        },
        {
          name: MENU_INTENTS.repeat,
          description: 'El llamante quiere oír el menú otra vez',
          sampleUtterances: ['9', 'repetir', 'repita', 'otra vez', 'dígalo otra vez', 'cuáles son las opciones', 'menú'],
          slots: [],
          dialogCodeHook: false,
          fulfillmentCodeHook: false,
        },
      ],
    },
  },
};
