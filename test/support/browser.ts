/**
 * The Chromium the browser tests drive with playwright-core: `CHROMIUM_PATH` if set, else Debian's
 * `/usr/bin/chromium` when it is installed, else the Chromium that ships inside the npm package
 * `@sparticuz/chromium` (unpacked to the temporary folder on first launch), so `npm test` needs no
 * system browser.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumSource {
  kind: 'environment' | 'debian' | 'npm';
  path?: string;
  note: string;
}

export function chromiumSource(): ChromiumSource {
  const fromEnvironment = process.env.CHROMIUM_PATH;
  if (fromEnvironment) return { kind: 'environment', path: fromEnvironment, note: `CHROMIUM_PATH=${fromEnvironment}` };
  if (existsSync(DEBIAN_CHROMIUM)) return { kind: 'debian', path: DEBIAN_CHROMIUM, note: DEBIAN_CHROMIUM };
  return {
    kind: 'npm',
    note: `${DEBIAN_CHROMIUM} is not installed, so the browser tests use @sparticuz/chromium from npm (for Debian's: sudo apt-get install -y chromium)`,
  };
}

/** Unpacks @sparticuz/chromium and returns its binary. The package is ESM-only, so a child Node loads it (Jest runs CommonJS). */
async function npmChromium(): Promise<string> {
  const script = "import chromium from '@sparticuz/chromium'; process.stdout.write(await chromium.executablePath());";
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: __dirname });
  return stdout.trim();
}

export async function launchChromium(): Promise<Browser> {
  const source = chromiumSource();
  const executablePath = source.path ?? (await npmChromium());
  return chromium.launch({
    executablePath,
    headless: true,
    // Without the background-networking flags Chromium keeps dialling Google's hosts, which this closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
