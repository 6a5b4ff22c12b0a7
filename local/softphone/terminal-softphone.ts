/**
 * `npm run call`: a softphone in the terminal against the running twin (HELPDESK_URL, default
 * http://127.0.0.1:3000). Type words to speak, digits (optionally ending in #, or * and #) to key.
 * Commands: /inbox [mobile or address] shows the latest text or email (the verification code), /hangup, /call, /quit.
 *   npm run call -- --from +15555550100 --locale es-US
 */
import { createInterface } from 'node:readline';
import type { CallSnapshot } from '../connect/call-snapshot';
import { Phone } from './phone';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const base = (process.env.HELPDESK_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const from = option('from') ?? '+15555550100';
const locale = option('locale');

/** A GET of the twin's API (its health, the inboxes), or an error with the twin's reason. */
async function get<T>(phone: Phone, path: string): Promise<T> {
  const res = await phone.raw<T & { error?: string }>('GET', path);
  if (res.status !== 200) throw new Error(res.body.error ?? `HTTP ${res.status}`);
  return res.body;
}

function show(snapshot: CallSnapshot): void {
  for (const p of snapshot.prompts) console.log(`  ☎  ${p.text}`);
  if (snapshot.ended)
    console.log(
      `  — call ended: ${snapshot.disposition ?? ''}${snapshot.queue ? ` (queue ${snapshot.queue})` : ''}. /call to call again, /quit to leave.`,
    );
  else console.log(`  [waiting for ${snapshot.awaiting === 'dtmf' ? 'keypad' : 'speech or keypad'}]`);
}

async function main(): Promise<void> {
  let phone = new Phone(base);
  try {
    await get(phone, '/api/health');
  } catch {
    console.error(`The twin is not answering at ${base}. Start it with: npm start`);
    process.exit(1);
  }
  const dial = async () => {
    // A new call, a new phone: what the last one heard is not this call's.
    phone = new Phone(base);
    const snapshot = await phone.dial(from, locale);
    console.log(`Calling the Support Desk from ${from} (contact ${snapshot.contactId})`);
    show(snapshot);
  };
  await dial();

  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY, prompt: 'you> ' });
  rl.prompt();
  // Lines are handled one at a time, in order, even when piped in faster than the twin answers.
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      const said = line.trim();
      try {
        if (said === '/quit') {
          if (phone.contactId && !phone.last?.ended) await phone.hangUp().catch(() => undefined);
          rl.close();
          return;
        }
        if (said === '/call') await dial();
        else if (said === '/hangup') show(await phone.hangUp());
        else if (said.startsWith('/inbox')) {
          const address = said.split(/\s+/)[1] ?? '';
          if (/^\+[0-9]+$/.test(address)) {
            // A mobile: the newest text the twin sent it.
            const { messages } = await get<{ messages: Array<{ to: string; body: string; at: string }> }>(
              phone,
              `/api/sms?to=${encodeURIComponent(address)}`,
            );
            const latest = messages[0];
            console.log(latest ? `  ✆  ${latest.at} to ${latest.to}: ${latest.body}` : '  ✆  (no text)');
          } else {
            const { messages } = await get<{ messages: Array<{ to: string[]; subject: string; text: string; at: string }> }>(
              phone,
              `/api/mail?to=${encodeURIComponent(address)}`,
            );
            const latest = messages[0];
            console.log(
              latest
                ? `  ✉  ${latest.at} to ${latest.to.join(', ')}: ${latest.subject}\n${latest.text.replace(/^/gm, '     ')}`
                : '  ✉  (no mail)',
            );
          }
        } else if (/^[0-9*#]+$/.test(said)) show(await phone.key(said));
        else show(await phone.say(said));
      } catch (error) {
        console.log(`  ! ${(error as Error).message}`);
      }
      rl.prompt();
    });
  });
  rl.on('close', () => {
    void queue.then(() => process.exit(0));
  });
}

void main();
