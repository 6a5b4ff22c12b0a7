/**
 * Published on-demand prices, US East (N. Virginia), for what a reset uses (issue #21, bench:cost).
 * Dated: prices change; re-check each source before relying on a figure. Each price is the first
 * (highest) tier: a help desk's volume stays in it.
 */
export const PRICES_AS_OF = '2026-11-26';

export interface Price {
  /** US dollars per unit. */
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  readonly note?: string;
}

export const PRICES = {
  stepFunctionsExpressRequest: {
    usd: 1.0 / 1e6,
    unit: 'Express workflow request',
    source: 'https://aws.amazon.com/step-functions/pricing/',
  },
  stepFunctionsExpressGbSecond: {
    usd: 0.00001667,
    unit: 'Express GB-second (duration rounded up to 100 ms, memory in 64 MB chunks)',
    source: 'https://aws.amazon.com/step-functions/pricing/',
  },
  lambdaRequest: { usd: 0.2 / 1e6, unit: 'Lambda request', source: 'https://aws.amazon.com/lambda/pricing/' },
  lambdaGbSecondArm: {
    usd: 0.0000133334,
    unit: 'Lambda GB-second, arm64 (the functions are arm64)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  dynamoDbWriteRequestUnit: {
    usd: 0.625 / 1e6,
    unit: 'DynamoDB on-demand write request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: 'after the November 2024 on-demand price reduction',
  },
  dynamoDbReadRequestUnit: {
    usd: 0.125 / 1e6,
    unit: 'DynamoDB on-demand read request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  sesEmail: { usd: 0.1 / 1000, unit: 'SES outbound e-mail', source: 'https://aws.amazon.com/ses/pricing/' },
  smsUnitedStates: {
    usd: 0.00581 + 0.00302,
    unit: 'End User Messaging SMS message part to a US number (base price + carrier fee)',
    source: 'https://aws.amazon.com/end-user-messaging/pricing/',
    note: '10DLC: base $0.00581 plus the carriers\u2019 pass-through fee, taken at its highest ($0.00302); toll-free differs slightly',
  },
  eventBridgeEvent: {
    usd: 1.0 / 1e6,
    unit: 'EventBridge custom event (64 KB chunk)',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  secretsManagerCall: { usd: 0.05 / 10_000, unit: 'Secrets Manager API call', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  kmsRequest: { usd: 0.03 / 10_000, unit: 'KMS request', source: 'https://aws.amazon.com/kms/pricing/' },
  logsIngestedGb: { usd: 0.5, unit: 'CloudWatch Logs GB ingested (standard)', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  connectVoiceMinute: {
    usd: 0.018,
    unit: 'Amazon Connect inbound voice service minute',
    source: 'https://aws.amazon.com/connect/pricing/',
  },
  connectDidInboundMinute: {
    usd: 0.0022,
    unit: 'Amazon Connect US DID inbound telephony minute',
    source: 'https://aws.amazon.com/connect/pricing/',
    note: 'a toll-free number costs more per minute',
  },
  lexSpeechRequest: { usd: 0.004, unit: 'Lex V2 speech request', source: 'https://aws.amazon.com/lex/pricing/' },
} as const satisfies Record<string, Price>;
