/**
 * The machine's ceiling for resets: a reset's deliberate work is one scrypt hash of the temporary
 * password (the directory write). Hashes per second, at the concurrency Node's thread pool allows,
 * is the most resets per second this machine could do.
 */
import { hashPassword } from '../lambdas/domain/password-hash';
import { generateTemporaryPassword } from '../lambdas/domain/temporary-password';

export async function hashesPerSecond(options: { seconds: number; concurrency: number }): Promise<{ perSecond: number; hashes: number }> {
  let hashes = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        await hashPassword(generateTemporaryPassword());
        hashes += 1;
      }
    }),
  );
  return { perSecond: hashes / ((performance.now() - started) / 1000), hashes };
}
