/**
 * `GET /api/threads`: which of the twin's threads runs what, by the system's id for each thread — dynalite's worker
 * and each function's execution environment — so that `bench:calls` can read each one's CPU from /proc and say where a
 * reset's CPU goes (#21). Empty where the system has no /proc.
 */
import type { ApiRouter } from './api-router';

/** How the API names dynalite's thread, and a function's (`Lambda <name>`). */
export const DYNALITE_THREAD = 'DynamoDB (dynalite)';
export const FUNCTION_THREAD_PREFIX = 'Lambda ';

export interface NamedThreads {
  /** dynalite's worker thread. */
  dynamodb(): number | undefined;
  /** The execution environments running now. */
  functions(): Array<{ functionName: string; osThreadId: number }>;
}

export function registerThreadsApi(router: ApiRouter, threads: NamedThreads): void {
  router.on('GET', '/api/threads', () => {
    const dynalite = threads.dynamodb();
    return {
      body: {
        pid: process.pid,
        threads: [
          ...(dynalite === undefined ? [] : [{ name: DYNALITE_THREAD, osThreadId: dynalite }]),
          ...threads.functions().map(({ functionName, osThreadId }) => ({ name: `${FUNCTION_THREAD_PREFIX}${functionName}`, osThreadId })),
        ],
      },
    };
  });
}
