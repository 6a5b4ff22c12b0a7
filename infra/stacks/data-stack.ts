/**
 * Data: the tables of the one table catalogue and the code pepper. Stateful tables are retained,
 * deletion-protected and point-in-time recoverable; every table is on-demand and encrypted.
 * And what vouches for the audit table from outside it: the digest key (asymmetric KMS, signing only),
 * the digest bucket (Object Lock, compliance mode), and a read-only verifier role.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountRootPrincipal, AnyPrincipal, Effect, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLES, type KeyAttribute, type TableId } from '../../catalogue/table-catalogue';
import { CODE_PEPPER_SECRET_NAME } from '../../catalogue/secret-catalogue';
import type { DeploymentConfig } from '../deployment-config';
import { acknowledge, AUDIT_DIGEST_BUCKET_ACCESS_LOGS, auditDigestObjectsAcknowledgement } from '../nag-suppressions';

/**
 * What no one may do to an append-only table's items, whatever their IAM grants: an explicit Deny in the
 * table's resource policy wins (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html).
 * PutItem stays possible for the writers; the workflows' conditional put is what keeps it from
 * overwriting (cfn-asl-iam row 10), and the hash chain shows any record changed anyway.
 */
export const APPEND_ONLY_DENIED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLInsert',
];

/** Named from account, region and stage (S3 names are global), so other stacks spell its ARNs without an import. */
export function auditDigestBucketName(stack: Stack, stage: string): string {
  return `support-desk-audit-digests-${stack.account}-${stack.region}-${stage}`;
}

/** The digests in the bucket: `digests/<day>/<time>.json`, so only a prefix can name them. */
export function auditDigestObjectsArn(stack: Stack, stage: string): string {
  return `arn:${stack.partition}:s3:::${auditDigestBucketName(stack, stage)}/digests/*`;
}

const key = (k: KeyAttribute): Attribute => ({ name: k.name, type: k.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING });

export class DataStack extends Stack {
  readonly tables = new Map<TableId, TableV2>();
  readonly codePepper: Secret;
  readonly auditDigestKey: Key;
  readonly auditDigestBucket: Bucket;
  readonly auditVerifierRole: Role;

  constructor(scope: Construct, id: string, props: StackProps & { config: DeploymentConfig }) {
    super(scope, id, props);
    for (const t of TABLES) {
      const tableName = `${t.tableName}-${props.config.stage}`;
      // The ARN spelled from the name: a table's policy cannot reference the table itself (a cycle).
      const tableArn = this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName });
      const table = new TableV2(this, `${t.id}Table`, {
        tableName,
        ...(t.appendOnly && {
          resourcePolicy: new PolicyDocument({
            statements: [
              new PolicyStatement({
                sid: 'AppendOnly',
                effect: Effect.DENY,
                principals: [new AnyPrincipal()],
                actions: APPEND_ONLY_DENIED_ACTIONS,
                resources: [tableArn],
                // Break-glass, when configured, is the one role left able to correct a record (and the digests show it did).
                ...(props.config.auditBreakGlassRoleArn && {
                  conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.config.auditBreakGlassRoleArn } },
                }),
              }),
            ],
          }),
        }),
        partitionKey: key(t.partitionKey),
        ...(t.sortKey ? { sortKey: key(t.sortKey) } : {}),
        billing: Billing.onDemand(),
        encryption: TableEncryptionV2.awsManagedKey(),
        ...(t.timeToLiveAttribute ? { timeToLiveAttribute: t.timeToLiveAttribute } : {}),
        ...(t.stream ? { dynamoStream: t.stream === 'NEW_IMAGE' ? StreamViewType.NEW_IMAGE : StreamViewType.NEW_AND_OLD_IMAGES } : {}),
        globalSecondaryIndexes: t.globalSecondaryIndexes?.map((g) => ({
          indexName: g.indexName,
          partitionKey: key(g.partitionKey),
          ...(g.sortKey ? { sortKey: key(g.sortKey) } : {}),
        })),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: t.stateful,
        removalPolicy: t.stateful ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      this.tables.set(t.id, table);
    }
    // Generated by Secrets Manager: the value is never in the template or an environment variable.
    this.codePepper = new Secret(this, 'CodePepper', {
      secretName: `${CODE_PEPPER_SECRET_NAME}-${props.config.stage}`,
      description: 'Pepper keying the HMACs of phone verification codes',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const stage = props.config.stage;
    // Signs digests only: an ECC key cannot encrypt, and only the digest writer is granted kms:Sign.
    this.auditDigestKey = new Key(this, 'AuditDigestKey', {
      alias: `support-desk-audit-digest-${stage}`,
      description: 'Signs the audit digests (the heads of the audit chains)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Compliance mode: no one, the root user included, can delete or overwrite a locked version before its date
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html). Object Lock needs versioning.
    this.auditDigestBucket = new Bucket(this, 'AuditDigestBucket', {
      bucketName: auditDigestBucketName(this, stage),
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.config.auditDigestRetentionDays)),
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.auditDigestBucket, [AUDIT_DIGEST_BUCKET_ACCESS_LOGS]);
    const auditTableName = `${TABLES.find((t) => t.id === 'Audit')!.tableName}-${stage}`;
    // The security team's verifier: reads the trail, the digests and the public key; writes nothing.
    this.auditVerifierRole = new Role(this, 'AuditVerifierRole', {
      roleName: `support-desk-audit-verifier-${stage}`,
      description: 'npm run audit -- --verify --aws: read-only',
      assumedBy: new AccountRootPrincipal(),
    });
    const audit = this.table('Audit');
    this.auditVerifierRole.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [
          audit.tableArn,
          this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: `${auditTableName}/index/by-day` }),
        ],
      }),
    );
    this.auditVerifierRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket', 's3:ListBucketVersions'], resources: [this.auditDigestBucket.bucketArn] }),
    );
    this.auditVerifierRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [auditDigestObjectsArn(this, stage)] }),
    );
    acknowledge(this.auditVerifierRole, [auditDigestObjectsAcknowledgement(stage)]);
    this.auditVerifierRole.addToPolicy(new PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [this.auditDigestKey.keyArn] }));
    this.auditVerifierRole.addToPolicy(new PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [this.stackId] }));
    new CfnOutput(this, 'AuditDigestBucketName', { value: this.auditDigestBucket.bucketName });
    new CfnOutput(this, 'AuditDigestKeyArn', { value: this.auditDigestKey.keyArn });
    new CfnOutput(this, 'AuditVerifierRoleArn', { value: this.auditVerifierRole.roleArn });
  }

  table(id: TableId): TableV2 {
    return this.tables.get(id)!;
  }
}
