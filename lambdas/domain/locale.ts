/** The languages the desk speaks: prompts, bots, e-mails and the employee record use these tags. */
export type Locale = 'en-US' | 'es-US';
export const LOCALES: readonly Locale[] = ['en-US', 'es-US'];

export function isLocale(value: unknown): value is Locale {
  return LOCALES.includes(value as Locale);
}
