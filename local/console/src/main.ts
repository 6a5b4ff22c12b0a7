/** The console: one page, six views chosen by the URL hash. */
import './styles.css';
import { h, clear } from './dom';
import { callView } from './views/call-view';
import { inboxView } from './views/inbox-view';
import { auditView } from './views/audit-view';
import { workflowsView } from './views/workflows-view';
import { recordsView } from './views/records-view';
import { agentView } from './views/agent-view';

/** Renders a view into root; returns what to do when the view is left, if anything. */
export type View = ((root: HTMLElement) => () => void) | ((root: HTMLElement) => void);

const VIEWS: Record<string, { title: string; render: View }> = {
  call: { title: 'Call the desk', render: callView },
  inbox: { title: 'Inbox', render: inboxView },
  audit: { title: 'Audit trail', render: auditView },
  workflows: { title: 'Workflows', render: workflowsView },
  records: { title: 'Contact records', render: recordsView },
  agent: { title: 'Agent', render: agentView },
};

const main = document.getElementById('main')!;
document.body.append(h('div', { id: 'announcer', class: 'visually-hidden', 'aria-live': 'polite', role: 'status' }));
let cleanup: (() => void) | undefined;

function route(): void {
  const name = location.hash.replace(/^#\//, '') || 'call';
  const view = VIEWS[name] ?? VIEWS.call!;
  cleanup?.();
  clear(main);
  document.title = `${view.title} — Support Desk console`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.append(h('h1', {}, view.title));
  const leave = view.render(main);
  cleanup = typeof leave === 'function' ? leave : undefined;
}

window.addEventListener('hashchange', () => {
  route();
  main.focus();
});
route();
