/** Secrets the product needs, declared once: CDK creates them in Secrets Manager, the twin in its own. */
export const CODE_PEPPER_SECRET_NAME = 'support-desk/code-pepper';
/**
 * The key pair a flow's Store customer input is encrypted with (Connect InputEncryption): JSON
 * `{ "keyId": "...", "privateKey": "-----BEGIN PRIVATE KEY-----..." }`, read by `verify-code`. In AWS the
 * operator creates it (its ARN is `codeInputEncryption.keySecretArn`); the twin generates one.
 */
export const CODE_INPUT_KEY_SECRET_NAME = 'support-desk/code-input-key';
