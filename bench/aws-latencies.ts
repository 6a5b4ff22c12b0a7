/**
 * Per-call latencies on AWS, in-region, for the on-paper turn estimate of bench:cost (issue #21). Dated,
 * and sourced where AWS publishes a figure; where it does not, the figure is an assumption and says so
 * (replace each assumption with a measurement from a deployed stage).
 */
export const LATENCIES_AS_OF = '2026-11-26';

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly basis: string;
}

export const LATENCIES = {
  /** Each Task state: the integration's call (DynamoDB, EventBridge, a Lambda's invoke) plus the state's own overhead. */
  workflowTask: {
    p50: 8,
    p99: 25,
    basis:
      'DynamoDB: "consistent single-digit millisecond" (https://aws.amazon.com/dynamodb/); the Express state overhead is not published: assumed a few ms',
  },
  stepFunctionsStartSync: {
    p50: 25,
    p99: 80,
    basis: 'assumption: the synchronous Express start and its answer (AWS publishes no figure)',
  },
  lambdaInvoke: {
    p50: 15,
    p99: 40,
    basis: 'assumption: a warm synchronous invoke from Connect or Lex, beside the function\u2019s own duration',
  },
  lambdaColdStart: {
    p50: 250,
    p99: 600,
    basis:
      'bench:cold-start measures init over an empty Node (≈ 60–100 ms); the runtime sandbox adds to it: assumed 250 ms in all (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html)',
  },
  lexRecognition: {
    p50: 300,
    p99: 800,
    basis: 'assumption: recognizing a short utterance or DTMF after the caller stops (end-of-speech timeouts excluded)',
  },
} as const satisfies Record<string, Latency>;
