// The coordinator dashboard: occupancy per location x period x dagdeel with a trend chart (inline
// SVG, no chart library), no-show rates, CSV export, and the allocations that need action.
import { api } from './api.js';
import { el, svg } from './dom.js';
import { t } from './i18n.js';

function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

function addDays(days) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

/** Occupancy % (planned and walk-ins per place) and no-show % per period, over everything shown. */
function trend(rows) {
  const periods = new Map();
  for (const r of rows) {
    const p = periods.get(r.period) ?? { capacity: 0, booked: 0, recorded: 0, noShows: 0 };
    p.capacity += r.capacity;
    p.booked += r.planned + r.unexpected;
    p.recorded += r.planned - r.not_recorded;
    p.noShows += r.no_show_total;
    periods.set(r.period, p);
  }
  return [...periods.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, p]) => ({
      period,
      occupancy: p.capacity ? (100 * p.booked) / p.capacity : 0,
      // Only where attendance was recorded: the future has no no-shows yet.
      noShow: p.recorded > 0 ? (100 * p.noShows) / p.recorded : null,
    }));
}

/** A line chart of two percentages over the periods; sized for a tablet, scales with the page. */
export function trendChart(points) {
  const width = 640;
  const height = 240;
  const pad = { left: 40, right: 40, top: 12, bottom: 36 };
  const x = (i) => pad.left + (points.length <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (points.length - 1));
  const y = (v) => pad.top + ((100 - Math.min(100, Math.max(0, v))) * (height - pad.top - pad.bottom)) / 100;
  const line = (key, cls) =>
    svg('polyline', {
      class: `line ${cls}`,
      fill: 'none',
      points: points
        .map((p, i) => (p[key] === null ? null : `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`))
        .filter(Boolean)
        .join(' '),
    });
  const grid = [0, 25, 50, 75, 100].map((v) =>
    svg('g', {}, svg('line', { class: 'grid', x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }), svg('text', { x: 4, y: y(v) + 4, class: 'axis' }, `${v}%`)),
  );
  const step = Math.max(1, Math.ceil(points.length / 8));
  const labels = points
    .map((p, i) => (i % step === 0 ? svg('text', { x: x(i), y: height - 12, class: 'axis', 'text-anchor': 'middle' }, p.period) : null))
    .filter(Boolean);
  return svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': t('occupancy.chartLabel'), class: 'chart' },
    svg('title', {}, t('occupancy.chartLabel')),
    grid,
    labels,
    line('occupancy', 'occupancy'),
    line('noShow', 'no-show'),
  );
}

function occupancyTable(rows) {
  const head = ['location', 'period', 'dagdeel', 'capacity', 'planned', 'present', 'noShows', 'free'].map((k) => el('th', { scope: 'col' }, t(`occupancy.col.${k}`)));
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { class: 'data', id: 'occupancy-table' },
      el('thead', {}, el('tr', {}, head)),
      el(
        'tbody',
        {},
        rows.map((r) =>
          el(
            'tr',
            {},
            el('td', {}, r.location_name),
            el('td', {}, r.period),
            el('td', {}, t(`dagdeel.${r.dagdeel}`)),
            el('td', { class: 'num' }, String(r.capacity)),
            el('td', { class: 'num' }, String(r.planned)),
            el('td', { class: 'num' }, String(r.present)),
            el('td', { class: 'num', title: r.no_shows.map((n) => `${t(`reason.${n.reason}`)}: ${n.count}`).join(', ') }, String(r.no_show_total)),
            el('td', { class: r.free < 0 ? 'num over' : 'num' }, String(r.free)),
          ),
        ),
      ),
    ),
  );
}

function allocationsView(report) {
  const needsAction = report.allocations.filter((a) => a.attention.length);
  return [
    el('h2', {}, t('occupancy.allocations')),
    needsAction.length
      ? el(
          'ul',
          { class: 'people card', id: 'allocations-attention' },
          needsAction.map((a) =>
            el(
              'li',
              { 'data-allocation': a.allocation_id },
              el('span', {}, `${a.client_name} · ${a.product_code} · ${t('occupancy.used', { used: a.used_this_month, allocated: a.allocated_this_month })}`),
              el(
                'span',
                { class: 'needs' },
                a.attention
                  .map((k) => t(`attention.${k}`, { days: a.expires_in_days ?? '', date: a.projected_run_out ?? '' }))
                  .join(' · '),
              ),
            ),
          ),
        )
      : el('p', { class: 'muted' }, t('occupancy.noAttention')),
    el('h2', {}, t('occupancy.withoutAllocation')),
    report.without_allocation.length
      ? el('ul', { class: 'people card', id: 'without-allocation' }, report.without_allocation.map((c) => el('li', {}, c.name)))
      : el('p', { class: 'muted' }, t('occupancy.everyoneAllocated')),
  ];
}

export async function renderOccupancy(container) {
  const from = el('input', { type: 'date', name: 'from', value: addDays(-56) });
  const to = el('input', { type: 'date', name: 'to', value: addDays(14) });
  const group = el('select', { name: 'group' }, ['day', 'week', 'month'].map((g) => el('option', { value: g, selected: g === 'week' }, t(`occupancy.group.${g}`))));
  const result = el('div', { id: 'occupancy-result' });
  const form = el(
    'form',
    { class: 'card controls-form', novalidate: true },
    el('label', {}, t('occupancy.from'), from),
    el('label', {}, t('occupancy.to'), to),
    el('label', {}, t('occupancy.group'), group),
    el('button', { type: 'submit' }, t('occupancy.show')),
  );

  async function load() {
    const query = `from=${from.value}&to=${to.value}&group=${group.value}`;
    const [report, clients, allocations] = await Promise.all([
      api(`/occupancy?${query}`),
      api(`/occupancy/no-shows?from=${from.value}&to=${to.value}`),
      api('/occupancy/allocations'),
    ]);
    result.replaceChildren(
      el('div', { class: 'card' }, el('h2', {}, t('occupancy.trend')), trendChart(trend(report.rows)), el('p', { class: 'legend' }, el('span', { class: 'key occupancy' }, t('occupancy.legendOccupancy')), ' ', el('span', { class: 'key no-show' }, t('occupancy.legendNoShow')))),
      el('p', {}, el('a', { class: 'button', href: `/api/occupancy/csv?${query}`, download: 'bezetting.csv' }, t('occupancy.csv'))),
      occupancyTable(report.rows),
      el('h2', {}, t('occupancy.noShowRates')),
      el('ul', { class: 'people card' }, report.locations.map((l) => el('li', {}, el('span', {}, l.location_name), el('span', { class: 'count' }, `${l.no_show_percent.toLocaleString('nl-NL')}%`)))),
      el('h3', {}, t('occupancy.topClients')),
      el('ul', { class: 'people card', id: 'no-show-clients' }, clients.slice(0, 10).map((c) => el('li', {}, el('span', {}, c.name), el('span', { class: 'count' }, t('occupancy.clientRate', { rate: c.no_show_percent.toLocaleString('nl-NL'), n: c.no_shows, of: c.expected }))))),
      ...allocationsView(allocations),
    );
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  container.replaceChildren(el('p', {}, el('a', { href: '#/' }, t('billing.home'))), el('h1', {}, t('occupancy.title')), form, result);
  await load();
}
