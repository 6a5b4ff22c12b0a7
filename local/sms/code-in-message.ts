/**
 * The one-time code a text or an e-mail carries (six digits on their own), for the twin's readers of its
 * message stores: the test cases' `{{code:…}}` hook, the benchmarks, the tests. Never used by the product.
 */
const CODE = /\b(\d{6})\b/;

export function codeIn(message: string | undefined): string | undefined {
  return CODE.exec(message ?? '')?.[1];
}
