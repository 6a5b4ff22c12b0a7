/**
 * The Support Desk app in the Amazon Connect Agent Workspace (issue #20): the caller's allow-listed
 * context, then Verify caller → Check code → Reset password / Unlock account. The agent never sees a code
 * (the caller reads it out; the field is emptied as soon as it is sent) nor a password (the desk speaks
 * it to the caller once the agent has left the call).
 *
 * Agent Workspace SDK (https://docs.aws.amazon.com/agentworkspace/latest/devguide/getting-started.html):
 * AmazonConnectApp.init's onCreate gives a Per contact app its contact (`context.scope`), and ContactClient
 * reads the contact's attributes (only the five allow-listed names) and tells when a contact connects or
 * is cleared (https://docs.aws.amazon.com/agentworkspace/latest/devguide/integrate-with-contact-data.html).
 */
import { AmazonConnectApp, type AppCreateEvent } from '@amazon-connect/app';
import { ContactClient } from '@amazon-connect/contact';
import { AGENT_CONTEXT_ATTRIBUTES } from '../../lambdas/domain/agent-context';
import { TRANSFER_WORDS, VERIFICATION_WORDS } from '../../lambdas/domain/agent-context-words';
import { type ShownAgentContext, shownAgentContext } from '../../lambdas/domain/shown-agent-context';
import { AgentApiClient, AgentApiError, loadConfig } from './agent-api-client';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const STATUS_WORDS: Record<string, string> = {
  CODE_SENT: 'Code sent to the registered phone or e-mail. Ask the caller to read it out.',
  RATE_LIMITED: 'Too many verifications for this employee or number: try again later.',
  UNAVAILABLE: 'Verification is unavailable right now: try again.',
  VERIFIED: 'Caller verified. Choose what the caller needs.',
  INVALID: 'Wrong code.',
  LOCKED: 'Too many wrong codes: the account is locked for now.',
  EXPIRED: 'The code has expired: verify again.',
  READOUT_READY: 'Ready.',
};

let contactId: string | undefined;
let api: AgentApiClient | undefined;

function say(text: string): void {
  $('status').textContent = text;
}

function show(context: ShownAgentContext): void {
  $('employee-id').textContent = context.employeeId ?? 'not confirmed';
  $('verification-state').textContent = context.verificationState ? VERIFICATION_WORDS[context.verificationState] : '—';
  $('transfer-reason').textContent = context.transferReason ? TRANSFER_WORDS[context.transferReason] : '—';
  $('locale').textContent = context.locale ?? '—';
  $('caller-number').textContent = context.callerNumberMasked ?? '—';
  $<HTMLButtonElement>('verify').disabled = !context.employeeId;
}

function clear(): void {
  contactId = undefined;
  $('contact').hidden = true;
  $('no-contact').hidden = false;
  $('code-form').hidden = true;
  $('actions').hidden = true;
  $('hint').hidden = true;
  $<HTMLInputElement>('code').value = '';
  say('');
}

async function open(id: string, contacts: ContactClient): Promise<void> {
  contactId = id;
  $('no-contact').hidden = true;
  $('contact').hidden = false;
  // Only the allow-listed names are asked for, and each value is checked again before it is shown.
  const attributes = await contacts.getAttributes(id, Object.values(AGENT_CONTEXT_ATTRIBUTES));
  if (contactId === id) show(shownAgentContext(attributes));
}

async function act(run: () => Promise<void>): Promise<void> {
  try {
    if (!api) throw new AgentApiError(0, 'the app is still starting');
    await run();
  } catch (error) {
    say(error instanceof AgentApiError ? error.message : 'The desk is unavailable: try again.');
  }
}

function wire(): void {
  $('verify').addEventListener('click', () =>
    act(async () => {
      if (!contactId) return;
      const { status } = await api!.call<{ status: string }>('POST', `/contacts/${contactId}/verification`);
      say(STATUS_WORDS[status] ?? status);
      $('code-form').hidden = status !== 'CODE_SENT';
      $('actions').hidden = true;
      if (status === 'CODE_SENT') $('code').focus();
    }),
  );
  $('code-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('code');
    const code = input.value.replace(/\s/g, '');
    // Never kept: the field is emptied before the answer arrives.
    input.value = '';
    return act(async () => {
      if (!contactId) return;
      const answer = await api!.call<{ status: string; attemptsLeft?: number }>('POST', `/contacts/${contactId}/verification/code`, {
        code,
      });
      const left = answer.attemptsLeft === undefined ? '' : ` ${answer.attemptsLeft} attempt(s) left.`;
      say(`${STATUS_WORDS[answer.status] ?? answer.status}${left}`);
      if (answer.status === 'VERIFIED') {
        $('code-form').hidden = true;
        $('actions').hidden = false;
      }
    });
  });
  for (const [id, action] of [
    ['reset', 'RESET'],
    ['unlock', 'UNLOCK'],
  ] as const)
    $(id).addEventListener('click', () =>
      act(async () => {
        if (!contactId) return;
        await api!.call('POST', `/contacts/${contactId}/readout`, { action });
        say(action === 'RESET' ? 'The desk will read a temporary password to the caller.' : "The desk will unlock the caller's account.");
        $('hint').hidden = false;
      }),
    );
}

function start(): void {
  wire();
  clear();
  loadConfig()
    .then((config) => {
      api = new AgentApiClient(config);
    })
    .catch(() => say('The app is not configured: tell your administrator.'));
  const { provider } = AmazonConnectApp.init({
    onCreate: async (event: AppCreateEvent) => {
      const scope = event.context.scope;
      if (scope?.type === 'contact') await open(scope.contactId, contacts);
    },
  });
  const contacts = new ContactClient(provider);
  contacts.onConnected((event) => open(event.contactId, contacts));
  contacts.onCleared(async (event) => {
    if (event.contactId === contactId) clear();
  });
}

start();
