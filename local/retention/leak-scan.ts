/**
 * The leak scan (security rules 1 and 2, docs/design.md): everything the twin retained — every file
 * of the data folder, every item of every table, plus any captured console output — searched for each
 * code and password issued. Used by the conversation, fault and load tests and by `bench:calls`.
 *
 * The message stores (MAIL_STORE_FILES: the mail store and the SMS store) legitimately hold the codes
 * they delivered, as the employee's mailbox and phone do: a secret of the code's shape (CODE_PATTERN,
 * 6 digits) is not searched there. Every other secret (a temporary password: at least 12 characters)
 * is searched there like anywhere else: no message may carry one.
 *
 * LevelDB (dynalite's store) is read two ways: its write-ahead log (`*.log`) as raw bytes, which holds
 * every recent write uncompressed, overwritten values included; and every current item through the
 * DynamoDB API. Its table files (`*.ldb`, `*.sst`) are not scanned as bytes: they are Snappy-compressed
 * with prefix-compressed keys, so a 6-digit code "matches" fragments of hex-encoded keys there
 * (bench:calls found `…/3930\x05\x02843037/1821/…`, part of an audit key), and a real value could be
 * split by a back-reference and missed. A scan that can neither trust its hits nor its misses there
 * proves nothing. In the log, dynalite's record keys carry a 6-hex-character hash of the item's key
 * (`item-<table>~<md5 prefix>/<key>/`, dynalite's db/index.js hashPrefix): one in sixteen is all digits,
 * so with hundreds of codes one of them equals such a prefix by chance (bench:calls found
 * `item-support-desk-reset-sessions~560415/…`). Those prefixes are masked before the search: a stored
 * value is never written between `~` and `/`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../catalogue/table-catalogue';
import { MAIL_STORE_FILES } from './data-folder';
import { CODE_PATTERN } from '../../lambdas/domain/verification-code';
import { localClientConfig } from '../local-credentials';

/** LevelDB's compressed table files (see the header). */
const LEVELDB_TABLE_FILE = /\.(ldb|sst)$/;
/** LevelDB's write-ahead log. */
const LEVELDB_LOG_FILE = /\.log$/;
/** dynalite's key hash prefix in a record key (see the header). */
const DYNALITE_KEY_HASH = /~[0-9a-f]{6}\//g;

/** A LevelDB write-ahead log's bytes with dynalite's key hash prefixes masked (see the header). */
export function maskDynaliteKeyHashes(text: string): string {
  return text.replace(DYNALITE_KEY_HASH, '~------/');
}

export interface LeakHit {
  secret: string;
  where: string;
}

/** Whether `secret` occurs in `text` as a token of its own (not inside a longer run of letters/digits). */
export function containsToken(text: string, secret: string): boolean {
  return new RegExp(`(?<![0-9A-Za-z])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`).test(text);
}

export async function scanForSecrets(options: {
  dataDir: string;
  dynamodbEndpoint?: string;
  extraText?: Record<string, string>;
  secrets: Iterable<string>;
}): Promise<LeakHit[]> {
  /** `messageStore`: a message store's file, searched for every secret but a code. */
  const places: Array<[where: string, text: string, messageStore?: boolean]> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!LEVELDB_TABLE_FILE.test(name)) {
        const bytes = readFileSync(path).toString('latin1');
        const text = LEVELDB_LOG_FILE.test(name) ? maskDynaliteKeyHashes(bytes) : bytes;
        places.push([relative(options.dataDir, path), text, MAIL_STORE_FILES.includes(name)]);
      }
    }
  };
  walk(options.dataDir);
  if (options.dynamodbEndpoint) {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(options.dynamodbEndpoint)));
    try {
      for (const table of TABLES) {
        const items: unknown[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const out = await db.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start }));
          items.push(...(out.Items ?? []));
          start = out.LastEvaluatedKey;
        } while (start);
        places.push([`table ${table.tableName}`, JSON.stringify(items)]);
      }
    } finally {
      db.destroy();
    }
  }
  for (const [where, text] of Object.entries(options.extraText ?? {})) places.push([where, text]);
  const hits: LeakHit[] = [];
  for (const secret of options.secrets) {
    const isCode = CODE_PATTERN.test(secret);
    for (const [where, text, messageStore] of places) {
      if (!(isCode && messageStore) && containsToken(text, secret)) hits.push({ secret, where });
    }
  }
  return hits;
}
