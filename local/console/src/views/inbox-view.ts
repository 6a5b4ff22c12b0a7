/**
 * The local mail store and, beside it, the texts the twin's End User Messaging SMS sent (`/api/sms`),
 * both newest first, refreshed every two seconds; HTML mail renders in a sandboxed frame, texts in a table.
 */
import { api, type Mail } from '../api';
import { clear, formatTime, h } from '../dom';

/** A text as `GET /api/sms` answers it (local/http/sms-api.ts). */
interface Sms {
  to: string;
  from: string | null;
  body: string;
  at: string;
  messageId: string;
}

export function inboxView(root: HTMLElement): () => void {
  let selected: string | undefined;
  let messages: Mail[] = [];
  let texts: Sms[] | undefined;
  const filter = h('input', {
    id: 'mail-filter',
    type: 'search',
    placeholder: 'e.g. alex.rivera@example.com or +15555550100',
    autocomplete: 'off',
  });
  const list = h('ul', { id: 'mail-list', class: 'mail-list', 'aria-label': 'Messages, newest first' });
  const reader = h(
    'section',
    { id: 'mail-reader', class: 'panel mail-reader', 'aria-live': 'polite', 'aria-label': 'Message' },
    h('p', {}, 'Choose a message.'),
  );

  const open = (mail: Mail) => {
    selected = mail.id;
    clear(reader);
    // sandbox with no permissions: no scripts, no forms, no navigation, no same-origin access.
    const frame = h('iframe', { sandbox: '', title: `Message: ${mail.subject}`, class: 'mail-frame' });
    frame.srcdoc =
      mail.html ??
      `<pre style="font-family:sans-serif;white-space:pre-wrap">${mail.text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</pre>`;
    reader.append(
      h('h2', {}, mail.subject),
      h('p', { class: 'meta' }, `To ${mail.to.join(', ')} · from ${mail.from} · ${formatTime(mail.at)}`),
      frame,
      h('details', {}, h('summary', {}, 'Text part'), h('pre', { class: 'mail-text' }, mail.text)),
    );
    render();
  };
  const render = () => {
    clear(list);
    if (messages.length === 0) list.append(h('li', { class: 'empty' }, 'No mail yet.'));
    for (const mail of messages) {
      const button = h(
        'button',
        { type: 'button', class: 'mail-item', 'aria-pressed': String(mail.id === selected) },
        h('strong', {}, mail.subject),
        h('span', {}, mail.to.join(', ')),
        h('time', { datetime: mail.at }, formatTime(mail.at)),
      );
      button.addEventListener('click', () => open(mail));
      list.append(h('li', {}, button));
    }
  };
  const smsRows = h('tbody', { id: 'sms-list' });
  const renderTexts = () => {
    clear(smsRows);
    if (texts?.length === 0) smsRows.append(h('tr', {}, h('td', { colspan: '4', class: 'empty' }, 'No texts yet.')));
    for (const text of texts ?? []) {
      smsRows.append(
        h(
          'tr',
          { 'data-message-id': text.messageId },
          h('td', {}, h('time', { datetime: text.at }, formatTime(text.at))),
          h('td', {}, text.to),
          h('td', {}, text.from ?? '—'),
          h('td', { class: 'sms-body' }, text.body),
        ),
      );
    }
  };
  const refreshTexts = async (to: string) => {
    // The filter matches part of a number, as it matches part of an address: filtered here.
    const { messages: all } = await api<{ messages: Sms[] }>('GET', '/api/sms');
    const latest = all.filter((t) => t.to.includes(to));
    if (texts === undefined || JSON.stringify(latest.map((t) => t.messageId)) !== JSON.stringify(texts.map((t) => t.messageId))) {
      texts = latest;
      renderTexts();
    }
  };
  const refreshMail = async (to: string) => {
    const { messages: latest } = await api<{ messages: Mail[] }>('GET', `/api/mail${to ? `?to=${encodeURIComponent(to)}` : ''}`);
    if (JSON.stringify(latest.map((m) => m.id)) !== JSON.stringify(messages.map((m) => m.id))) {
      messages = latest;
      render();
    }
  };
  const refresh = async () => {
    const to = filter.value.trim();
    await Promise.all([refreshMail(to), refreshTexts(to)]);
  };
  filter.addEventListener('input', () => void refresh());
  root.append(
    h('div', { class: 'field' }, h('label', { for: 'mail-filter' }, 'Filter by recipient'), filter),
    h('div', { class: 'inbox-layout' }, h('section', { class: 'panel', 'aria-label': 'Messages' }, list), reader),
    h(
      'section',
      { id: 'sms-inbox', 'aria-labelledby': 'sms-heading' },
      h('h2', { id: 'sms-heading' }, 'Text messages'),
      h(
        'div',
        { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Text messages' },
        h(
          'table',
          { id: 'sms-table' },
          h('caption', { class: 'visually-hidden' }, 'Text messages, newest first'),
          h('thead', {}, h('tr', {}, ...['Sent', 'To', 'From', 'Message'].map((c) => h('th', { scope: 'col' }, c)))),
          smsRows,
        ),
      ),
    ),
  );
  void refresh();
  const timer = setInterval(() => void refresh().catch(() => undefined), 2000);
  return () => clearInterval(timer);
}
