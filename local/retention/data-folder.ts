/**
 * The twin's data folder (HELPDESK_DATA_DIR, default `.local/`): the DynamoDB store and every
 * JSON-lines file the twin retains. One place names those files so tests can scan them all.
 * The folder holds live codes (the mail and SMS stores) and the pepper: it is private to its owner (0700, files 0600).
 */
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JsonlFile } from './jsonl-file';

export const RETAINED_FILES = {
  lambdaLogs: 'lambda-logs.jsonl',
  stateMachineLogs: 'stepfunctions-logs.jsonl',
  events: 'events.jsonl',
  eventsDeadLetter: 'events-dlq.jsonl',
  eventsDeadLetterReplayed: 'events-dlq-replayed.jsonl',
  mail: 'mail.jsonl',
  /** The texts the twin's End User Messaging SMS sent (local/sms/sms-voice-endpoint.ts). */
  sms: 'sms.jsonl',
  lexLogs: 'lex-logs.jsonl',
  contactRecords: 'contact-records.jsonl',
  flowLogs: 'flow-logs.jsonl',
} as const;

export type RetainedFile = keyof typeof RETAINED_FILES;

/**
 * The message stores: files that may legitimately hold a verification code, as the recipient's mailbox
 * and phone do in production — the mail store and the SMS store. No other secret may be in them
 * (local/retention/leak-scan.ts).
 */
export const MAIL_STORE_FILES: readonly string[] = [RETAINED_FILES.mail, RETAINED_FILES.sms];

export class DataFolder {
  readonly root: string;
  private readonly open = new Map<RetainedFile, JsonlFile>();
  private readonly recordings = new Map<string, JsonlFile>();

  constructor(root: string, options: { fresh?: boolean } = {}) {
    this.root = resolve(root);
    if (options.fresh) rmSync(this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    // A folder left by an older twin, or made by hand, is made private too.
    chmodSync(this.root, 0o700);
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  file(name: RetainedFile): JsonlFile {
    let file = this.open.get(name);
    if (!file) {
      file = new JsonlFile(this.path(RETAINED_FILES[name]));
      this.open.set(name, file);
    }
    return file;
  }

  /** The recording (transcript) of one contact, `recordings/<contactId>.jsonl`. */
  recording(contactId: string): JsonlFile {
    let file = this.recordings.get(contactId);
    if (!file) {
      file = new JsonlFile(this.path('recordings', `${contactId.replace(/[^A-Za-z0-9-]/g, '_')}.jsonl`));
      this.recordings.set(contactId, file);
    }
    return file;
  }

  async closeRecording(contactId: string): Promise<void> {
    const file = this.recordings.get(contactId);
    this.recordings.delete(contactId);
    await file?.close();
  }

  async flush(): Promise<void> {
    await Promise.all([...this.recordings.values()].map((f) => f.flush()));
    await Promise.all([...this.open.values()].map((f) => f.flush()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values(), ...this.recordings.values()].map((f) => f.close()));
    this.open.clear();
    this.recordings.clear();
  }
}
