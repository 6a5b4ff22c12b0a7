/**
 * SES v2 email templates, one per message and locale, declared once: the CDK messaging stack deploys
 * them (AWS::SES::Template) and the twin creates them in its SES at start. Placeholders use SES's
 * `{{name}}` syntax; SES does not HTML-escape, so only values we produce (digits, names from the
 * directory escaped by the sender) are inserted.
 */
import type { Locale } from '../domain/employee';

export interface EmailTemplate {
  readonly name: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface VerificationCodeTemplateData {
  name: string;
  code: string;
  minutes: string;
}

const layout = (lang: string, body: string) =>
  `<!doctype html><html lang="${lang}"><body style="font-family:Arial,sans-serif;color:#1b1b1b;max-width:560px;margin:auto">${body}</body></html>`;

export const VERIFICATION_CODE_TEMPLATES: Record<Locale, EmailTemplate> = {
  'en-US': {
    name: 'support-desk-verification-code-en-US',
    subject: 'Your Support Desk verification code',
    html: layout(
      'en',
      '<h1 style="font-size:20px">Password reset by phone</h1><p>Hello {{name}},</p><p>Your verification code is:</p><p style="font-size:32px;letter-spacing:8px;font-weight:bold">{{code}}</p><p>Key it in on the phone now. It expires in {{minutes}} minutes and works once.</p><p>If you did not call the Support Desk, you can ignore this email; your password has not changed.</p>',
    ),
    text: 'Hello {{name}},\n\nYour Support Desk verification code is {{code}}.\nKey it in on the phone now. It expires in {{minutes}} minutes and works once.\n\nIf you did not call the Support Desk, ignore this email; your password has not changed.\n',
  },
  'es-US': {
    name: 'support-desk-verification-code-es-US',
    subject: 'Su código de verificación de Support Desk',
    html: layout(
      'es',
      '<h1 style="font-size:20px">Restablecimiento de contraseña por teléfono</h1><p>Hola {{name}}:</p><p>Su código de verificación es:</p><p style="font-size:32px;letter-spacing:8px;font-weight:bold">{{code}}</p><p>Márquelo ahora en el teléfono. Vence en {{minutes}} minutos y sirve una sola vez.</p><p>Si no llamó a Support Desk, ignore este correo; su contraseña no ha cambiado.</p>',
    ),
    text: 'Hola {{name}}:\n\nSu código de verificación de Support Desk es {{code}}.\nMárquelo ahora en el teléfono. Vence en {{minutes}} minutos y sirve una sola vez.\n\nSi no llamó a Support Desk, ignore este correo; su contraseña no ha cambiado.\n',
  },
};

export const EMAIL_TEMPLATES: readonly EmailTemplate[] = Object.values(VERIFICATION_CODE_TEMPLATES);
