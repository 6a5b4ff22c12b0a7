/**
 * The web console in a real browser (Chromium driven by playwright-core; test/support/browser.ts says which): a whole password
 * reset using only the console, then the reset in the audit view and its executions in the workflows
 * view; the password only ever on the call view; no serious or critical axe-core violation on any
 * view, at 1280×800 and at 390 px; a text sent through the twin's SMS endpoint in the inbox view; the agent
 * view listing a waiting call with its context and never the code that call was sent, a caller's tab
 * hanging up while waiting in the queue, and two tabs — a caller and an agent — through a failed IVR, the
 * agent's verification and reset, and the readout heard in the caller's tab only. Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { localClient, startTestTwin } from '../support/test-twin';
import { launchChromium } from '../support/browser';
import { Phone } from '../../local/softphone/phone';
import { WorkflowDriver } from '../support/workflow-driver';
import { DEMO_EMPLOYEES } from '../../local/seed/demo-employees';
import { twinAgentArn } from '../../local/connect/agent-desk';

jest.setTimeout(120_000);
const ARTIFACTS = resolve(__dirname, '../../test-artifacts');
const VIEWS = ['call', 'inbox', 'audit', 'workflows', 'records', 'agent'] as const;
type TestTwin = Awaited<ReturnType<typeof startTestTwin>>;
let twin: TestTwin;
let browser: Browser;
let password = '';

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  twin = await startTestTwin();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await twin?.cleanup();
});

/** What each view fetches when it opens: a view is shown once that answer has arrived and been rendered. */
const OPENING_REQUEST: Record<(typeof VIEWS)[number], string | undefined> = {
  call: undefined,
  inbox: '/api/mail',
  audit: '/api/audit',
  workflows: '/api/executions',
  records: '/api/contact-records',
  agent: '/api/agent/contacts',
};

/** Opens a view and waits for its first data to be on screen (no fixed sleep). */
async function open(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
  const path = OPENING_REQUEST[view];
  const answered = path ? page.waitForResponse((r) => new URL(r.url()).pathname === path) : Promise.resolve();
  await page.goto(`${twin.url}/#/${view}`);
  await answered;
  // Two frames: the answer's rendering is committed.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

async function key(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.click(`.key[data-key="${d}"]`);
}

async function heard(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('#transcript li.system').filter({ hasText: text }).last().waitFor({ timeout: 10_000 });
}

it('completes a password reset using only the console, and finds it in the audit and workflows views', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const call = await context.newPage();
  await call.goto(`${twin.url}/#/call`);
  await call.getByRole('button', { name: 'Dial' }).click();
  await heard(call, 'For English, press 1');
  await key(call, '1');
  await call.click('#send-keys');
  await heard(call, 'To reset your password');
  await key(call, '1');
  await call.click('#send-keys');
  await heard(call, 'seven-digit employee ID');
  await key(call, '1234567#');
  await heard(call, 'I heard 1234567');
  await key(call, '1');
  await call.click('#send-keys');
  await heard(call, 'by text or by email');
  await key(call, '1');
  await call.click('#send-keys');
  await heard(call, 'we just sent a six-digit code');
  await call.screenshot({ path: join(ARTIFACTS, 'console-call-code-sent.png'), fullPage: true });

  // Alex has a mobile: the code comes as a text, shown in the inbox view beside the mail.
  const inbox = await context.newPage();
  await inbox.goto(`${twin.url}/#/inbox`);
  const texted = inbox
    .getByRole('table', { name: /Text messages/ })
    .locator('tr', { hasText: '+15559011234' })
    .filter({ hasText: 'Support Desk code' })
    .first();
  const text = await texted.textContent({ timeout: 10_000 });
  const code = /Support Desk code: (\d{6})\./.exec(text ?? '')![1]!;
  await inbox.screenshot({ path: join(ARTIFACTS, 'console-inbox.png'), fullPage: true });

  await call.bringToFront();
  await key(call, `${code}#`);
  await heard(call, 'Your temporary password is');
  const groups = await call.locator('.readout').last().locator('.group').allTextContents();
  password = groups.join('');
  expect(groups.length).toBeGreaterThanOrEqual(3);
  expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
  const readout = await call.locator('.readout').last().textContent();
  expect(readout).toMatch(/(capital|lowercase) [A-Za-z] as in [A-Z]/);
  await call.screenshot({ path: join(ARTIFACTS, 'console-call-readout.png'), fullPage: true });
  const login = await (
    await fetch(`${twin.url}/api/directory/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ employeeId: '1234567', password }),
    })
  ).json();
  expect(login).toEqual({ ok: true, mustChangePassword: true });
  await key(call, '2');
  await call.click('#send-keys');
  await heard(call, 'Your password has been reset');
  await expect(call.locator('#call-status').textContent()).resolves.toContain('Call ended');

  const audit = await context.newPage();
  await audit.goto(`${twin.url}/#/audit`);
  await audit.fill('#audit-employee', '1234567');
  await audit.getByRole('button', { name: 'Search' }).click();
  await audit.locator('#audit-table td[data-column="outcome"]', { hasText: 'RESET' }).first().waitFor();
  await audit.getByRole('button', { name: 'Write a digest now' }).click();
  await audit.locator('#digest-status', { hasText: 'chain head(s)' }).waitFor();
  await audit.getByRole('button', { name: 'Verify the trail' }).click();
  await audit.locator('#chain-result', { hasText: 'Trail intact' }).waitFor();
  await expect(audit.locator('#chain-result').textContent()).resolves.toContain('1 digest(s) verified');
  await audit.screenshot({ path: join(ARTIFACTS, 'console-audit.png'), fullPage: true });

  const workflows = await context.newPage();
  await workflows.goto(`${twin.url}/#/workflows`);
  const verifyRow = workflows.locator('#executions tr', { hasText: 'password-reset-verify' }).filter({ hasText: 'SUCCEEDED' }).first();
  await verifyRow.waitFor();
  await expect(workflows.locator('#executions tr', { hasText: 'password-reset-start' }).count()).resolves.toBeGreaterThanOrEqual(1);
  await verifyRow.getByRole('button', { name: 'Timeline' }).click();
  await workflows.locator('#timeline li', { hasText: 'SetTemporaryPassword' }).waitFor();
  await expect(workflows.locator('[data-metric="PasswordReset"]').textContent()).resolves.toBe('1');
  await workflows.screenshot({ path: join(ARTIFACTS, 'console-workflows.png'), fullPage: true });

  const records = await context.newPage();
  await records.goto(`${twin.url}/#/records`);
  await records.locator('#records button.link').first().click();
  await records.locator('#record-detail pre.json', { hasText: 'CONTACT_FLOW_DISCONNECT' }).waitFor();
  await records.screenshot({ path: join(ARTIFACTS, 'console-records.png'), fullPage: true });
  await context.close();
});

it('shows a text sent through the SMS endpoint in the inbox view, beside the mail', async () => {
  const sms = new PinpointSMSVoiceV2Client({ ...localClient(twin.endpoints.sms), maxAttempts: 1 });
  const { MessageId } = await sms
    .send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: '+15555550123',
        OriginationIdentity: '+18005550199',
        MessageBody: 'Support Desk: a text for the console',
        MessageType: 'TRANSACTIONAL',
      }),
    )
    .finally(() => sms.destroy());
  const page = await browser.newPage();
  await page.goto(`${twin.url}/#/inbox`);
  const row = page.getByRole('table', { name: /Text messages/ }).locator(`tr[data-message-id="${MessageId}"]`);
  await row.waitFor();
  await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([
    expect.any(String),
    '+15555550123',
    '+18005550199',
    'Support Desk: a text for the console',
  ]);
  await expect(page.getByRole('heading', { name: 'Text messages' }).count()).resolves.toBe(1);
  await page.close();
});

it('the agent view shows a waiting call with its context, refreshed, and never the code that call was sent', async () => {
  // Priya fails verification three times: a code was issued, and the call goes to the queue locked.
  const priya = DEMO_EMPLOYEES.find((e) => e.employeeId === '5678901')!;
  const driver = new WorkflowDriver(twin);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Every answer the agent tab receives is searched too, not only what it renders.
  const answers: Array<Promise<string>> = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) answers.push(r.text().catch(() => ''));
  });
  try {
    await open(page, 'agent');
    await page.locator('#agent-status', { hasText: 'No calls waiting.' }).waitFor();

    const p = new Phone(twin.url);
    await p.dial('+15555550142', 'en-US');
    await p.key('1');
    await p.key(`${priya.employeeId}#`);
    await p.key('1');
    await p.key('1');
    const code = await driver.latestCode(priya);
    const wrong = code === '111111' ? '222222' : '111111';
    await p.key(`${wrong}#`);
    await p.key(`${wrong}#`);
    expect(await p.key(`${wrong}#`)).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'WAITING' });
    const codes = driver.texts(priya.mobile!).map((t) => /(\d{6})/.exec(t.body)![1]!);
    expect(codes).toContain(code);

    // No reload: the view's own refresh brings the call in.
    const row = page.locator(`#agent-queue tr[data-contact-id="${p.contactId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(page.locator('#agent-status').textContent()).resolves.toBe('1 call waiting.');
    const cell = (column: string) => row.locator(`td[data-column="${column}"]`);
    await expect(cell('employee').textContent()).resolves.toBe('5678901');
    await expect(cell('verification').getAttribute('data-state')).resolves.toBe('LOCKED');
    await expect(cell('verification').textContent()).resolves.toBe('Locked after too many wrong codes');
    await expect(cell('reason').textContent()).resolves.toBe('Verification locked');
    await expect(cell('language').textContent()).resolves.toBe('English (en-US)');
    await expect(cell('number').textContent()).resolves.toBe('+*******0142');
    await expect(cell('queue').textContent()).resolves.toBe('PasswordReset');
    await expect(cell('waiting').textContent()).resolves.toMatch(/^\d+ s$/);
    await expect(page.getByRole('table', { name: 'Calls waiting for an agent, longest-waiting first' }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'console-agent.png'), fullPage: true });

    // Two more refreshes, then search the DOM, the text and every answer for any code sent to Priya or keyed.
    const seen = answers.length;
    await page.waitForResponse((r) => new URL(r.url()).pathname === '/api/agent/contacts' && answers.length > seen + 1, {
      timeout: 10_000,
    });
    const content = `${await page.content()}${await page.locator('body').textContent()}`;
    const bodies = await Promise.all(answers);
    expect(bodies.some((b) => b.includes(p.contactId))).toBe(true);
    for (const secret of [...codes, wrong]) {
      expect([secret, content.includes(secret)]).toEqual([secret, false]);
      expect([secret, bodies.filter((b) => b.includes(secret))]).toEqual([secret, []]);
    }
  } finally {
    driver.close();
    await page.close();
  }
});

it("a caller's tab can hang up while waiting for an agent, and the agent's tab sees the call leave", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const call = await context.newPage();
  const agent = await context.newPage();
  await call.goto(`${twin.url}/#/call`);
  await call.selectOption('#language', 'en-US');
  await call.getByRole('button', { name: 'Dial' }).click();
  await heard(call, 'To reset your password');
  await key(call, '0');
  await call.click('#send-keys');
  await call.locator('#call-status', { hasText: 'Transferred to queue PasswordReset — waiting for an agent' }).waitFor();
  const contactId = await call.evaluate('sessionStorage.getItem("support-desk.contactId")');
  expect(contactId).toEqual(expect.any(String));
  await expect(call.locator('#send-keys').isDisabled()).resolves.toBe(true);

  await agent.goto(`${twin.url}/#/agent`);
  const row = agent.locator(`#agent-queue tr[data-contact-id="${String(contactId)}"]`);
  await row.waitFor();
  await expect(row.locator('td[data-column="reason"]').textContent()).resolves.toBe('Asked for an agent');
  await expect(row.locator('td[data-column="employee"]').textContent()).resolves.toBe('Not confirmed');

  await call.bringToFront();
  await call.getByRole('button', { name: 'Hang up' }).click();
  await call.locator('#call-status', { hasText: 'Left queue PasswordReset — call ended' }).waitFor();
  await expect(call.getByRole('button', { name: 'Hang up' }).isDisabled()).resolves.toBe(true);
  await row.waitFor({ state: 'detached', timeout: 10_000 });
  await context.close();
});

it('the agent accepts a waiting caller and verifies by code: Accept, Verify caller, a wrong code, the right one, Verified, End; no code left on the page or in any answer', async () => {
  // Maria confirms her ID and takes the code by text, then says nothing until she is transferred.
  const maria = DEMO_EMPLOYEES.find((e) => e.employeeId === '2345678')!;
  const driver = new WorkflowDriver(twin);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const answers: Array<Promise<string>> = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) answers.push(r.text().catch(() => ''));
  });
  const p = new Phone(twin.url);
  try {
    await p.dial('+15555550177', 'en-US');
    await p.key('1');
    await p.key(`${maria.employeeId}#`);
    await p.key('1');
    await p.key('1');
    const ivrCode = await driver.latestCode(maria);
    let last = await p.key('');
    while (!last.ended) last = await p.key('');
    expect(last).toMatchObject({ disposition: 'TRANSFERRED', queueState: 'WAITING' });

    await open(page, 'agent');
    await expect(page.getByLabel('Agent ID').inputValue()).resolves.toBe('agent-local');
    await page.getByLabel('Agent ID').fill('agent-browser');
    const row = page.locator(`#agent-queue tr[data-contact-id="${p.contactId}"]`);
    await row.waitFor({ timeout: 10_000 });
    // Waiting, the call is nobody's: Accept first, then Verify caller (on this agent's call only).
    await expect(row.getByRole('button', { name: 'Verify caller' }).count()).resolves.toBe(0);
    await row.getByRole('button', { name: 'Accept' }).click();
    await row.getByRole('button', { name: 'End', exact: true }).waitFor();
    await expect(row.locator('td[data-column="call"]').getAttribute('data-state')).resolves.toBe('CONNECTED');
    await expect(p.details()).resolves.toMatchObject({ queueState: 'CONNECTED' });
    const result = row.locator('[data-role="verify-result"]');
    await row.getByRole('button', { name: 'Verify caller' }).click();
    await result.filter({ hasText: "Code sent to the employee's registered device" }).waitFor();
    const code = await driver.latestCode(maria);
    const wrong = code === '111111' ? '222222' : '111111';

    const field = row.getByLabel('Code the caller reads out');
    await expect(field.getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(field.getAttribute('autocomplete')).resolves.toBe('off');
    await field.fill(wrong);
    await row.getByRole('button', { name: 'Check code' }).click();
    await result.filter({ hasText: 'Wrong code, 2 attempts left' }).waitFor();
    await expect(field.inputValue()).resolves.toBe('');
    await field.fill(code);
    await row.getByRole('button', { name: 'Check code' }).click();
    await result.filter({ hasText: 'Verified' }).waitFor();
    await expect(field.inputValue()).resolves.toBe('');
    await page.screenshot({ path: join(ARTIFACTS, 'console-agent-verified.png'), fullPage: true });

    // Audited as the agent typed in the view, as the IAM principal the agent API Lambda ran for (the twin's role session).
    const records = (await driver.audit(maria.employeeId)).filter((r) => r.contactId === p.contactId && r.actor === 'agent');
    expect(records.map((r) => [r.step, r.outcome, r.agentId]).reverse()).toEqual([
      ['START', 'CODE_SENT', twinAgentArn('agent-browser')],
      ['VERIFY', 'INVALID', twinAgentArn('agent-browser')],
      ['VERIFY', 'VERIFIED', twinAgentArn('agent-browser')],
    ]);

    // The page as the console renders it, read before axe-core's script is added: its ~500 KB of minified
    // source holds hundreds of digit runs, and a code matched one of them by chance (650260, once in CI).
    const content = `${await page.content()}${await page.locator('body').textContent()}`;

    // Accessible with the verification open (axe-core, serious or critical).
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = (await page.evaluate(
      "axe.run(document).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id))",
    )) as string[];
    expect(violations).toEqual([]);

    const bodies = await Promise.all(answers);
    for (const secret of [code, wrong, ivrCode]) {
      expect([secret, content.includes(secret)]).toEqual([secret, false]);
      expect([secret, bodies.filter((b) => b.includes(secret))]).toEqual([secret, []]);
    }

    // The agent ends the call: it leaves the view, and the caller's side says who ended it.
    await row.getByRole('button', { name: 'End', exact: true }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    // Nothing asked for: the desk takes the caller back only to say goodbye.
    await expect(p.listen()).resolves.toMatchObject({ ended: true, disposition: 'DISCONNECTED', queueState: 'ENDED_BY_AGENT' });
  } finally {
    await p.hangUp().catch(() => undefined);
    driver.close();
    await page.close();
  }
});

it("two tabs: the caller fails the IVR and reaches the agent, who verifies by code and asks for a reset; the caller's tab hears the readout, the agent's never holds the code or the password", async () => {
  // Sam has no mobile: codes go to his recovery e-mail.
  const sam = DEMO_EMPLOYEES.find((e) => e.employeeId === '3456789')!;
  const driver = new WorkflowDriver(twin);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const call = await context.newPage();
  const agent = await context.newPage();
  const answers: Array<Promise<string>> = [];
  agent.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) answers.push(r.text().catch(() => ''));
  });
  try {
    // The caller's tab: the IVR, a wrong code, then silence until the transfer.
    await call.goto(`${twin.url}/#/call`);
    await call.selectOption('#language', 'en-US');
    await call.getByRole('button', { name: 'Dial' }).click();
    await heard(call, 'To reset your password');
    await key(call, '1');
    await call.click('#send-keys');
    await heard(call, 'seven-digit employee ID');
    await key(call, `${sam.employeeId}#`);
    await heard(call, `I heard ${sam.employeeId}`);
    await key(call, '1');
    await call.click('#send-keys');
    await heard(call, 'by text or by email');
    await key(call, '2');
    await call.click('#send-keys');
    await heard(call, 'we just sent a six-digit code');
    const ivrCode = await driver.latestCode(sam);
    await key(call, `${ivrCode === '111111' ? '222222' : '111111'}#`);
    const transferred = call.locator('#call-status', { hasText: 'Transferred to queue PasswordReset — waiting for an agent' });
    for (let silence = 0; silence < 6 && !(await transferred.isVisible()); silence += 1) {
      await call.click('#send-keys');
      await call.waitForTimeout(200);
    }
    await transferred.waitFor();
    const contactId = String(await call.evaluate('sessionStorage.getItem("support-desk.contactId")'));

    // The agent's tab: the call arrives with its context; Accept, Verify caller, the code the caller reads out.
    await agent.goto(`${twin.url}/#/agent`);
    await agent.getByLabel('Agent ID').fill('agent-two-tabs');
    const row = agent.locator(`#agent-queue tr[data-contact-id="${contactId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.locator('td[data-column="employee"]').textContent()).resolves.toBe(sam.employeeId);
    await expect(row.locator('td[data-column="reason"]').textContent()).resolves.toBe('Entered no code');
    await row.getByRole('button', { name: 'Accept' }).click();
    await call.locator('#call-status', { hasText: 'Connected to an agent from queue PasswordReset' }).waitFor();
    const result = row.locator('[data-role="verify-result"]');
    await row.getByRole('button', { name: 'Verify caller' }).click();
    await result.filter({ hasText: "Code sent to the employee's registered device" }).waitFor();
    const code = await driver.latestCode(sam);
    await row.getByLabel('Code the caller reads out').fill(code);
    await row.getByRole('button', { name: 'Check code' }).click();
    await result.filter({ hasText: 'Verified' }).waitFor();
    await row.getByRole('button', { name: 'Reset password' }).click();
    await result.filter({ hasText: 'Reset ready' }).waitFor();
    await agent.screenshot({ path: join(ARTIFACTS, 'console-agent-reset-ready.png'), fullPage: true });
    await row.getByRole('button', { name: 'End', exact: true }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });

    // The caller's tab hears the desk again, presses 1, and hears the temporary password.
    await call.bringToFront();
    await heard(call, 'asked for a password reset');
    await key(call, '1');
    await call.click('#send-keys');
    await heard(call, 'Here is your temporary password');
    const groups = await call.locator('.readout').last().locator('.group').allTextContents();
    const temporary = groups.join('');
    expect(temporary).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
    await call.screenshot({ path: join(ARTIFACTS, 'console-call-agent-readout.png'), fullPage: true });
    const login = await (
      await fetch(`${twin.url}/api/directory/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ employeeId: sam.employeeId, password: temporary }),
      })
    ).json();
    expect(login).toEqual({ ok: true, mustChangePassword: true });
    const reset = (await driver.audit(sam.employeeId)).filter((r) => r.outcome === 'RESET');
    expect(reset).toEqual([expect.objectContaining({ actor: 'agent', agentId: twinAgentArn('agent-two-tabs'), contactId })]);

    // The agent's tab: neither code nor the password, in the DOM or in any answer it received.
    await agent.bringToFront();
    const content = `${await agent.content()}${await agent.locator('body').textContent()}`;
    const bodies = await Promise.all(answers);
    for (const secret of [ivrCode, code, temporary]) {
      expect([secret, content.includes(secret)]).toEqual([secret, false]);
      expect([secret, bodies.filter((b) => b.includes(secret))]).toEqual([secret, []]);
    }
  } finally {
    driver.close();
    await context.close();
  }
});

it('shows the password on the call view only', async () => {
  expect(password).not.toBe('');
  const page = await browser.newPage();
  for (const view of VIEWS.filter((v) => v !== 'call')) {
    await open(page, view);
    if (view === 'records') {
      await page.locator('#records button.link').first().click();
      await page.locator('#record-detail pre.json').waitFor();
    }
    if (view === 'workflows') {
      await page.locator('#executions tr', { hasText: 'password-reset-verify' }).first().getByRole('button', { name: 'Timeline' }).click();
      await page.locator('#timeline li').first().waitFor();
    }
    const content = `${await page.content()}${await page.locator('body').textContent()}`;
    expect([view, content.includes(password)]).toEqual([view, false]);
  }
  await page.close();
});

describe('accessibility (axe-core)', () => {
  it.each([
    [1280, 800],
    [390, 844],
  ])('no serious or critical violation on any view at %ix%i', async (width, height) => {
    // bypassCSP: the console's CSP (rightly) refuses the injected axe script.
    const page = await browser.newPage({ viewport: { width, height }, bypassCSP: true });
    for (const view of VIEWS) {
      await open(page, view);
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      // Evaluated in the page (a string: the test's own TypeScript has no DOM types).
      const violations = (await page.evaluate(
        "axe.run(document).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' (' + v.impact + ', ' + v.nodes.length + ')'))",
      )) as string[];
      expect([view, violations]).toEqual([view, []]);
      if (width < 500) await page.screenshot({ path: join(ARTIFACTS, `console-${view}-phone.png`), fullPage: true });
    }
    await page.close();
  });
});
