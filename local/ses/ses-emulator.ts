/**
 * SES v2 in the twin: aws-ses-v2-local bound to 127.0.0.1. Its mail store lives in memory, so the
 * twin mirrors every delivered message to `mail.jsonl` in the data folder and restores it at start
 * (a restart keeps the inbox, like every other piece of twin state). The endpoint the handlers call is
 * the twin's own server in front of the library's: it reads a request first, so that a handler's
 * SendEmail is checked against its function's role (IAM, local/lambda/lambda-roles.ts) before the
 * library sends anything; the library has no hook for that. It also refuses what the account could not
 * send (an unverified From address, an unknown configuration set: `accountRefusal`), which the library
 * does not model.
 */
import { type AwsUsageMeter, meterServer } from '../metering/aws-usage-meter';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import startSesServer from 'aws-ses-v2-local';
import { getStoreReadonly, type Email, type Template } from 'aws-ses-v2-local/dist/store';
import { randomUUID } from 'node:crypto';
import { CreateEmailTemplateCommand, SESv2Client, UpdateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { sesV2Operation, type FaultInjector } from '../faults/fault-injector';
import type { EmailTemplate } from '../../lambdas/notifications/email-templates';
import { localClientConfig } from '../local-credentials';
import type { JsonlFile } from '../retention/jsonl-file';
import { guardLoopbackServer } from '../http/loopback-guard';
import { roleRefusal, type LambdaRoles, type RoleCall } from '../lambda/lambda-roles';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';
import { addressOf, identityCovers } from '../../lambdas/notifications/sender-identity';

export type StoredEmail = Email;

export interface SesEmulator {
  readonly url: string;
  /** Delivered messages, oldest first. */
  emails(): readonly StoredEmail[];
  /** Templated e-mails SES accepted but could not render (so never delivered), oldest first. */
  renderingFailures(): readonly RenderingFailure[];
  /** Told of each rendering failure (the twin publishes it as SES's AWS/SES RenderingFailure metric). */
  onRenderingFailure(listener: (failure: RenderingFailure) => void): void;
  stop(): Promise<void>;
}

export async function startSes(options: {
  port?: number;
  faults: FaultInjector;
  mailFile: JsonlFile;
  /** Meters every request (bench:cost). */
  meter?: AwsUsageMeter;
  /** The functions' roles: a handler's SendEmail must be allowed by its function's. */
  roles?: LambdaRoles;
  /** What the account has verified and configured; absent: SendEmail is not checked against it. */
  account?: SesAccount;
}): Promise<SesEmulator> {
  // The library's store is a module singleton; the twin owns it for the life of the process.
  // One twin per process: its inbox comes from its own data folder, templates are installed afresh.
  const store = getStoreReadonly() as { emails: Email[]; templates: Map<string, Template> };
  const failures: RenderingFailure[] = [];
  const failureListeners: Array<(failure: RenderingFailure) => void> = [];
  store.emails = existsSync(options.mailFile.path) ? readMail(options.mailFile.path) : [];
  store.templates.clear();
  let mirrored = store.emails.length;

  const library: Server = await startSesServer({ host: '127.0.0.1', port: 0 });
  guardLoopbackServer(library);
  const libraryHost = `127.0.0.1:${(library.address() as AddressInfo).port}`;
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = sesV2Operation(req);
      // A SendEmail's body, read once for the checks below; one the twin cannot read is the library's to answer.
      const sendEmail = operation === 'SendEmail' ? readSendEmail(body) : undefined;
      const refusal = roleRefusal(options.roles, req.headers, () => sesCalls(operation, sendEmail));
      // SES v2 (REST-JSON) refuses with the error type in a header.
      const refuse = (status: number, type: string, message: string) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
        res.end(JSON.stringify({ message }));
      };
      if (refusal) return refuse(403, 'AccessDeniedException', refusal.message);
      const unsendable = options.account && sendEmail ? accountRefusal(sendEmail, options.account) : undefined;
      if (unsendable) return refuse(unsendable.status, unsendable.type, unsendable.message);
      const unrendered = sendEmail ? renderingFailure(sendEmail, (name) => store.templates.get(name)) : undefined;
      if (unrendered) {
        // Accepted, as SES accepts it, and never delivered: SES reports the failure afterwards, not to the caller.
        failures.push(unrendered);
        for (const listener of failureListeners) listener(unrendered);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ MessageId: unrendered.messageId }));
        return;
      }
      const forward = request(
        {
          host: '127.0.0.1',
          port: Number(libraryHost.split(':')[1]),
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: libraryHost },
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  options.faults.guard(server, 'ses', sesV2Operation);
  if (options.meter) meterServer(server, 'ses', sesV2Operation, options.meter);
  server.on('request', (_req, res) => {
    res.on('finish', () => {
      for (; mirrored < store.emails.length; mirrored += 1) options.mailFile.append(store.emails[mirrored]);
    });
  });
  // Its store (every code e-mailed) is readable over HTTP: only loopback, same-origin callers reach it.
  guardLoopbackServer(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    emails: () => store.emails,
    renderingFailures: () => failures,
    onRenderingFailure: (listener) => {
      failureListeners.push(listener);
    },
    stop: async () => {
      for (const s of [server, library]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      agent.destroy();
    },
  };
}

/** The members of a SendEmail request the twin's checks read. */
interface SendEmailInput {
  FromEmailAddress?: unknown;
  ConfigurationSetName?: unknown;
  Content?: { Template?: { TemplateName?: unknown; TemplateData?: unknown } };
}

function readSendEmail(body: Buffer): SendEmailInput | undefined {
  try {
    const input: unknown = JSON.parse(body.toString('utf8'));
    return input && typeof input === 'object' ? (input as SendEmailInput) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The calls a request to SES is, as IAM sees them: SendEmail, with its template if it names one
 * (lambdas/function-role.ts); any other SES operation is its own action, granted to no function.
 */
function sesCalls(operation: string, sendEmail: SendEmailInput | undefined): RoleCall[] {
  const arn = (resource: string) => `arn:aws:ses:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
  if (operation !== 'SendEmail') return [{ request: { action: `ses:${operation}`, other: true }, resource: arn('identity/*') }];
  if (!sendEmail) return []; // the library answers a body it cannot read
  const name = sendEmail.Content?.Template?.TemplateName;
  const template = typeof name === 'string' ? name : undefined;
  return [
    {
      request: { action: 'ses:SendEmail', ...(template !== undefined ? { template } : {}) },
      resource: arn(template !== undefined ? `template/${template}` : 'identity/*'),
    },
  ];
}

/** What the twin's SES account has, as the messaging stack creates it on a stage. */
export interface SesAccount {
  /** Verified identities: domains and e-mail addresses. */
  identities: readonly string[];
  configurationSets: readonly string[];
}

/**
 * What SES answers a SendEmail its account cannot send: from an address no verified identity covers,
 * MessageRejected (https://docs.aws.amazon.com/ses/latest/dg/verify-addresses-and-domains.html: every
 * From address must be verified, as an address or by its domain); with a configuration set the account
 * does not have, NotFoundException (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html).
 * The account is out of the sandbox (production access), so recipients are not checked.
 */
function accountRefusal(input: SendEmailInput, account: SesAccount): { status: number; type: string; message: string } | undefined {
  if (typeof input.FromEmailAddress === 'string') {
    const address = addressOf(input.FromEmailAddress);
    if (!account.identities.some((identity) => identityCovers(identity, address)))
      return {
        status: 400,
        type: 'MessageRejected',
        message: `Email address is not verified. The following identities failed the check in region ${LOCAL_REGION.toUpperCase()}: ${address}`,
      };
  }
  const configurationSet = input.ConfigurationSetName;
  if (typeof configurationSet === 'string' && !account.configurationSets.includes(configurationSet))
    return { status: 404, type: 'NotFoundException', message: `Configuration set <${configurationSet}> does not exist.` };
  return undefined;
}

/** A templated e-mail SES accepted and could not render: the template and the variables its data lacked. */
export interface RenderingFailure {
  messageId: string;
  template: string;
  missing: string[];
}

/**
 * SES renders a templated e-mail after accepting it; when the template data lacks a variable the
 * template uses, the e-mail is not delivered (a Rendering Failure event) though the call succeeded
 * (https://repost.aws/knowledge-center/ses-sendtemplatedemail-delivery-failure; extra variables are
 * fine). aws-ses-v2-local renders a missing variable as an empty string and delivers: the twin stops it
 * first. The product's templates use plain `{{name}}` variables only (lambdas/notifications/email-templates.ts).
 */
function renderingFailure(input: SendEmailInput, templateNamed: (name: string) => Template | undefined): RenderingFailure | undefined {
  const name = input.Content?.Template?.TemplateName;
  const template = typeof name === 'string' ? templateNamed(name) : undefined;
  if (!template) return undefined; // no template (or an unknown one, NotFoundException): the library's to answer
  let data: unknown;
  try {
    data = JSON.parse(String(input.Content?.Template?.TemplateData ?? '{}'));
  } catch {
    return undefined; // malformed data: the library's BadRequestException
  }
  const { Subject = '', Html = '', Text = '' } = template.TemplateContent;
  const used = new Set([...`${Subject}${Html}${Text}`.matchAll(/\{\{\{?\s*([A-Za-z_][\w.]*)\s*\}?\}\}/g)].map((m) => m[1]!));
  const has = (path: string) =>
    path
      .split('.')
      .reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), data) !== undefined;
  const missing = [...used].filter((variable) => variable !== 'else' && !has(variable));
  return missing.length > 0 ? { messageId: `0100-${randomUUID()}-000000`, template: name as string, missing } : undefined;
}

function readMail(path: string): Email[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Email);
}

/** Creates (or updates) the product's email templates, as the CDK messaging stack does in AWS, with the stage's suffix. */
export async function installEmailTemplates(url: string, templates: readonly EmailTemplate[], suffix: string): Promise<void> {
  const ses = new SESv2Client(localClientConfig(url));
  try {
    for (const t of templates) {
      const content = { Subject: t.subject, Html: t.html, Text: t.text };
      try {
        await ses.send(new CreateEmailTemplateCommand({ TemplateName: `${t.name}${suffix}`, TemplateContent: content }));
      } catch (error) {
        if ((error as Error).name !== 'AlreadyExistsException') throw error;
        await ses.send(new UpdateEmailTemplateCommand({ TemplateName: `${t.name}${suffix}`, TemplateContent: content }));
      }
    }
  } finally {
    ses.destroy();
  }
}
