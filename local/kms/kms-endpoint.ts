/**
 * The twin's KMS: AWS JSON 1.1 (`X-Amz-Target: TrentService.*`) with Sign, Verify, GetPublicKey and
 * DescribeKey over ONE asymmetric signing key per data folder — ECC_NIST_P256, SIGN_VERIFY,
 * ECDSA_SHA_256 — the key that signs the audit digests (alias `alias/support-desk-audit-digest`).
 * Written by hand: no npm package emulates KMS (local-kms and LocalStack are separate Go/Python
 * programs), and these four operations over one key are a few dozen lines. KMS's own errors are
 * modelled for what a caller can get wrong: an unknown key, an algorithm the key does not support, a
 * digest of the wrong length, a message over 4096 bytes, a signature that does not verify. Every other
 * KMS operation is UnknownOperationException: the twin refuses rather than pretends.
 * The key pair is made with node:crypto on the first start and kept in the data folder
 * (`kms-signing-key.json`, PKCS#8 PEM, mode 0600), so a restart keeps the key and old signatures verify.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { AwsServiceError } from '../http/aws-service-error';
import { createAwsJsonServer } from '../http/aws-json-protocol-server';
import { lambdaRoleCheck, type LambdaRoles } from '../lambda/lambda-roles';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';
import { type Affine, jwkNumber, P256_DIGEST_BYTES, signDigest, verifyDigest } from './ecdsa-p256-digest';

/** The alias the audit digests are signed under (the deployed stack creates the same alias). */
export const AUDIT_DIGEST_KEY_ALIAS = 'alias/support-desk-audit-digest';
/** The key file's name in the data folder. */
export const KMS_KEY_FILE = 'kms-signing-key.json';

export const KMS_KEY_SPEC = 'ECC_NIST_P256';
export const KMS_SIGNING_ALGORITHM = 'ECDSA_SHA_256';

// The SigningAlgorithmSpec enum: any other value is a ValidationException, a value of it the key
// cannot use is an InvalidKeyUsageException
// (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html#API_Sign_Errors).
const SIGNING_ALGORITHM_SPECS = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256',
];
const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'];
// "Messages can be 0-4096 bytes" in the prose, but the model's PlaintextType is 1..4096 and KMS answers
// an empty Message with a ValidationException (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html).
const MAX_RAW_MESSAGE_BYTES = 4096;
const MAX_SIGNATURE_BYTES = 6144;

export type MessageType = 'RAW' | 'DIGEST';

interface StoredKey {
  keyId: string;
  createdDate: string;
  /** PKCS#8 PEM of the P-256 private key. */
  privateKeyPem: string;
}

/** The one signing key of a data folder, created on first use and kept in `file`. */
export class KmsSigningKey {
  readonly keyId: string;
  readonly arn: string;
  readonly createdDate: Date;
  /** DER SubjectPublicKeyInfo, what GetPublicKey returns. */
  readonly publicKeyDer: Buffer;
  private readonly privateKey: KeyObject;
  private readonly scalar: bigint;
  private readonly point: Affine;

  private constructor(stored: StoredKey) {
    this.keyId = stored.keyId;
    this.arn = `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${stored.keyId}`;
    this.createdDate = new Date(stored.createdDate);
    this.privateKey = createPrivateKey(stored.privateKeyPem);
    const jwk = this.privateKey.export({ format: 'jwk' });
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new Error('the twin KMS key must be a P-256 key');
    this.publicKeyDer = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' });
    this.scalar = jwkNumber(jwk.d);
    this.point = { x: jwkNumber(jwk.x), y: jwkNumber(jwk.y) };
  }

  /**
   * The key kept in `file`, or a new one written there (mode 0600). A file that cannot be read as a
   * key stops the twin: making a new key would silently orphan every signature made with the old one.
   */
  static open(file: string, now: () => number = Date.now): KmsSigningKey {
    if (existsSync(file)) {
      let stored: StoredKey;
      try {
        stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
        return new KmsSigningKey(stored);
      } catch (error) {
        throw new Error(`${file} is not a readable KMS key (${(error as Error).message}); move it away to make a new key`);
      }
    }
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const stored: StoredKey = {
      keyId: randomUUID(),
      createdDate: new Date(now()).toISOString(),
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    return new KmsSigningKey(stored);
  }

  get aliasArn(): string {
    return `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${AUDIT_DIGEST_KEY_ALIAS}`;
  }

  /**
   * Accepts the key as KMS does: key id, key ARN, alias name or alias ARN
   * (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html#KMS-Sign-request-KeyId);
   * anything else is NotFoundException.
   */
  resolve(keyId: string): void {
    if ([this.keyId, this.arn, AUDIT_DIGEST_KEY_ALIAS, this.aliasArn].includes(keyId)) return;
    const aliasArn = /^arn:aws:kms:[^:]*:\d{12}:(alias\/.+)$/.exec(keyId);
    if (keyId.startsWith('alias/') || aliasArn)
      throw new AwsServiceError(
        'NotFoundException',
        `Alias arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${aliasArn?.[1] ?? keyId} is not found.`,
      );
    const keyArn = /^arn:aws:kms:[^:]*:\d{12}:key\/(.+)$/.exec(keyId);
    const id = keyArn?.[1] ?? keyId;
    if (keyArn || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      throw new AwsServiceError('NotFoundException', `Key 'arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${id}' does not exist`);
    throw new AwsServiceError('NotFoundException', `Invalid keyId '${keyId}'`);
  }

  /** A DER ECDSA signature of the message (RAW: KMS hashes it with SHA-256) or of the digest (DIGEST). */
  sign(message: Buffer, messageType: MessageType): Buffer {
    return messageType === 'RAW' ? sign('sha256', message, this.privateKey) : signDigest(message, this.scalar);
  }

  verify(message: Buffer, messageType: MessageType, signature: Buffer): boolean {
    // A message and its SHA-256 digest are the same message to Verify
    // (https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html#KMS-Verify-request-Message).
    const digest = messageType === 'RAW' ? createHash('sha256').update(message).digest() : message;
    return verifyDigest(digest, this.point, signature);
  }
}

/** IAM for the handlers' calls: kms:Sign of a DIGEST with ECDSA_SHA_256, for the digest writer only (lambdas/function-role.ts). */
const callsOf = (key: KmsSigningKey) => (operation: string, input: Record<string, unknown>) => [
  operation === 'Sign'
    ? {
        request: {
          action: 'kms:Sign' as const,
          signingAlgorithm: String(input.SigningAlgorithm ?? ''),
          // KMS's default MessageType is RAW (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html).
          messageType: String(input.MessageType ?? 'RAW'),
        },
        resource: key.arn,
      }
    : { request: { action: `kms:${operation}`, other: true as const }, resource: key.arn },
];

export function createKmsServer(key: KmsSigningKey, options: { roles?: LambdaRoles } = {}): Server {
  const validation = (detail: string) => new AwsServiceError('ValidationException', `1 validation error detected: ${detail}`);
  const required = (input: Record<string, unknown>, member: string, field: string): unknown => {
    const value = input[member];
    if (value === undefined || value === null)
      throw validation(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    return value;
  };
  const keyIdOf = (input: Record<string, unknown>): string => {
    const keyId = required(input, 'KeyId', 'keyId');
    if (typeof keyId !== 'string') throw new AwsServiceError('SerializationException', 'KeyId must be a string');
    if (keyId.length < 1 || keyId.length > 2048)
      throw validation("Value at 'keyId' failed to satisfy constraint: Member must have length between 1 and 2048");
    return keyId;
  };
  const blob = (input: Record<string, unknown>, member: string, field: string, max: number): Buffer => {
    const value = required(input, member, field);
    // Blobs are base64 in AWS JSON; anything else does not deserialize.
    if (typeof value !== 'string' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
      throw new AwsServiceError('SerializationException', `${member} is not valid base64`);
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length < 1)
      throw validation(`Value at '${field}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    if (bytes.length > max)
      throw validation(`Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    return bytes;
  };
  const algorithmOf = (input: Record<string, unknown>): string => {
    const value = required(input, 'SigningAlgorithm', 'signingAlgorithm');
    if (typeof value !== 'string' || !SIGNING_ALGORITHM_SPECS.includes(value))
      throw validation(
        `Value '${String(value)}' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [${SIGNING_ALGORITHM_SPECS.join(', ')}]`,
      );
    return value;
  };
  const messageTypeOf = (input: Record<string, unknown>): string => {
    const type = input.MessageType ?? 'RAW';
    if (typeof type !== 'string' || !MESSAGE_TYPES.includes(type))
      throw validation(
        `Value '${String(type)}' at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [${MESSAGE_TYPES.join(', ')}]`,
      );
    return type;
  };
  /**
   * A Sign or Verify request, checked in KMS's order: the request's shape (ValidationException), then
   * the key (NotFoundException), then what the key can do (InvalidKeyUsageException).
   */
  const signingRequest = (input: Record<string, unknown>, withSignature: boolean) => {
    const keyId = keyIdOf(input);
    const message = blob(input, 'Message', 'message', MAX_RAW_MESSAGE_BYTES);
    const type = messageTypeOf(input);
    const signature = withSignature ? blob(input, 'Signature', 'signature', MAX_SIGNATURE_BYTES) : undefined;
    const algorithm = algorithmOf(input);
    key.resolve(keyId);
    // "The encryption algorithm or signing algorithm specified for the operation is incompatible with
    // the type of key material in the KMS key (KeySpec)."
    // (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html#API_Sign_Errors)
    if (algorithm !== KMS_SIGNING_ALGORITHM)
      throw new AwsServiceError(
        'InvalidKeyUsageException',
        `Signing algorithm ${algorithm} is not compatible with key spec ${KMS_KEY_SPEC}. Use ${KMS_SIGNING_ALGORITHM}.`,
      );
    if (type === 'EXTERNAL_MU')
      throw new AwsServiceError('ValidationException', 'EXTERNAL_MU message type is only valid for ML_DSA key specs.');
    // "When the value of MessageType is DIGEST, the length of the Message value must match the length
    // of hashed messages for the specified signing algorithm."
    // (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html#KMS-Sign-request-MessageType)
    if (type === 'DIGEST' && message.length !== P256_DIGEST_BYTES)
      throw new AwsServiceError('ValidationException', `Digest is invalid length for algorithm ${KMS_SIGNING_ALGORITHM}.`);
    if (input.DryRun === true)
      throw new AwsServiceError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.', 412);
    return { message, type: type as MessageType, signature: signature ?? Buffer.alloc(0) };
  };
  const keyOf = (input: Record<string, unknown>): void => key.resolve(keyIdOf(input));

  return createAwsJsonServer({
    targetPrefix: 'TrentService',
    contentType: 'application/x-amz-json-1.1',
    ...(options.roles ? { authorize: lambdaRoleCheck(options.roles, callsOf(key)) } : {}),
    operations: {
      // https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html: the signature of an
      // ECDSA_SHA_256 key is "a DER-encoded object as defined by ANSI X9.62–2005 and RFC 3279 Section 2.2.3".
      Sign: (input) => {
        const { message, type } = signingRequest(input, false);
        return { KeyId: key.arn, Signature: key.sign(message, type).toString('base64'), SigningAlgorithm: KMS_SIGNING_ALGORITHM };
      },
      // https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html: "If the signature
      // verification fails, the Verify operation fails with an KMSInvalidSignatureException exception" —
      // SignatureValid is never false.
      Verify: (input) => {
        const { message, type, signature } = signingRequest(input, true);
        if (!key.verify(message, type, signature)) throw new AwsServiceError('KMSInvalidSignatureException', '');
        return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: KMS_SIGNING_ALGORITHM };
      },
      // https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html: "a DER-encoded X.509
      // public key, also known as SubjectPublicKeyInfo (SPKI), as defined in RFC 5280".
      GetPublicKey: (input) => {
        keyOf(input);
        return {
          KeyId: key.arn,
          PublicKey: key.publicKeyDer.toString('base64'),
          CustomerMasterKeySpec: KMS_KEY_SPEC,
          KeySpec: KMS_KEY_SPEC,
          KeyUsage: 'SIGN_VERIFY',
          SigningAlgorithms: [KMS_SIGNING_ALGORITHM],
        };
      },
      // https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html (the members a
      // caller checks; no multi-Region, custom key store or rotation details).
      DescribeKey: (input) => {
        keyOf(input);
        return {
          KeyMetadata: {
            AWSAccountId: LOCAL_ACCOUNT,
            KeyId: key.keyId,
            Arn: key.arn,
            CreationDate: key.createdDate,
            Enabled: true,
            Description: 'Signs the audit digests (local twin)',
            KeyUsage: 'SIGN_VERIFY',
            KeyState: 'Enabled',
            Origin: 'AWS_KMS',
            KeyManager: 'CUSTOMER',
            CustomerMasterKeySpec: KMS_KEY_SPEC,
            KeySpec: KMS_KEY_SPEC,
            SigningAlgorithms: [KMS_SIGNING_ALGORITHM],
            MultiRegion: false,
          },
        };
      },
    },
  });
}
