/**
 * The twin's KMS endpoint against @aws-sdk/client-kms: the audit digest key signs RAW messages and
 * DIGESTs, a signature verifies offline with node:crypto and the public key alone (what an auditor
 * holds), the key survives a restart of the twin on the same data folder, and a caller's mistakes get
 * KMS's errors — Verify of a bad signature included, which throws rather than answering false.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeKeyCommand,
  GetPublicKeyCommand,
  InvalidKeyUsageException,
  KMSClient,
  KMSInvalidSignatureException,
  NotFoundException,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { AUDIT_DIGEST_KEY_ALIAS, KMS_KEY_FILE } from '../../local/kms/kms-endpoint';
import { localClient, startTestTwin } from '../support/test-twin';

type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-kms-'));
let twin: TestTwin;
let kms: KMSClient;
let publicKey: KeyObject;

const connect = (t: TestTwin) => new KMSClient({ ...localClient(t.endpoints.kms), maxAttempts: 1 });
const text = (s: string) => new TextEncoder().encode(s);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

beforeAll(async () => {
  twin = await startTestTwin({ dataDir });
  kms = connect(twin);
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS }));
  publicKey = createPublicKey({ key: Buffer.from(out.PublicKey!), format: 'der', type: 'spki' });
});
afterAll(async () => {
  kms.destroy();
  await twin.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

it('describes the one ECC_NIST_P256 signing key, by key id, key ARN, alias and alias ARN', async () => {
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS }));
  expect(KeyMetadata).toMatchObject({
    KeyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    Arn: expect.stringMatching(/^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/),
    KeySpec: 'ECC_NIST_P256',
    KeyUsage: 'SIGN_VERIFY',
    KeyState: 'Enabled',
    SigningAlgorithms: ['ECDSA_SHA_256'],
  });
  expect(KeyMetadata!.CreationDate).toBeInstanceOf(Date);
  const aliasArn = KeyMetadata!.Arn!.replace(/key\/.*$/, AUDIT_DIGEST_KEY_ALIAS);
  for (const KeyId of [KeyMetadata!.KeyId!, KeyMetadata!.Arn!, aliasArn]) {
    const key = await kms.send(new GetPublicKeyCommand({ KeyId }));
    expect(key).toMatchObject({
      KeyId: KeyMetadata!.Arn,
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
    });
  }
  // The key file is private to its owner, like the rest of the data folder.
  expect(statSync(twin.data.path(KMS_KEY_FILE)).mode & 0o777).toBe(0o600);
});

it('signs a RAW message (hashed by KMS) and the DER signature verifies offline with node:crypto and the public key alone', async () => {
  const message = text('2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 3f1a…');
  const { Signature, SigningAlgorithm, KeyId } = await kms.send(
    new SignCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }),
  );
  expect(SigningAlgorithm).toBe('ECDSA_SHA_256');
  expect(KeyId).toMatch(/^arn:aws:kms:/);
  // DER: SEQUENCE { INTEGER r, INTEGER s }.
  expect(Signature![0]).toBe(0x30);
  expect(verify('sha256', message, publicKey, Buffer.from(Signature!))).toBe(true);
  expect(verify('sha256', text('a different message'), publicKey, Buffer.from(Signature!))).toBe(false);
  // KMS agrees, for the message and for its digest ("a message and its hash digest are the same message").
  await expect(
    kms.send(new VerifyCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' })),
  ).resolves.toMatchObject({ SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' });
  await expect(
    kms.send(
      new VerifyCommand({
        KeyId: AUDIT_DIGEST_KEY_ALIAS,
        Message: sha256(message),
        MessageType: 'DIGEST',
        Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    ),
  ).resolves.toMatchObject({ SignatureValid: true });
});

it('signs a 32-byte DIGEST without hashing it again: node:crypto verifies it against the original message', async () => {
  const message = text('a digest body longer than KMS would take raw? no — any body, hashed by the caller');
  const { Signature } = await kms.send(
    new SignCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS, Message: sha256(message), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
  );
  expect(verify('sha256', message, publicKey, Buffer.from(Signature!))).toBe(true);
  await expect(
    kms.send(
      new VerifyCommand({
        KeyId: AUDIT_DIGEST_KEY_ALIAS,
        Message: message,
        MessageType: 'RAW',
        Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    ),
  ).resolves.toMatchObject({ SignatureValid: true });
});

it("answers with KMS's errors: unknown key, wrong algorithm, wrong digest length, oversized message, bad signature", async () => {
  const sign = (input: Partial<ConstructorParameters<typeof SignCommand>[0]>) =>
    kms.send(new SignCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS, Message: text('m'), SigningAlgorithm: 'ECDSA_SHA_256', ...input }));
  for (const KeyId of [
    'alias/no-such-alias',
    '11111111-2222-3333-4444-555555555555',
    'arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555',
    'not-a-key',
  ])
    await expect(sign({ KeyId })).rejects.toMatchObject({ name: NotFoundException.name, $metadata: { httpStatusCode: 400 } });
  // An algorithm of KMS's list that an ECC_NIST_P256 key cannot use, and one that is not on the list.
  await expect(sign({ SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).rejects.toBeInstanceOf(InvalidKeyUsageException);
  await expect(sign({ SigningAlgorithm: 'ECDSA_SHA_384' })).rejects.toBeInstanceOf(InvalidKeyUsageException);
  await expect(sign({ SigningAlgorithm: 'ECDSA_SHA256' as 'ECDSA_SHA_256' })).rejects.toMatchObject({ name: 'ValidationException' });
  // DIGEST must be exactly the 32 bytes of a SHA-256; RAW at most 4096 bytes, and not empty.
  await expect(sign({ MessageType: 'DIGEST', Message: new Uint8Array(20) })).rejects.toMatchObject({
    name: 'ValidationException',
    message: 'Digest is invalid length for algorithm ECDSA_SHA_256.',
  });
  await expect(sign({ MessageType: 'DIGEST', Message: new Uint8Array(48) })).rejects.toMatchObject({ name: 'ValidationException' });
  await expect(sign({ Message: new Uint8Array(4097) })).rejects.toMatchObject({ name: 'ValidationException' });
  await expect(sign({ Message: new Uint8Array(4096) })).resolves.toMatchObject({ SigningAlgorithm: 'ECDSA_SHA_256' });
  await expect(sign({ Message: new Uint8Array(0) })).rejects.toMatchObject({ name: 'ValidationException' });

  // Verify never answers SignatureValid: false; it throws KMSInvalidSignatureException.
  const { Signature } = await sign({ Message: text('signed') });
  const verifyOf = (Message: Uint8Array, sig: Uint8Array) =>
    kms.send(new VerifyCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS, Message, Signature: sig, SigningAlgorithm: 'ECDSA_SHA_256' }));
  await expect(verifyOf(text('tampered'), Signature!)).rejects.toBeInstanceOf(KMSInvalidSignatureException);
  const flipped = Uint8Array.from(Signature!);
  flipped[flipped.length - 1]! ^= 1;
  await expect(verifyOf(text('signed'), flipped)).rejects.toBeInstanceOf(KMSInvalidSignatureException);
  await expect(verifyOf(text('signed'), text('not DER at all'))).rejects.toBeInstanceOf(KMSInvalidSignatureException);
  await expect(
    kms.send(new VerifyCommand({ KeyId: 'alias/nope', Message: text('signed'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' })),
  ).rejects.toBeInstanceOf(NotFoundException);
});

it('keeps the same key when the twin restarts on the same data folder: old signatures still verify', async () => {
  const message = text('signed before the restart');
  const { Signature } = await kms.send(
    new SignCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
  );
  const before = await kms.send(new GetPublicKeyCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS }));
  kms.destroy();
  await twin.stop();

  twin = await startTestTwin({ dataDir });
  kms = connect(twin);
  const after = await kms.send(new GetPublicKeyCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS }));
  expect(after.KeyId).toBe(before.KeyId);
  expect(Buffer.from(after.PublicKey!).equals(Buffer.from(before.PublicKey!))).toBe(true);
  await expect(
    kms.send(new VerifyCommand({ KeyId: AUDIT_DIGEST_KEY_ALIAS, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' })),
  ).resolves.toMatchObject({ SignatureValid: true });
});
