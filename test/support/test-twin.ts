/**
 * Starts a twin for a test file in a fresh temporary data folder, on free ports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTwin, type Twin, type TwinOptions } from '../../local/twin';

export async function startTestTwin(options: Partial<TwinOptions> = {}): Promise<Twin & { cleanup(): Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'support-desk-test-'));
  const twin = await startTwin({ port: 0, delivery: { baseDelayMs: 10 }, ...options, dataDir });
  return Object.assign(twin, {
    cleanup: async () => {
      await twin.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export const localClient = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
