/**
 * For SREs: counters and per-minute charts (resets started and completed, accounts unlocked,
 * failures, lock-outs, p95 turn latency) drawn with Chart.js, recent executions with status and duration, and one
 * execution's state-by-state timeline (names and durations only — no execution data, as in AWS).
 */
import { CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import { api } from '../api';
import { clear, formatTime, h } from '../dom';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

interface Series {
  name: string;
  dimensions: Record<string, string>;
  perMinute: Array<{ minute: string; sum: number; p95: number | null }>;
  p95: number | null;
}
interface Execution {
  executionArn: string;
  stateMachine: string;
  status: string;
  startDate: string;
  durationMs: number | null;
  error: string | null;
}

const SIGNALS: Array<[string, string]> = [
  ['ResetStarted', 'Resets started'],
  ['PasswordReset', 'Resets completed'],
  ['AccountUnlocked', 'Accounts unlocked'],
  ['VerificationFailed', 'Verification failures'],
  ['AccountLocked', 'Lock-outs'],
  ['VerificationCodeDeliveryFailed', 'Delivery failures'],
];

export function workflowsView(root: HTMLElement): () => void {
  const cards = h('dl', { id: 'counters', class: 'counters' });
  const countsCanvas = h('canvas', {
    id: 'counts-chart',
    role: 'img',
    'aria-label': 'Per-minute counts of resets started, completed, accounts unlocked, verification failures and lock-outs',
  });
  const latencyCanvas = h('canvas', {
    id: 'latency-chart',
    role: 'img',
    'aria-label': 'Per-minute p95 latency of caller turns, in milliseconds',
  });
  const executions = h('tbody');
  const timeline = h(
    'section',
    { id: 'timeline', class: 'panel', 'aria-live': 'polite', 'aria-label': 'Execution timeline' },
    h('p', {}, 'Choose an execution to see its timeline.'),
  );
  let counts: Chart | undefined;
  let latency: Chart | undefined;

  const showTimeline = async (arn: string) => {
    const t = await api<{
      status: string;
      durationMs: number | null;
      error: string | null;
      states: Array<{ name: string; type: string; durationMs: number | null; error: string | null }>;
    }>('GET', `/api/executions/timeline?arn=${encodeURIComponent(arn)}`);
    clear(timeline);
    const longest = Math.max(1, ...t.states.map((s) => s.durationMs ?? 0));
    timeline.append(
      h('h2', {}, 'Timeline'),
      h('p', { class: 'meta' }, `${t.status} in ${t.durationMs ?? '—'} ms${t.error ? ` · ${t.error}` : ''} · execution data is not kept`),
      h(
        'ol',
        { class: 'timeline' },
        ...t.states.map((s) =>
          h(
            'li',
            { class: s.error ? 'bad' : '' },
            h('span', { class: 'state-name' }, `${s.name} `, h('small', {}, s.type)),
            h('span', { class: 'bar', style: `width:${Math.max(2, ((s.durationMs ?? 0) / longest) * 100)}%`, 'aria-hidden': 'true' }),
            h('span', { class: 'state-ms' }, `${s.durationMs ?? '—'} ms${s.error ? ` (${s.error})` : ''}`),
          ),
        ),
      ),
    );
  };

  const refresh = async () => {
    const [{ counters, series }, { executions: list }] = await Promise.all([
      api<{ counters: Record<string, number>; series: Series[] }>('GET', '/api/metrics'),
      api<{ executions: Execution[] }>('GET', '/api/executions?limit=50'),
    ]);
    const turn = series.find((s) => s.name === 'TurnLatency');
    clear(cards);
    for (const [metric, label] of SIGNALS)
      cards.append(h('div', { class: 'card' }, h('dt', {}, label), h('dd', { 'data-metric': metric }, String(counters[metric] ?? 0))));
    cards.append(
      h(
        'div',
        { class: 'card' },
        h('dt', {}, 'p95 turn latency'),
        h('dd', { 'data-metric': 'TurnLatencyP95' }, turn?.p95 === null || turn?.p95 === undefined ? '—' : `${turn.p95.toFixed(1)} ms`),
      ),
    );

    const service = series.filter((s) => JSON.stringify(s.dimensions) === JSON.stringify({ service: 'support-desk' }));
    const minutes = [...new Set(series.flatMap((s) => s.perMinute.map((p) => p.minute)))].sort().slice(-30);
    const labels = minutes.map((m) => new Date(m).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
    const palette = ['#0b5cad', '#1a7f37', '#0e7490', '#b35900', '#a4133c'];
    const datasets = SIGNALS.slice(0, 5).map(([metric, label], i) => {
      const s = service.find((x) => x.name === metric);
      return {
        label,
        data: minutes.map((m) => s?.perMinute.find((p) => p.minute === m)?.sum ?? 0),
        borderColor: palette[i],
        backgroundColor: palette[i],
        tension: 0.2,
      };
    });
    const latencyData = minutes.map((m) => turn?.perMinute.find((p) => p.minute === m)?.p95 ?? null);
    if (!counts)
      counts = new Chart(countsCanvas, {
        type: 'line',
        data: { labels, datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    else {
      counts.data.labels = labels;
      counts.data.datasets = datasets;
      counts.update();
    }
    const latencySet = [
      { label: 'p95 turn latency (ms)', data: latencyData, borderColor: '#5b21b6', backgroundColor: '#5b21b6', tension: 0.2 },
    ];
    if (!latency)
      latency = new Chart(latencyCanvas, {
        type: 'line',
        data: { labels, datasets: latencySet },
        options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
      });
    else {
      latency.data.labels = labels;
      latency.data.datasets = latencySet;
      latency.update();
    }

    clear(executions);
    for (const e of list) {
      const button = h('button', { type: 'button', class: 'link' }, 'Timeline');
      button.addEventListener('click', () => void showTimeline(e.executionArn));
      executions.append(
        h(
          'tr',
          { class: e.status === 'SUCCEEDED' ? '' : 'bad' },
          h('td', {}, e.stateMachine),
          h('td', {}, e.status),
          h('td', {}, formatTime(e.startDate)),
          h('td', {}, e.durationMs === null ? '—' : `${e.durationMs} ms`),
          h('td', {}, button),
        ),
      );
    }
  };

  root.append(
    cards,
    h(
      'div',
      { class: 'charts' },
      h(
        'figure',
        { class: 'panel chart' },
        h('figcaption', {}, 'Per minute: resets started, completed, unlocks, failures, lock-outs'),
        h('div', { class: 'chart-box' }, countsCanvas),
      ),
      h(
        'figure',
        { class: 'panel chart' },
        h('figcaption', {}, 'Per minute: p95 latency of a caller turn'),
        h('div', { class: 'chart-box' }, latencyCanvas),
      ),
    ),
    h(
      'div',
      { class: 'workflows-layout' },
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'exec-heading' },
        h('h2', { id: 'exec-heading' }, 'Recent executions'),
        h(
          'div',
          { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Recent executions' },
          h(
            'table',
            { id: 'executions' },
            h('thead', {}, h('tr', {}, ...['Workflow', 'Status', 'Started', 'Duration', ''].map((c) => h('th', { scope: 'col' }, c)))),
            executions,
          ),
        ),
      ),
      timeline,
    ),
  );
  void refresh();
  const timer = setInterval(() => void refresh().catch(() => undefined), 3000);
  return () => {
    clearInterval(timer);
    counts?.destroy();
    latency?.destroy();
  };
}
