/**
 * `npm run bench:hash-bound`: resets per second if only the password hashing of a reset were done —
 * the ceiling `bench:calls` is measured against. At 1, 2, 4 and 8 concurrent hashes
 * (libuv's thread pool has 4 threads by default; the machine has 2 cores).
 */
import { cpus } from 'node:os';
import { hashesPerSecond } from './hash-ceiling';
import { report, type Row } from './benchmark-report';

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const concurrency of [1, 2, 4, 8]) {
    const { perSecond, hashes } = await hashesPerSecond({ seconds: 3, concurrency });
    rows.push({
      'concurrent hashes': concurrency,
      hashes,
      'hashes/s (= resets/s ceiling)': Number(perSecond.toFixed(1)),
      'ms per hash': Number(((1000 * concurrency) / perSecond).toFixed(1)),
    });
  }
  report('Hash-bound ceiling: scrypt only', 'npm run bench:hash-bound', rows, [
    `scrypt N=16384, r=8, p=1, 32-byte key (lambdas/domain/password-hash.ts); ${cpus().length} cores, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
    'the ceiling for bench:calls is the best row: a reset cannot go faster than its one deliberate hash',
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
