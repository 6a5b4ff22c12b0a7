/**
 * What Connect does with a Store customer input block's `InputEncryption`, for the twin: the input is
 * encrypted with the AWS Encryption SDK under the certificate's public key, the wrapping key named
 * "AmazonConnect" / EncryptionKeyId with RSA-OAEP SHA-512 and a suite without key commitment (what
 * `lambdas/aws/stored-input-decryption.ts` decrypts, as AWS documents it). The certificate must be signed
 * by one of the instance's security keys, as Connect checks
 * (https://docs.aws.amazon.com/connect/latest/adminguide/encrypt-data.html); otherwise the twin refuses.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { buildEncrypt, CommitmentPolicy, RawRsaKeyringNode } from '@aws-crypto/client-node';
import { STORED_INPUT_KEY_NAMESPACE, STORED_INPUT_OAEP_HASH } from '../../lambdas/aws/stored-input-decryption';

const { encrypt } = buildEncrypt(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);

export class StoredInputEncryptionError extends Error {}

/** Base64 of the Encryption SDK message, as `$.StoredCustomerInput` then holds it. */
export async function encryptStoredInput(
  plain: string,
  encryption: { EncryptionKeyId?: unknown; Key?: unknown },
  securityKeys: readonly string[],
): Promise<string> {
  if (typeof encryption.EncryptionKeyId !== 'string' || typeof encryption.Key !== 'string')
    throw new StoredInputEncryptionError('InputEncryption needs EncryptionKeyId and Key');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(encryption.Key);
  } catch {
    throw new StoredInputEncryptionError('InputEncryption Key is not an X.509 certificate');
  }
  if (!securityKeys.some((pem) => certificate.verify(createPublicKey(pem))))
    throw new StoredInputEncryptionError("the certificate is not signed by any of the instance's security keys");
  const keyring = new RawRsaKeyringNode({
    keyName: encryption.EncryptionKeyId,
    keyNamespace: STORED_INPUT_KEY_NAMESPACE,
    rsaKey: { publicKey: certificate.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    oaepHash: STORED_INPUT_OAEP_HASH,
  });
  const { result } = await encrypt(keyring, plain);
  return result.toString('base64');
}
