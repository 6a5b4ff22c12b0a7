/**
 * The twin's SES sends only what the account could: from an address its verified identity covers (the
 * domain or any subdomain of it), with a configuration set it has. Otherwise SES's own answers,
 * MessageRejected and NotFoundException, and nothing reaches the mail store. A templated e-mail whose data
 * lacks a variable is accepted and never delivered, as SES's rendering failure.
 */
import { CreateEmailTemplateCommand, MessageRejected, NotFoundException, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { localClient, startTestTwin } from '../support/test-twin';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let ses: SESv2Client;

beforeAll(async () => {
  twin = await startTestTwin();
  ses = new SESv2Client({ ...localClient(twin.endpoints.ses), maxAttempts: 1 });
});
afterAll(async () => {
  ses.destroy();
  await twin.cleanup();
});

const email = (from: string, configurationSet?: string) =>
  ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: ['alex.rivera@example.com'] },
      Content: { Simple: { Subject: { Data: 'Support Desk' }, Body: { Text: { Data: 'hello' } } } },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    }),
  );

it('sends from the verified domain and its subdomains, with the stage’s configuration set', async () => {
  const before = twin.ses.emails().length;
  await expect(email('Support Desk <no-reply@support-desk.example.com>', 'support-desk-local')).resolves.toHaveProperty('MessageId');
  await expect(email('alerts@eu.support-desk.example.com')).resolves.toHaveProperty('MessageId');
  expect(twin.ses.emails()).toHaveLength(before + 2);
});

it('rejects an address no verified identity covers, as SES does, and keeps nothing', async () => {
  const before = twin.ses.emails().length;
  for (const from of ['no-reply@example.com', 'Support Desk <no-reply@not-support-desk.example.com>']) {
    const error = await email(from).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageRejected);
    expect((error as MessageRejected).message).toMatch(
      /^Email address is not verified\. The following identities failed the check in region US-EAST-1: /,
    );
    expect((error as MessageRejected).$metadata.httpStatusCode).toBe(400);
  }
  expect(twin.ses.emails()).toHaveLength(before);
});

it('refuses a configuration set the account does not have: NotFoundException', async () => {
  const error = await email('no-reply@support-desk.example.com', 'support-desk-prod').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NotFoundException);
  expect((error as NotFoundException).$metadata.httpStatusCode).toBe(404);
});

it('accepts a templated e-mail its data cannot fill, and never delivers it (a rendering failure)', async () => {
  await ses.send(
    new CreateEmailTemplateCommand({
      TemplateName: 'test-rendering',
      TemplateContent: { Subject: 'Hello {{name}}', Text: 'Your code is {{code}}.', Html: '<p>{{ code }}</p>' },
    }),
  );
  const templated = (data: object) =>
    ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'no-reply@support-desk.example.com',
        Destination: { ToAddresses: ['alex.rivera@example.com'] },
        Content: { Template: { TemplateName: 'test-rendering', TemplateData: JSON.stringify(data) } },
      }),
    );
  const before = twin.ses.emails().length;
  const accepted = await templated({ name: 'Alex' });
  expect(accepted.MessageId).toEqual(expect.any(String));
  expect(twin.ses.emails()).toHaveLength(before);
  expect(twin.ses.renderingFailures().at(-1)).toEqual({ messageId: accepted.MessageId, template: 'test-rendering', missing: ['code'] });
  // Counted where the alarm looks: AWS/SES RenderingFailure for the configuration set.
  const metrics = (await (await fetch(`${twin.url}/api/metrics?name=RenderingFailure`)).json()) as {
    series: Array<{ namespace: string; dimensions: Record<string, string>; sum: number }>;
  };
  expect(metrics.series).toEqual([
    expect.objectContaining({ namespace: 'AWS/SES', dimensions: { 'ses:configuration-set': 'support-desk-local' }, sum: 1 }),
  ]);
  // Every variable there (and one more, which SES ignores): delivered.
  await templated({ name: 'Alex', code: '424242', extra: 'x' });
  expect(twin.ses.emails()).toHaveLength(before + 1);
  expect(twin.ses.emails().at(-1)?.subject).toBe('Hello Alex');
});
