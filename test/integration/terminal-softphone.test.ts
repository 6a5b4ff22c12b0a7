/**
 * `npm run call` driven by a script through a pseudo-terminal (util-linux `script` allocates it):
 * a full reset by keypad, with the code read from the texts to Alex's mobile inside the client.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startTestTwin } from '../support/test-twin';
import { describeNeeding } from '../support/system-programs';

const ROOT = resolve(__dirname, '../..');
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;

describeNeeding('script')('the terminal softphone', () => {
  beforeAll(async () => {
    twin = await startTestTwin();
  });
  afterAll(() => twin.cleanup());

  it('resets a password from the terminal softphone', async () => {
    const child = spawn('script', ['-qfec', 'npm run --silent call -- --from +15555552222 --locale en-US', '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, HELPDESK_URL: twin.url, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const waitFor = async (pattern: RegExp, from: number): Promise<RegExpExecArray> => {
      for (let i = 0; i < 200; i += 1) {
        const match = pattern.exec(output.slice(from));
        if (match) return match;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${pattern}; output:\n${output}`);
    };
    const type = async (line: string, expect: RegExp) => {
      const from = output.length;
      child.stdin.write(`${line}\n`);
      return waitFor(expect, from);
    };

    await waitFor(/To reset your password/, 0);
    await type('reset my password', /seven-digit employee ID/);
    await type('1234567#', /I heard 1234567/);
    await type('yes', /by text or by email/);
    await type('1', /we just sent a six-digit code/);
    // The code is e-mailed after the answer: the caller looks until it is there.
    await twin.settle();
    const mail = await type('/inbox +15559011234', /Support Desk code: (\d{6})/);
    const readout = await type(`${mail[1]}#`, /To hear your password again/);
    expect(readout).toBeTruthy();
    expect(output).toMatch(/Your temporary password is [A-Za-z0-9 ]+/);
    await type('2', /call ended: DISCONNECTED/);
    child.stdin.write('/quit\n');
    expect(await exited).toBe(0);
  }, 60_000);
});
