/** Every Lex bot of the product: CDK deploys these, the twin's Lex runtime runs them. */
import type { BotDefinition } from './bot-definition';
import { HELP_DESK_MENU } from './help-desk-menu';
import { EMPLOYEE_AUTHENTICATION_BOT } from './employee-authentication-bot';

export const BOTS: readonly BotDefinition[] = [HELP_DESK_MENU, EMPLOYEE_AUTHENTICATION_BOT];

export function botByName(name: string): BotDefinition | undefined {
  return BOTS.find((b) => b.name === name);
}
