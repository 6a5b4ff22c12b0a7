/**
 * cdk-nag AwsSolutions findings this design accepts (CDK's Validations.acknowledge), each with its
 * reason and as narrow a scope as the finding allows. Everything else must pass.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  id: string;
  reason: string;
}

export function acknowledge(scope: IConstruct, acknowledgements: readonly Acknowledgement[]): void {
  for (const a of acknowledgements) Validations.of(scope).acknowledge(a);
}

const BASIC_EXECUTION_ROLE: Acknowledgement = {
  id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  reason:
    "AWSLambdaBasicExecutionRole is the AWS-managed minimum for a function to write its own log group (CDK's custom-resource function uses it too).",
};

/** Functions and state machines: X-Ray and Step Functions log delivery accept only "*" as resource. */
export const WORKFLOWS_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  BASIC_EXECUTION_ROLE,
  {
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'xray:PutTraceSegments/PutTelemetryRecords and the logs:*LogDelivery actions Step Functions needs support no resource-level permissions: AWS requires "*".',
  },
  {
    id: 'AwsSolutions::AwsSolutions-L1',
    reason:
      'Functions run on nodejs22.x, the platform standard the local twin is tested against; moving to a newer runtime is a deliberate, tested change.',
  },
];

/** Only when the directory is LDAP: the password-setting function runs in the directory's VPC. */
export const VPC_FUNCTION_ACKNOWLEDGEMENT: Acknowledgement = {
  id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
  reason:
    'AWSLambdaVPCAccessExecutionRole is the AWS-managed minimum for a function to attach to the VPC where the LDAP directory is reachable.',
};

/** grantInvoke covers a function's versions and aliases (`<arn>:*`), which a state machine may call. */
export function invokeVersionsAcknowledgement(functionLogicalIds: readonly string[]): Acknowledgement[] {
  return functionLogicalIds.map((id) => ({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${id}.Arn>:*]`,
    reason: 'Invocation of this one function, any version or alias (the form grantInvoke produces).',
  }));
}

/** On each EventBridge target's dead-letter queue. */
export const DEAD_LETTER_QUEUE_ACKNOWLEDGEMENT: Acknowledgement = {
  id: 'AwsSolutions::AwsSolutions-SQS3',
  reason: 'This queue is itself the dead-letter queue of an EventBridge rule target; its depth is alarmed.',
};

export const DATA_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  {
    id: 'AwsSolutions::AwsSolutions-SMG4',
    reason:
      'The code pepper keys the HMACs of codes in flight (10-minute lifetime); it is rotated by a planned procedure, not on a schedule that would void live sessions.',
  },
];

export const CONTACT_CENTER_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  BASIC_EXECUTION_ROLE,
  {
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: 'polly:SynthesizeSpeech (the Lex bots\' voices) supports no resource-level permissions: AWS requires "*".',
  },
];

/** On the audit digest bucket. */
export const AUDIT_DIGEST_BUCKET_ACCESS_LOGS: Acknowledgement = {
  id: 'AwsSolutions::AwsSolutions-S1',
  reason:
    'The digests prove themselves (signed, chained, Object Lock in compliance mode): an access log would record reads, and the verifier already names any delete marker or second version.',
};

/** Digest objects are named by time under one prefix: only the prefix can be granted. */
export function auditDigestObjectsAcknowledgement(stage: string): Acknowledgement {
  return {
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::support-desk-audit-digests-<AWS::AccountId>-<AWS::Region>-${stage}/digests/*]`,
    reason: 'The digests are objects named by their time under digests/ in the digest bucket; nothing else is in that prefix.',
  };
}

/**
 * The agent API function reads the contacts of the Connect instance and finds the calling agent's user:
 * contacts and users are named by IDs known only when an agent calls, so only the instance's
 * `contact/*` and `agent/*` can be granted (the instance ARN comes from the configuration, verbatim).
 */
export function connectContactsAcknowledgements(instanceArn: string): Acknowledgement[] {
  return [
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${instanceArn}/contact/*]`,
      reason:
        'DescribeContact, GetContactAttributes and UpdateContactAttributes on the contacts of the one configured Connect instance; a contact ID is known only when an agent calls, and the function acts only on a contact connected to that agent.',
    },
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${instanceArn}/agent/*]`,
      reason:
        "SearchUsers (an exact Username condition) among the users of the one configured Connect instance, to find the calling agent's user.",
    },
  ];
}

/**
 * The agent desk stack: the agent API, its invoke policy, and the Agent Workspace app's hosting
 * (`assetsBucket` and `restApi` are the logical ids of the app's bucket and of the API).
 */
export function agentDeskAcknowledgements(ids: { assetsBucket: string; restApi: string }): Acknowledgement[] {
  const bucketDeployment = "CDK's BucketDeployment custom resource, which copies the built app into its bucket at deploy time";
  return [
    { ...BASIC_EXECUTION_ROLE, reason: `${bucketDeployment}: ${BASIC_EXECUTION_ROLE.reason}` },
    { id: 'AwsSolutions::AwsSolutions-L1', reason: `${bucketDeployment}: its runtime is the one CDK chooses and tests.` },
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
      id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
      reason: `${bucketDeployment}: CDK's read grant on the staging assets bucket and read/write grant on the app's bucket only.`,
    })),
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      reason: `${bucketDeployment}: it reads the app's zip from the bootstrap assets bucket.`,
    },
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${ids.assetsBucket}.Arn>/*]`,
      reason: `${bucketDeployment}: the objects of the app's own bucket, nothing else.`,
    },
    ...['GET/contacts/*', 'POST/contacts/*/verification', 'POST/contacts/*/verification/code', 'POST/contacts/*/readout'].map((method) => ({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${ids.restApi}>/v1/${method}]`,
      reason:
        'AgentApiInvoke: one method of the agent API; `*` is the contact ID path segment, known only during a call (the function refuses any contact not connected to the caller).',
    })),
    {
      id: 'AwsSolutions::AwsSolutions-COG4',
      reason:
        "The agent API is IAM-authorized (SigV4 with the agents' federated role, whose session name is the Connect username the function checks): no Cognito user pool holds the agents.",
    },
    {
      id: 'AwsSolutions::AwsSolutions-APIG6',
      reason:
        'Execution logging needs the account-wide API Gateway CloudWatch role (one per account and region, shared with every other API); the stage writes JSON access logs with the caller of every request to its own log group, and the function logs each outcome.',
    },
    {
      id: 'AwsSolutions::AwsSolutions-APIG3',
      reason:
        "Every method needs SigV4 with the agents' role and the stage is throttled; WAF rules would add nothing for IAM-authorized requests.",
    },
    {
      id: 'AwsSolutions::AwsSolutions-CFR1',
      reason: 'Agents may work from any country; the app serves static files, and its API needs IAM credentials.',
    },
    {
      id: 'AwsSolutions::AwsSolutions-CFR2',
      reason:
        "A WAF web ACL for CloudFront must live in us-east-1, outside this regional stack; the app is static and only the Connect instance may frame it (CSP), and the API behind it needs SigV4 with the agents' role.",
    },
    {
      id: 'AwsSolutions::AwsSolutions-CFR4',
      reason:
        "The distribution uses CloudFront's default certificate (no custom domain is configured), for which CloudFront fixes the viewer security policy; viewers are HTTPS only. A custom domain with its own certificate would set TLSv1.2_2021.",
    },
  ];
}
