/**
 * Decrypting what a flow's Store customer input block encrypted (Connect `InputEncryption`): an AWS
 * Encryption SDK message whose data key is wrapped with the public key of the instance's security key
 * (https://docs.aws.amazon.com/connect/latest/adminguide/encrypt-data.html). Connect names the wrapping
 * key "AmazonConnect" / <key id>, pads with RSA-OAEP SHA-512, and uses a suite without key commitment, so
 * decryption must allow those (FORBID_ENCRYPT_ALLOW_DECRYPT): the parameters an AWS Encryption SDK
 * maintainer confirmed against a real Connect payload (github.com/aws/aws-encryption-sdk-javascript/issues/373).
 */
// The decrypt client and the raw RSA keyring only: @aws-crypto/client-node would also bring the KMS
// keyring, the branch key store and their SDK clients into the bundle (issue #21, cold start).
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { CommitmentPolicy } from '@aws-crypto/material-management-node';
import { RawRsaKeyringNode } from '@aws-crypto/raw-rsa-keyring-node';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigurationError } from '../configuration/configuration-error';

export const STORED_INPUT_KEY_NAMESPACE = 'AmazonConnect';
export const STORED_INPUT_OAEP_HASH = 'sha512';

const { decrypt } = buildDecrypt(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);

export interface CodeInputKey {
  keyId: string;
  privateKey: string;
}

/** The key pair's private half and id, from Secrets Manager (cached five minutes). */
export async function codeInputKey(secretId: string): Promise<CodeInputKey> {
  const raw = await getSecret(secretId, { maxAge: 300 });
  const parsed = typeof raw === 'string' ? (JSON.parse(raw) as Partial<CodeInputKey>) : undefined;
  if (!parsed?.keyId || !parsed.privateKey?.includes('PRIVATE KEY'))
    throw new ConfigurationError(`secret ${secretId} must hold {"keyId", "privateKey"}`);
  return { keyId: parsed.keyId, privateKey: parsed.privateKey };
}

/** The plain input, or throws if it was not encrypted with this key. */
export async function decryptStoredInput(ciphertextBase64: string, key: CodeInputKey): Promise<string> {
  const keyring = new RawRsaKeyringNode({
    keyName: key.keyId,
    keyNamespace: STORED_INPUT_KEY_NAMESPACE,
    rsaKey: { privateKey: key.privateKey },
    oaepHash: STORED_INPUT_OAEP_HASH,
  });
  const { plaintext } = await decrypt(keyring, ciphertextBase64, { encoding: 'base64' });
  return plaintext.toString('utf8');
}
