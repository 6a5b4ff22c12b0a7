/**
 * SES v2 email templates, one per message and locale, declared once: the CDK messaging stack deploys
 * them (AWS::SES::Template) and the twin creates them in its SES at start. Placeholders use SES's
 * `{{name}}` syntax; SES does not HTML-escape, so only values we produce (digits, names from the
 * directory escaped by the sender) are inserted.
 */
import type { Locale } from '../domain/locale';

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
  /** Whom to tell about a code they did not ask for. */
  securityPhone: string;
}

const layout = (lang: string, body: string) =>
  `<!doctype html><html lang="${lang}"><body style="font-family:Arial,sans-serif;color:#1b1b1b;max-width:560px;margin:auto">${body}</body></html>`;

export const VERIFICATION_CODE_TEMPLATES: Record<Locale, EmailTemplate> = {
  'en-US': {
    name: 'support-desk-verification-code-en-US',
    subject: 'Your Support Desk verification code',
    html: layout(
      'en',
      '<h1 style="font-size:20px">Verification by phone</h1><p>Hello {{name}},</p><p>Your verification code is:</p><p style="font-size:32px;letter-spacing:8px;font-weight:bold">{{code}}</p><p>Key it in on the phone now. It expires in {{minutes}} minutes and works once.</p><p><strong>If you did not ask for this code</strong>, someone may be trying to reset your password or unlock your account: do not give the code to anyone, and report it to the security team at <strong>{{securityPhone}}</strong>. Your password has not changed.</p>',
    ),
    text: 'Hello {{name}},\n\nYour Support Desk verification code is {{code}}.\nKey it in on the phone now. It expires in {{minutes}} minutes and works once.\n\nIf you did not ask for this code, someone may be trying to reset your password or unlock your account: do not give the code to anyone, and report it to the security team at {{securityPhone}}. Your password has not changed.\n',
  },
  'es-US': {
    name: 'support-desk-verification-code-es-US',
    subject: 'Su código de verificación de Support Desk',
    html: layout(
      'es',
      '<h1 style="font-size:20px">Verificación por teléfono</h1><p>Hola {{name}}:</p><p>Su código de verificación es:</p><p style="font-size:32px;letter-spacing:8px;font-weight:bold">{{code}}</p><p>Márquelo ahora en el teléfono. Vence en {{minutes}} minutos y sirve una sola vez.</p><p><strong>Si usted no pidió este código</strong>, alguien podría estar intentando restablecer su contraseña o desbloquear su cuenta: no le dé el código a nadie e infórmelo al equipo de seguridad al <strong>{{securityPhone}}</strong>. Su contraseña no ha cambiado.</p>',
    ),
    text: 'Hola {{name}}:\n\nSu código de verificación de Support Desk es {{code}}.\nMárquelo ahora en el teléfono. Vence en {{minutes}} minutos y sirve una sola vez.\n\nSi usted no pidió este código, alguien podría estar intentando restablecer su contraseña o desbloquear su cuenta: no le dé el código a nadie e infórmelo al equipo de seguridad al {{securityPhone}}. Su contraseña no ha cambiado.\n',
  },
};

export interface PasswordResetNoticeData {
  name: string;
  time: string;
  numberEnding: string;
  securityPhone: string;
}

export const PASSWORD_RESET_NOTICE_TEMPLATES: Record<Locale, EmailTemplate> = {
  'en-US': {
    name: 'support-desk-password-reset-notice-en-US',
    subject: 'Your password was reset by phone',
    html: layout(
      'en',
      '<h1 style="font-size:20px">Your password was reset</h1><p>Hello {{name}},</p><p>Your password was reset by phone on <strong>{{time}}</strong>, from a number ending in <strong>{{numberEnding}}</strong>. You will be asked to choose a new password when you next log on.</p><p><strong>If this was not you</strong>, call the security team now at <strong>{{securityPhone}}</strong>.</p>',
    ),
    text: 'Hello {{name}},\n\nYour password was reset by phone on {{time}}, from a number ending in {{numberEnding}}. You will be asked to choose a new password when you next log on.\n\nIf this was not you, call the security team now at {{securityPhone}}.\n',
  },
  'es-US': {
    name: 'support-desk-password-reset-notice-es-US',
    subject: 'Su contraseña fue restablecida por teléfono',
    html: layout(
      'es',
      '<h1 style="font-size:20px">Su contraseña fue restablecida</h1><p>Hola {{name}}:</p><p>Su contraseña fue restablecida por teléfono el <strong>{{time}}</strong>, desde un número que termina en <strong>{{numberEnding}}</strong>. Deberá elegir una contraseña nueva la próxima vez que inicie sesión.</p><p><strong>Si no fue usted</strong>, llame ahora al equipo de seguridad al <strong>{{securityPhone}}</strong>.</p>',
    ),
    text: 'Hola {{name}}:\n\nSu contraseña fue restablecida por teléfono el {{time}}, desde un número que termina en {{numberEnding}}. Deberá elegir una contraseña nueva la próxima vez que inicie sesión.\n\nSi no fue usted, llame ahora al equipo de seguridad al {{securityPhone}}.\n',
  },
};

/** After "unlock my account" by phone: the password is unchanged, so the notice says so. */
export type AccountUnlockedNoticeData = PasswordResetNoticeData;

/** To the employee, after their account was unlocked by phone (issue #19): when, from where, whom to call. */
export const ACCOUNT_UNLOCKED_NOTICE_TEMPLATES: Record<Locale, EmailTemplate> = {
  'en-US': {
    name: 'support-desk-account-unlocked-notice-en-US',
    subject: 'Your account was unlocked by phone',
    html: layout(
      'en',
      '<h1 style="font-size:20px">Your account was unlocked</h1><p>Hello {{name}},</p><p>Your account was unlocked by phone on <strong>{{time}}</strong>, from a number ending in <strong>{{numberEnding}}</strong>. Your password has not changed: log on with the password you already have.</p><p><strong>If this was not you</strong>, call the security team now at <strong>{{securityPhone}}</strong>.</p>',
    ),
    text: 'Hello {{name}},\n\nYour account was unlocked by phone on {{time}}, from a number ending in {{numberEnding}}. Your password has not changed: log on with the password you already have.\n\nIf this was not you, call the security team now at {{securityPhone}}.\n',
  },
  'es-US': {
    name: 'support-desk-account-unlocked-notice-es-US',
    subject: 'Su cuenta fue desbloqueada por teléfono',
    html: layout(
      'es',
      '<h1 style="font-size:20px">Su cuenta fue desbloqueada</h1><p>Hola {{name}}:</p><p>Su cuenta fue desbloqueada por teléfono el <strong>{{time}}</strong>, desde un número que termina en <strong>{{numberEnding}}</strong>. Su contraseña no ha cambiado: inicie sesión con la contraseña que ya tiene.</p><p><strong>Si no fue usted</strong>, llame ahora al equipo de seguridad al <strong>{{securityPhone}}</strong>.</p>',
    ),
    text: 'Hola {{name}}:\n\nSu cuenta fue desbloqueada por teléfono el {{time}}, desde un número que termina en {{numberEnding}}. Su contraseña no ha cambiado: inicie sesión con la contraseña que ya tiene.\n\nSi no fue usted, llame ahora al equipo de seguridad al {{securityPhone}}.\n',
  },
};

export interface LockoutNoticeData {
  name: string;
  time: string;
  numberEnding: string;
  until: string;
  securityPhone: string;
}

/** To the employee, after a lock-out of phone self-service (security review F3, F13). */
export const LOCKOUT_NOTICE_TEMPLATES: Record<Locale, EmailTemplate> = {
  'en-US': {
    name: 'support-desk-lockout-notice-en-US',
    subject: 'Password reset by phone locked for your account',
    html: layout(
      'en',
      '<h1 style="font-size:20px">Wrong codes were keyed for your account</h1><p>Hello {{name}},</p><p>On <strong>{{time}}</strong>, a caller from a number ending in <strong>{{numberEnding}}</strong> keyed wrong verification codes for your account. Password reset by phone is locked for your account until <strong>{{until}}</strong>. Your password has not changed.</p><p><strong>If this was not you</strong>, call the security team at <strong>{{securityPhone}}</strong>. If it was you, wait until then, or ask an agent.</p>',
    ),
    text: 'Hello {{name}},\n\nOn {{time}}, a caller from a number ending in {{numberEnding}} keyed wrong verification codes for your account. Password reset by phone is locked for your account until {{until}}. Your password has not changed.\n\nIf this was not you, call the security team at {{securityPhone}}. If it was you, wait until then, or ask an agent.\n',
  },
  'es-US': {
    name: 'support-desk-lockout-notice-es-US',
    subject: 'Restablecimiento por teléfono bloqueado para su cuenta',
    html: layout(
      'es',
      '<h1 style="font-size:20px">Se marcaron códigos incorrectos para su cuenta</h1><p>Hola {{name}}:</p><p>El <strong>{{time}}</strong>, alguien que llamó desde un número que termina en <strong>{{numberEnding}}</strong> marcó códigos de verificación incorrectos para su cuenta. El restablecimiento de contraseña por teléfono queda bloqueado para su cuenta hasta el <strong>{{until}}</strong>. Su contraseña no ha cambiado.</p><p><strong>Si no fue usted</strong>, llame al equipo de seguridad al <strong>{{securityPhone}}</strong>. Si fue usted, espere hasta entonces o pida un agente.</p>',
    ),
    text: 'Hola {{name}}:\n\nEl {{time}}, alguien que llamó desde un número que termina en {{numberEnding}} marcó códigos de verificación incorrectos para su cuenta. El restablecimiento de contraseña por teléfono queda bloqueado para su cuenta hasta el {{until}}. Su contraseña no ha cambiado.\n\nSi no fue usted, llame al equipo de seguridad al {{securityPhone}}. Si fue usted, espere hasta entonces o pida un agente.\n',
  },
};

export interface SecurityAlertData {
  title: string;
  summary: string;
  details: string;
}

/** To the security team (English). */
export const SECURITY_ALERT_TEMPLATE: EmailTemplate = {
  name: 'support-desk-security-alert',
  subject: 'Support Desk security alert: {{title}}',
  html: layout('en', '<h1 style="font-size:20px">{{title}}</h1><p>{{summary}}</p><pre style="font-size:13px">{{details}}</pre>'),
  text: '{{title}}\n\n{{summary}}\n\n{{details}}\n',
};

export const EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  ...Object.values(VERIFICATION_CODE_TEMPLATES),
  ...Object.values(PASSWORD_RESET_NOTICE_TEMPLATES),
  ...Object.values(ACCOUNT_UNLOCKED_NOTICE_TEMPLATES),
  ...Object.values(LOCKOUT_NOTICE_TEMPLATES),
  SECURITY_ALERT_TEMPLATE,
];
