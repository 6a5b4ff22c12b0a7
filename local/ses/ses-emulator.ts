/**
 * SES v2 in the twin: aws-ses-v2-local bound to 127.0.0.1. Its mail store lives in memory, so the
 * twin mirrors every delivered message to `mail.jsonl` in the data folder and restores it at start
 * (a restart keeps the inbox, like every other piece of twin state).
 */
import { type AwsUsageMeter, meterServer } from '../metering/aws-usage-meter';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import startSesServer from 'aws-ses-v2-local';
import { getStoreReadonly, type Email } from 'aws-ses-v2-local/dist/store';
import { CreateEmailTemplateCommand, SESv2Client, UpdateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { sesV2Operation, type FaultInjector } from '../faults/fault-injector';
import type { EmailTemplate } from '../../lambdas/notifications/email-templates';
import { localClientConfig } from '../local-credentials';
import type { JsonlFile } from '../retention/jsonl-file';
import { guardLoopbackServer } from '../http/loopback-guard';

export type StoredEmail = Email;

export interface SesEmulator {
  readonly url: string;
  /** Delivered messages, oldest first. */
  emails(): readonly StoredEmail[];
  stop(): Promise<void>;
}

export async function startSes(options: {
  port?: number;
  faults: FaultInjector;
  mailFile: JsonlFile;
  /** Meters every request (bench:cost). */
  meter?: AwsUsageMeter;
}): Promise<SesEmulator> {
  // The library's store is a module singleton; the twin owns it for the life of the process.
  // One twin per process: its inbox comes from its own data folder, templates are installed afresh.
  const store = getStoreReadonly() as { emails: Email[]; templates: Map<string, unknown> };
  store.emails = existsSync(options.mailFile.path) ? readMail(options.mailFile.path) : [];
  store.templates.clear();
  let mirrored = store.emails.length;

  const server: Server = await startSesServer({ host: '127.0.0.1', port: options.port ?? 0 });
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
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
