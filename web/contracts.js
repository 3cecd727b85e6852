// Admin: the billing rules of each municipality's contract.
import { api, ApiProblem, NetworkError } from './api.js';
import { el } from './dom.js';
import { t } from './i18n.js';

const CHOICES = {
  counting: ['presence_time', 'window_reached'],
  transport_billing: ['per_ride', 'per_day'],
  no_show: ['never', 'unannounced_with_effort', 'capped'],
  rounding: ['down', 'nearest', 'up'],
};
const NUMBERS = [
  'dagdeel_nominal_minutes',
  'dagdeel_minimum_minutes',
  'second_dagdeel_minutes',
  'max_dagdelen_per_day',
  'window_minimum_minutes',
  'transport_included_minutes',
  'no_show_max_per_month',
  'rounding_step_minutes',
];

function field(name, value) {
  if (CHOICES[name]) {
    return el('select', { name }, CHOICES[name].map((v) => el('option', { value: v, selected: v === value }, t(`rules.${name}.${v}`))));
  }
  if (typeof value === 'boolean') return el('input', { type: 'checkbox', name, checked: value });
  return el('input', { type: 'number', name, value, min: 0, inputmode: 'numeric' });
}

function rulesForm(contract, municipalityName) {
  const message = el('p', { role: 'status' });
  const names = ['counting', ...NUMBERS.slice(0, 5), 'transport_included', 'transport_included_minutes', 'transport_billing', 'no_show', 'no_show_max_per_month', 'rounding_step_minutes', 'rounding'];
  const form = el(
    'form',
    { class: 'card', novalidate: true, 'data-contract': contract.id },
    el('h2', {}, `${contract.name} · ${municipalityName}`),
    names.map((name) => el('label', {}, t(`rules.${name}`), field(name, contract.rules[name]))),
    el('button', { type: 'submit' }, t('rules.save')),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const rules = {};
    for (const name of names) {
      const input = form.elements[name];
      rules[name] = input.type === 'checkbox' ? input.checked : NUMBERS.includes(name) ? Number(input.value) : input.value;
    }
    const { id, ...body } = contract;
    try {
      const saved = await api(`/contracts/${id}`, { method: 'PUT', body: { ...body, rules } });
      contract.rules = saved.rules;
      message.className = 'notice';
      message.textContent = t('rules.saved');
    } catch (error) {
      message.className = 'notice error';
      message.textContent = error instanceof ApiProblem || error instanceof NetworkError ? error.userMessage() : String(error);
    }
  });
  return form;
}

export async function renderContracts(container) {
  const [contracts, municipalities] = await Promise.all([api('/contracts?limit=200'), api('/municipalities?limit=200')]);
  const names = new Map(municipalities.items.map((m) => [m.id, m.name]));
  container.replaceChildren(
    el('p', {}, el('a', { href: '#/' }, t('billing.home'))),
    el('h1', {}, t('rules.title')),
    el('p', { class: 'muted' }, t('rules.help')),
    ...contracts.items.map((c) => rulesForm(c, names.get(c.municipality_id) ?? '')),
  );
}
