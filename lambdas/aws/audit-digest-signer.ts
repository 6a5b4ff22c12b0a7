/**
 * Signs audit digests with the asymmetric KMS key kept for them (ECC_NIST_P256, SIGN_VERIFY): KMS signs
 * the SHA-256 of the body (MessageType DIGEST, https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html),
 * so any verifier with the public key (GetPublicKey) can check it offline.
 */
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { DIGEST_SIGNING_ALGORITHM, digestHash, type SignedDigest } from '../domain/audit-digest';

export class AuditDigestSigner {
  constructor(
    private readonly keyId: string,
    private readonly kms: KMSClient = new KMSClient({ maxAttempts: 3 }),
  ) {}

  async sign(body: string): Promise<SignedDigest> {
    const out = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: Buffer.from(digestHash(body), 'hex'),
        MessageType: 'DIGEST',
        SigningAlgorithm: DIGEST_SIGNING_ALGORITHM,
      }),
    );
    if (!out.Signature) throw new Error('KMS returned no signature');
    return {
      body,
      signature: Buffer.from(out.Signature).toString('base64'),
      signingAlgorithm: DIGEST_SIGNING_ALGORITHM,
      keyId: out.KeyId ?? this.keyId,
    };
  }
}

/** The public key (DER SubjectPublicKeyInfo) a verifier checks digests with; needs only kms:GetPublicKey. */
export async function digestPublicKey(keyId: string, kms: KMSClient = new KMSClient({ maxAttempts: 3 })): Promise<Uint8Array> {
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!out.PublicKey) throw new Error(`KMS returned no public key for ${keyId}`);
  return out.PublicKey;
}
