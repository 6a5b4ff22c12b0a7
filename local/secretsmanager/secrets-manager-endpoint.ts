/**
 * The twin's Secrets Manager: AWS JSON 1.1 (`X-Amz-Target: secretsmanager.*`) with CreateSecret,
 * GetSecretValue, PutSecretValue and DescribeSecret — what Powertools Parameters and the launcher use.
 * Secrets persist in the data folder (`secrets.json`, mode 0600) so a restart keeps the code pepper.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { AwsServiceError } from '../http/aws-service-error';
import { createAwsJsonServer } from '../http/aws-json-protocol-server';
import { lambdaRoleCheck, type LambdaRoles } from '../lambda/lambda-roles';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';

interface StoredSecret {
  arn: string;
  name: string;
  value: string;
  versionId: string;
  createdDate: string;
}

export class SecretStore {
  private readonly secrets: Record<string, StoredSecret>;

  constructor(private readonly file: string) {
    this.secrets = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredSecret>) : {};
  }

  create(name: string, value: string): StoredSecret {
    if (this.secrets[name])
      throw new AwsServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    const suffix = randomBytes(3).toString('hex');
    const secret = {
      arn: `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}-${suffix}`,
      name,
      value,
      versionId: randomUUID(),
      createdDate: new Date().toISOString(),
    };
    this.secrets[name] = secret;
    this.save();
    return secret;
  }

  put(id: string, value: string): StoredSecret {
    const secret = this.get(id);
    Object.assign(secret, { value, versionId: randomUUID() });
    this.save();
    return secret;
  }

  get(id: string): StoredSecret {
    const secret = this.secrets[id] ?? Object.values(this.secrets).find((s) => s.arn === id);
    if (!secret) throw new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  }

  has(name: string): boolean {
    return Boolean(this.secrets[name]);
  }

  /** Creates the secret with a random value unless it exists (first start of a data folder). */
  ensureRandom(name: string, bytes = 48): void {
    if (!this.has(name)) this.create(name, randomBytes(bytes).toString('base64'));
  }

  private save(): void {
    writeFileSync(this.file, JSON.stringify(this.secrets, null, 2), { mode: 0o600 });
  }
}

/** A SecretId as a name: an ARN's name is what follows `secret:`, less the six characters Secrets Manager appends. */
const secretName = (id: string) => (id.startsWith('arn:') ? (id.split(':secret:')[1]?.replace(/-[A-Za-z0-9]{6}$/, '') ?? id) : id);

/** IAM for the handlers' calls: read (GetSecretValue, DescribeSecret) the secrets a function is granted (lambdas/function-role.ts). */
const callsOf = (operation: string, input: Record<string, unknown>) => {
  const id = typeof input.SecretId === 'string' ? input.SecretId : '*';
  const resource = id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${id}`;
  return [
    operation === 'GetSecretValue' || operation === 'DescribeSecret'
      ? { request: { action: `secretsmanager:${operation}` as const, secret: secretName(id) }, resource }
      : { request: { action: `secretsmanager:${operation}`, other: true as const }, resource },
  ];
};

export function createSecretsManagerServer(store: SecretStore, options: { roles?: LambdaRoles } = {}): Server {
  const text = (value: unknown, field: string) => {
    if (typeof value !== 'string' || value === '') throw new AwsServiceError('InvalidParameterException', `${field} is required`);
    return value;
  };
  return createAwsJsonServer({
    targetPrefix: 'secretsmanager',
    contentType: 'application/x-amz-json-1.1',
    ...(options.roles ? { authorize: lambdaRoleCheck(options.roles, callsOf) } : {}),
    operations: {
      CreateSecret: (input) => {
        const s = store.create(text(input.Name, 'Name'), text(input.SecretString, 'SecretString'));
        return { ARN: s.arn, Name: s.name, VersionId: s.versionId };
      },
      PutSecretValue: (input) => {
        const s = store.put(text(input.SecretId, 'SecretId'), text(input.SecretString, 'SecretString'));
        return { ARN: s.arn, Name: s.name, VersionId: s.versionId, VersionStages: ['AWSCURRENT'] };
      },
      GetSecretValue: (input) => {
        const s = store.get(text(input.SecretId, 'SecretId'));
        return {
          ARN: s.arn,
          Name: s.name,
          VersionId: s.versionId,
          SecretString: s.value,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: new Date(s.createdDate),
        };
      },
      DescribeSecret: (input) => {
        const s = store.get(text(input.SecretId, 'SecretId'));
        return { ARN: s.arn, Name: s.name, CreatedDate: new Date(s.createdDate), VersionIdsToStages: { [s.versionId]: ['AWSCURRENT'] } };
      },
    },
  });
}
