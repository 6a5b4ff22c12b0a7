/** Sending a templated email with SES v2 (the SDK's standard retries handle throttling). */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

const ses = new SESv2Client({ maxAttempts: 3 });

export async function sendTemplatedEmail(message: {
  from: string;
  to: string;
  template: string;
  data: object;
  purpose: string;
}): Promise<string | undefined> {
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: message.from,
      Destination: { ToAddresses: [message.to] },
      Content: { Template: { TemplateName: message.template, TemplateData: JSON.stringify(message.data) } },
      EmailTags: [{ Name: 'purpose', Value: message.purpose }],
    }),
  );
  return out.MessageId;
}
