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
