/** What production keeps of each call: its contact record (CTR) and the flow logs written while logging was on. */
import { api } from '../api';
import { clear, formatTime, h } from '../dom';

interface Ctr {
  ContactId: string;
  InitiationTimestamp: string;
  DisconnectTimestamp: string;
  DisconnectReason: string;
  CustomerEndpoint: { Address: string };
  Queue: { Name: string } | null;
  LanguageCode: string;
}

export function recordsView(root: HTMLElement): void {
  const body = h('tbody');
  const detail = h(
    'section',
    { id: 'record-detail', class: 'panel', 'aria-live': 'polite', 'aria-label': 'Contact record' },
    h('p', {}, 'Choose a call to see what is kept of it.'),
  );
  const open = async (contactId: string) => {
    const { record, flowLogs } = await api<{ record: Ctr | null; flowLogs: Array<Record<string, unknown>> }>(
      'GET',
      `/api/contact-records/${contactId}`,
    );
    clear(detail);
    detail.append(
      h('h2', {}, `Contact ${contactId}`),
      h('h3', {}, 'Contact record'),
      h('pre', { class: 'json' }, JSON.stringify(record, null, 2)),
      h('h3', {}, `Flow logs (${flowLogs.length} blocks logged; logging is off while the caller authenticates and hears the password)`),
      h(
        'ol',
        { class: 'flow-logs' },
        ...flowLogs.map((l) =>
          h('li', {}, h('code', {}, String(l.ContactFlowModuleType)), ` ${String(l.Identifier)} · ${formatTime(String(l.Timestamp))}`),
        ),
      ),
    );
  };
  void api<{ records: Ctr[] }>('GET', '/api/contact-records?limit=100').then(({ records }) => {
    if (records.length === 0) body.append(h('tr', {}, h('td', { colspan: '6' }, 'No calls have ended yet.')));
    for (const r of records) {
      const button = h('button', { type: 'button', class: 'link' }, r.ContactId.slice(0, 8));
      button.addEventListener('click', () => void open(r.ContactId));
      body.append(
        h(
          'tr',
          {},
          h('td', {}, button),
          h('td', {}, r.CustomerEndpoint.Address),
          h('td', {}, formatTime(r.InitiationTimestamp)),
          h('td', {}, formatTime(r.DisconnectTimestamp)),
          h('td', {}, r.DisconnectReason),
          h('td', {}, r.Queue?.Name ?? '—'),
        ),
      );
    }
  });
  root.append(
    h(
      'div',
      { class: 'records-layout' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'ctr-heading' },
        h('h2', { id: 'ctr-heading' }, 'Calls, newest first'),
        h(
          'div',
          { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Contact records' },
          h(
            'table',
            { id: 'records' },
            h(
              'thead',
              {},
              h('tr', {}, ...['Contact', 'From', 'Started', 'Ended', 'Reason', 'Queue'].map((c) => h('th', { scope: 'col' }, c))),
            ),
            body,
          ),
        ),
      ),
      detail,
    ),
  );
}
