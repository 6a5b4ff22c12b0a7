/**
 * Audit digests (lambdas/domain/audit-digest.ts): the signed bytes are stable, keys sort in time order,
 * a signature holds only for its body and key, and the writer's look-back covers every workflow's timeout.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DIGEST_LOOKBACK_SECONDS,
  digestBody,
  digestDayPrefixes,
  digestHash,
  digestKey,
  nextDigest,
  parseDigest,
  signatureHolds,
  type SignedDigest,
} from '../../lambdas/domain/audit-digest';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signed = (body: string): SignedDigest => ({
  body,
  signature: sign('sha256', Buffer.from(body), privateKey).toString('base64'),
  signingAlgorithm: 'ECDSA_SHA_256',
  keyId: 'test',
});

it('the body is the same bytes whatever the order of the heads, and links to the previous body', () => {
  const heads = [
    { employeeId: '9000002', seq: 3, hash: 'b' },
    { employeeId: '9000001', seq: 1, hash: 'a' },
  ];
  const first = nextDigest({ digestTime: '2026-11-26T05:00:00.000Z', windowEnd: '2026-11-26T05:00:00.000Z', heads });
  const again = nextDigest({ digestTime: '2026-11-26T05:00:00.000Z', windowEnd: '2026-11-26T05:00:00.000Z', heads: [...heads].reverse() });
  expect(digestBody(first)).toBe(digestBody(again));
  expect(first).toMatchObject({ windowStart: null, previousDigestKey: null, previousDigestHash: null });
  const key = digestKey(first.digestTime);
  expect(key).toBe('digests/2026/11/26/2026-11-26T05:00:00.000Z.json');
  const second = nextDigest({
    digestTime: '2026-11-26T05:05:00.000Z',
    windowEnd: '2026-11-26T05:05:00.000Z',
    previous: { key, body: digestBody(first), digest: first },
    heads: [],
  });
  expect(second).toMatchObject({ windowStart: first.windowEnd, previousDigestKey: key, previousDigestHash: digestHash(digestBody(first)) });
  expect(digestKey(second.digestTime) > key).toBe(true);
  expect(parseDigest(digestBody(second))).toEqual(second);
  expect(parseDigest('{"version":1}')).toBeUndefined();
  expect(parseDigest('not json')).toBeUndefined();
});

it('a signature holds for its body and key only (PEM or DER public key)', () => {
  const body = digestBody(nextDigest({ digestTime: '2026-11-26T05:00:00.000Z', windowEnd: '2026-11-26T05:00:00.000Z', heads: [] }));
  const good = signed(body);
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const der = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  expect(signatureHolds(good, pem)).toBe(true);
  expect(signatureHolds(good, der)).toBe(true);
  expect(signatureHolds({ ...good, body: body.replace('"heads":[]', '"heads":[{"employeeId":"1","seq":1,"hash":"x"}]') }, pem)).toBe(false);
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
  expect(signatureHolds(good, other)).toBe(false);
  expect(signatureHolds({ ...good, signature: 'AAAA' }, pem)).toBe(false);
});

it('day prefixes cover every day of a range, in order', () => {
  expect(digestDayPrefixes(new Date('2026-11-30T23:00:00Z'), new Date('2026-12-02T01:00:00Z'))).toEqual([
    'digests/2026/11/30/',
    'digests/2026/12/01/',
    'digests/2026/12/02/',
  ]);
});

it("the writer's look-back exceeds every workflow's TimeoutSeconds (a record's `at` is its execution's start)", () => {
  for (const file of ['password-reset-start.asl.json', 'password-reset-verify.asl.json']) {
    const asl = JSON.parse(readFileSync(resolve(__dirname, '../../state-machines', file), 'utf8')) as { TimeoutSeconds: number };
    expect(asl.TimeoutSeconds).toBeGreaterThan(0);
    expect(DIGEST_LOOKBACK_SECONDS).toBeGreaterThan(asl.TimeoutSeconds + 60);
  }
});
