/**
 * The leak scan reads LevelDB's write-ahead log as raw bytes. dynalite's record keys carry a 6-hex-character
 * hash of the item's key, and an all-digit one equal to an issued code is not a leak (bench:calls found
 * `item-support-desk-reset-sessions~560415/…`); the same code stored in a value is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskDynaliteKeyHashes, scanForSecrets } from '../../local/retention/leak-scan';

const dataDir = mkdtempSync(join(tmpdir(), 'leak-scan-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A record of dynalite's log: its key (hash prefix, hex-encoded key) then the item's JSON. */
const record = (hash: string, item: string) => `\u0001qitem-support-desk-reset-sessions~${hash}/6531333565643437/${item}\u0000`;

it("ignores a code that equals a dynalite key's hash prefix", async () => {
  mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
  writeFileSync(join(dataDir, 'dynamodb', '000010.log'), record('560415', '{"state":{"S":"VERIFY"}}'), 'latin1');
  await expect(scanForSecrets({ dataDir, secrets: ['560415'] })).resolves.toEqual([]);
});

it('finds the code stored in a value of the same log', async () => {
  writeFileSync(join(dataDir, 'dynamodb', '000011.log'), record('a1b2c3', '{"code":{"S":"560415"}}'), 'latin1');
  await expect(scanForSecrets({ dataDir, secrets: ['560415'] })).resolves.toEqual([
    { secret: '560415', where: join('dynamodb', '000011.log') },
  ]);
});

it('masks only the hash between ~ and /', () => {
  expect(maskDynaliteKeyHashes('item-t~560415/ab/{"S":"560415"} ~12345/ ~1234567/')).toBe(
    'item-t~------/ab/{"S":"560415"} ~12345/ ~1234567/',
  );
});
