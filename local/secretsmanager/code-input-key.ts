/**
 * The twin's stand-in for the security key an operator uploads to a Connect instance for encrypted
 * stored input: an RSA key pair and a certificate signed by it (selfsigned: Node can parse certificates
 * but not make them), generated once per data folder and kept in the twin's Secrets Manager under
 * CODE_INPUT_KEY_SECRET_NAME, where `verify-code` reads the private half as it does in AWS.
 */
import selfsigned from 'selfsigned';
import { CODE_INPUT_KEY_SECRET_NAME } from '../../catalogue/secret-catalogue';
import type { SecretStore } from './secrets-manager-endpoint';

export interface TwinCodeInputKey {
  keyId: string;
  privateKey: string;
  publicKey: string;
  certificate: string;
}

export const TWIN_CODE_INPUT_KEY_ID = 'twin-code-input-key';

export function ensureCodeInputKey(secrets: SecretStore): TwinCodeInputKey {
  if (!secrets.has(CODE_INPUT_KEY_SECRET_NAME)) {
    const pems = selfsigned.generate([{ name: 'commonName', value: 'support-desk-twin' }], {
      keySize: 2048,
      days: 3650,
      algorithm: 'sha256',
    });
    const key: TwinCodeInputKey = {
      keyId: TWIN_CODE_INPUT_KEY_ID,
      privateKey: pems.private,
      publicKey: pems.public,
      certificate: pems.cert,
    };
    secrets.create(CODE_INPUT_KEY_SECRET_NAME, JSON.stringify(key));
  }
  return JSON.parse(secrets.get(CODE_INPUT_KEY_SECRET_NAME).value) as TwinCodeInputKey;
}
