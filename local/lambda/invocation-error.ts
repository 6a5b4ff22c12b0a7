/** How a failed invocation reads to its caller, as Lambda reports it: the error's type and message, never its stack. */
export interface InvocationError {
  errorType: string;
  errorMessage: string;
}

/** What anything thrown reads as (a thrown non-Error is an Error of its text). */
export function invocationErrorOf(thrown: unknown): InvocationError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  return { errorType: error.name || 'Error', errorMessage: error.message };
}
