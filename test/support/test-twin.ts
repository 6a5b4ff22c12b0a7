/**
 * Starts a twin for a test file in a fresh temporary data folder, on free ports.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTwin, type Twin, type TwinOptions } from '../../local/twin';
import { RETAINED_FILES, type RetainedFile } from '../../local/retention/data-folder';

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

/** The records of one of the twin's retained JSON-lines files, flushed first; a corrupt line fails the test. */
export async function retainedRecords<T = any>(twin: Pick<Twin, 'data'>, file: RetainedFile): Promise<T[]> {
  await twin.data.flush();
  return readFileSync(twin.data.path(RETAINED_FILES[file]), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
