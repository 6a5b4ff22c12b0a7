/** The local mail store, newest first, refreshed every two seconds; HTML mail renders in a sandboxed frame. */
import { api, type Mail } from '../api';
import { clear, formatTime, h } from '../dom';

export function inboxView(root: HTMLElement): () => void {
  let selected: string | undefined;
  let messages: Mail[] = [];
  const filter = h('input', { id: 'mail-filter', type: 'search', placeholder: 'e.g. alex.rivera@example.com', autocomplete: 'off' });
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
  const refresh = async () => {
    const to = filter.value.trim();
    const { messages: latest } = await api<{ messages: Mail[] }>('GET', `/api/mail${to ? `?to=${encodeURIComponent(to)}` : ''}`);
    if (JSON.stringify(latest.map((m) => m.id)) !== JSON.stringify(messages.map((m) => m.id))) {
      messages = latest;
      render();
    }
  };
  filter.addEventListener('input', () => void refresh());
  root.append(
    h('div', { class: 'field' }, h('label', { for: 'mail-filter' }, 'Filter by recipient'), filter),
    h('div', { class: 'inbox-layout' }, h('section', { class: 'panel', 'aria-label': 'Messages' }, list), reader),
  );
  void refresh();
  const timer = setInterval(() => void refresh().catch(() => undefined), 2000);
  return () => clearInterval(timer);
}
