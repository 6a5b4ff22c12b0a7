/**
 * Sending a templated email with SES v2 (the SDK's standard retries handle throttling). Template names
 * carry the stage's suffix and every e-mail goes out with the stage's configuration set, both from the
 * environment CDK and the twin set (read once, at cold start).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ENV, optionalEnv } from '../configuration/environment';

const ses = new SESv2Client({ maxAttempts: 3 });
const templateSuffix = optionalEnv(ENV.emailTemplateSuffix) ?? '';
const configurationSet = optionalEnv(ENV.emailConfigurationSet);

export async function sendTemplatedEmail(
  message: {
    from: string;
    /** One address, or several (all in To: each sees where the notice went). */
    to: string | readonly string[];
    /** The template's name in the catalogue (lambdas/notifications/email-templates.ts). */
    template: string;
    data: object;
    purpose: string;
  },
  abortSignal?: AbortSignal,
): Promise<string | undefined> {
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: message.from,
      Destination: { ToAddresses: typeof message.to === 'string' ? [message.to] : [...message.to] },
      Content: { Template: { TemplateName: `${message.template}${templateSuffix}`, TemplateData: JSON.stringify(message.data) } },
      EmailTags: [{ Name: 'purpose', Value: message.purpose }],
      ...(configurationSet && { ConfigurationSetName: configurationSet }),
    }),
    { abortSignal },
  );
  return out.MessageId;
}
