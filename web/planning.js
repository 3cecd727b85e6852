// The planner's transport screen: plan a day's rides, watch progress, read the checker's report,
// see the routes (list and a map-free sketch), move riders, lock routes, re-plan, publish.
import { api } from './api.js';
import { el, show, svg } from './dom.js';
import { t } from './i18n.js';

const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bc4c00', '#0a7ea4', '#bf3989'];

function tomorrow() {
  const date = new Date(Date.now() + 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(date);
}

/** `#/planning` (new plan, plans of a date) or `#/planning/<id>` (one plan). */
export async function renderPlanning(container, planId) {
  if (planId) return renderPlan(container, Number(planId));
  const locations = (await api('/locations')).items ?? [];
  const date = new URLSearchParams(window.location.search).get('date') ?? tomorrow();
  const plans = await api(`/transport/plans?date=${date}`);
  container.replaceChildren(
    el('p', {}, el('a', { href: '#/' }, t('dagstaat.back'))),
    el('h1', {}, t('planning.title')),
    el(
      'form',
      {
        class: 'card',
        onsubmit: async (event) => {
          event.preventDefault();
          const data = new FormData(event.target);
          const plan = await api('/transport/plans', {
            method: 'POST',
            body: {
              date: data.get('date'),
              direction: data.get('direction'),
              location_ids: data.getAll('location').map(Number),
              time_budget_seconds: Number(data.get('budget')),
            },
          });
          window.location.hash = `#/planning/${plan.id}`;
        },
      },
      el('label', {}, t('planning.date'), el('input', { type: 'date', name: 'date', value: date, required: true })),
      el('label', {}, t('planning.direction'), el('select', { name: 'direction' }, ['inbound', 'outbound'].map((d) => el('option', { value: d }, t(`rit.direction.${d}`))))),
      el('fieldset', {}, el('legend', {}, t('planning.locations')), locations.map((l) => el('label', {}, el('input', { type: 'checkbox', name: 'location', value: String(l.id), checked: true }), l.name))),
      el('label', {}, t('planning.budget'), el('input', { type: 'number', name: 'budget', min: '1', max: '300', value: '10' })),
      el('button', { type: 'submit' }, t('planning.start')),
    ),
    el('h2', {}, t('planning.existing', { date })),
    plans.length
      ? el('ul', { class: 'people card' }, plans.map((p) => el('li', {}, el('a', { href: `#/planning/${p.id}` }, `#${p.id} · ${t(`rit.direction.${p.direction}`)} · ${t(`planning.status.${p.status}`)}`))))
      : el('p', { class: 'muted' }, t('planning.none')),
  );
}

async function renderPlan(container, id) {
  let plan = await api(`/transport/plans/${id}`);
  while (plan.status === 'running' && container.isConnected) {
    container.replaceChildren(
      el('p', {}, el('a', { href: '#/planning' }, t('dagstaat.back'))),
      el('h1', {}, t('planning.running')),
      el('progress', { max: '100', value: String(Math.round(plan.progress * 100)), 'aria-label': t('planning.progress') }),
      el('p', { role: 'status' }, `${Math.round(plan.progress * 100)}%`),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    plan = await api(`/transport/plans/${id}`);
  }
  if (!container.isConnected) return;
  const drivers = plan.status === 'done' ? await api('/transport/drivers') : [];
  const act = async (path, body) => {
    await api(`/transport/plans/${id}/${path}`, { method: 'POST', body });
    await renderPlan(container, id);
  };
  const vehicles = plan.routes.map((r) => ({ id: r.vehicle_id, name: r.vehicle_name }));
  const editable = plan.status === 'done';
  const moveSelect = (clientId, current) =>
    el(
      'select',
      { 'aria-label': t('planning.moveTo'), disabled: !editable, onchange: (e) => act('move', { client_id: clientId, vehicle_id: e.target.value ? Number(e.target.value) : null }) },
      el('option', { value: '', selected: current === null }, t('planning.unassigned')),
      vehicles.map((v) => el('option', { value: String(v.id), selected: v.id === current }, v.name)),
    );
  show(
    container,
    el('p', {}, el('a', { href: '#/planning' }, t('dagstaat.back'))),
    el('h1', {}, t('planning.plan', { date: plan.date, direction: t(`rit.direction.${plan.direction}`) })),
    el('p', { class: 'muted' }, t(`planning.status.${plan.status}`)),
    plan.stopped_by ? el('p', { class: 'muted', 'aria-label': t('planning.searchLabel') }, t(`planning.stopped.${plan.stopped_by}`, { generations: plan.generations ?? 0, seed: plan.seed })) : null,
    plan.error ? el('p', { class: 'notice error', role: 'alert' }, plan.error) : null,
    plan.report ? reportCard(plan.report) : null,
    plan.routes.length ? sketch(plan) : null,
    ...plan.routes.map((route, i) =>
      el(
        'section',
        { class: 'card', 'aria-label': route.vehicle_name },
        el('h2', {}, el('span', { class: 'swatch', 'data-color': String(i % COLORS.length) }, '■ '), `${route.vehicle_name} · ${route.departure}–${route.arrival} · ${route.distance_km} km`),
        el('label', {}, el('input', { type: 'checkbox', checked: route.locked, disabled: !editable, onchange: (e) => act('lock', { vehicle_id: route.vehicle_id, locked: e.target.checked }) }), t('planning.lock')),
        el(
          'table',
          {},
          el('thead', {}, el('tr', {}, ['time', 'stop', 'place', 'onBoard', 'move'].map((h) => el('th', {}, t(`planning.col.${h}`))))),
          el(
            'tbody',
            {},
            route.stops.map((s) =>
              el(
                'tr',
                {},
                el('td', {}, s.time),
                el('td', {}, `${t(`rit.kind.${s.kind}`)} ${s.name}${s.wheelchair ? ` (${t('needs.wheelchair')})` : ''}`),
                el('td', {}, s.place),
                el('td', {}, String(s.on_board)),
                el('td', {}, s.kind === 'pickup' ? moveSelect(s.client_id, route.vehicle_id) : null),
              ),
            ),
          ),
        ),
        editable && drivers.length
          ? el('label', {}, t('planning.driver'), el('select', { name: `driver-${route.vehicle_id}`, 'data-vehicle': String(route.vehicle_id) }, el('option', { value: '' }, '—'), drivers.map((d) => el('option', { value: String(d.id) }, d.display_name))))
          : null,
      ),
    ),
    plan.unassigned.length
      ? el('section', { class: 'card' }, el('h2', {}, t('planning.unassignedTitle')), el('ul', { class: 'people' }, plan.unassigned.map((r) => el('li', {}, r.name, ' ', moveSelect(r.client_id, null)))))
      : null,
    editable
      ? el(
          'div',
          { class: 'actions' },
          el('button', { type: 'button', class: 'secondary', onclick: () => act('replan', {}) }, t('planning.replan')),
          el(
            'button',
            {
              type: 'button',
              onclick: () => {
                const assignments = [...container.querySelectorAll('select[data-vehicle]')]
                  .filter((s) => s.value)
                  .map((s) => ({ vehicle_id: Number(s.dataset.vehicle), driver_user_id: Number(s.value) }));
                return act('publish', { drivers: assignments });
              },
            },
            t('planning.publish'),
          ),
        )
      : null,
  );
}

function reportCard(report) {
  return el(
    'section',
    { class: `card report ${report.feasible ? 'ok' : 'problem'}`, 'aria-label': t('planning.report') },
    el('h2', {}, report.feasible ? t('planning.feasible') : t('planning.infeasible')),
    el('p', {}, t('planning.summary', { served: report.served, riders: report.riders, vehicles: report.vehicles_used, km: report.distance_km, ride: report.longest_ride_minutes ?? 0 })),
    report.violations.length ? el('ul', {}, report.violations.map((v) => el('li', {}, `${t(`violation.${v.kind}`)}: ${v.message}`))) : null,
  );
}

/** Routes drawn from the coordinates: no map tiles, just where the stops lie. */
function sketch(plan) {
  const points = plan.routes.flatMap((r) => r.stops).concat(plan.locations);
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const squash = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
  const spanX = Math.max((maxLon - minLon) * squash, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const size = 560 / Math.max(spanX, spanY);
  const x = (p) => 20 + (p.lon - minLon) * squash * size;
  const y = (p) => 20 + (maxLat - p.lat) * size;
  return svg(
    'svg',
    { viewBox: `0 0 ${40 + spanX * size} ${40 + spanY * size}`, class: 'sketch', role: 'img', 'aria-label': t('planning.sketch') },
    plan.routes.map((route, i) =>
      svg(
        'g',
        {},
        svg('polyline', { points: route.stops.map((s) => `${x(s)},${y(s)}`).join(' '), fill: 'none', stroke: COLORS[i % COLORS.length], 'stroke-width': '2' }),
        route.stops.map((s) => svg('circle', { cx: x(s), cy: y(s), r: '4', fill: COLORS[i % COLORS.length] }, svg('title', {}, `${s.time} ${s.name}`))),
      ),
    ),
    plan.locations.map((l) => svg('rect', { x: x(l) - 6, y: y(l) - 6, width: '12', height: '12', fill: '#24292f' }, svg('title', {}, l.name))),
  );
}
