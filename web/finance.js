// The finance screen: preview a month per municipality with explanations, close it into a
// WMO323 declaration, download XML/CSV, and record the municipality's answer (WMO325).
import { api, ApiProblem, NetworkError } from './api.js';
import { el } from './dom.js';
import { currentLanguage, t } from './i18n.js';

function money(cents) {
  return new Intl.NumberFormat(currentLanguage() === 'nl' ? 'nl-NL' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

function errorText(error) {
  return error instanceof ApiProblem || error instanceof NetworkError ? error.userMessage() : String(error);
}

/** Last month, as YYYY-MM: the month finance usually closes. */
function lastMonth() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

function dayText(day, unit) {
  const units = unit === '04' ? `${day.quantity} min` : String(day.quantity);
  const text = t(`rule.${day.rule}`, { minutes: day.minutes_present, units });
  const held = day.held_reason ? ` — ${t('billing.heldBecause', { units: day.quantity - day.declared, reason: t(`hold.${day.held_reason}`) })}` : '';
  return `${day.date}: ${text}${held}`;
}

function previewLine(line) {
  const warnings = line.warnings.map((w) => (w.date ? `${w.date}: ` : '') + t(`warning.${w.kind}`));
  return el(
    'details',
    { class: 'card billing-line', 'data-allocation': line.allocation_id },
    el(
      'summary',
      {},
      el('strong', {}, line.client_name),
      ` · ${line.product_code} · ${t('billing.volume', { volume: line.volume })} · ${money(line.amount_cents)} · `,
      el('span', { class: `disposition ${line.disposition}` }, t(`disposition.${line.disposition}`)),
      warnings.length ? el('span', { class: 'count over' }, ` ⚠ ${warnings.length}`) : null,
      line.held_back.length ? el('span', { class: 'count over' }, ` ${t('billing.heldCount', { n: line.held_back.reduce((s, h) => s + h.quantity, 0) })}`) : null,
    ),
    el('p', { class: 'muted' }, t('billing.allocation', { number: line.allocation_number, from: line.period_start, to: line.period_end })),
    warnings.length ? el('ul', { class: 'notice error' }, warnings.map((w) => el('li', {}, w))) : null,
    el('ul', { class: 'people' }, line.days.map((d) => el('li', {}, dayText(d, line.unit)))),
  );
}

function declarationLink(d) {
  return el(
    'li',
    {},
    el('a', { href: `#/billing/declaration/${d.id}` }, `${d.number} · ${d.month}`),
    ` · ${money(d.total_cents)} · ${t('billing.lines', { n: d.line_count })}`,
    d.pending ? ` · ${t('status.pending')}` : d.rejected ? ` · ${t('billing.rejectedCount', { n: d.rejected })}` : ` · ${t('status.accepted')}`,
  );
}

/** The month + municipality screen. */
export async function renderBilling(container, params = {}) {
  const municipalities = (await api('/municipalities?limit=200')).items;
  const month = el('input', { type: 'month', name: 'month', value: params.month || lastMonth(), required: true });
  const municipality = el(
    'select',
    { name: 'municipality' },
    municipalities.map((m) => el('option', { value: m.id, selected: String(m.id) === String(params.municipality) }, `${m.name} (${m.code})`)),
  );
  const message = el('p', { role: 'status', class: 'muted' });
  const result = el('div', { id: 'billing-result' });
  const history = el('ul', { class: 'people card', id: 'billing-history' });

  async function loadHistory() {
    const list = await api(`/billing/declarations?municipality_id=${municipality.value}&limit=50`);
    history.replaceChildren(...(list.items.length ? list.items.map(declarationLink) : [el('li', { class: 'muted' }, t('billing.noDeclarations'))]));
  }

  async function preview() {
    message.className = 'muted';
    message.textContent = t('billing.loading');
    try {
      const p = await api(`/billing/preview?municipality_id=${municipality.value}&month=${month.value}`);
      const billable = p.lines.filter((l) => l.volume > 0 || l.held_back.length || l.warnings.length);
      const closeButton = el('button', { type: 'button', disabled: !p.has_changes }, t('billing.close'));
      closeButton.addEventListener('click', () => close(p));
      result.replaceChildren(
        el(
          'div',
          { class: 'stats' },
          el('div', { class: 'stat' }, el('strong', {}, money(p.total_cents)), t('billing.total')),
          el('div', { class: 'stat' }, el('strong', {}, String(p.lines.filter((l) => l.volume > 0).length)), t('billing.billableLines')),
          el('div', { class: 'stat' }, el('strong', {}, String(p.held_back_quantity)), t('billing.heldBack')),
        ),
        p.has_changes ? null : el('p', { class: 'notice' }, t('billing.nothingNew')),
        closeButton,
        ...billable.map(previewLine),
      );
      message.textContent = '';
    } catch (error) {
      message.className = 'notice error';
      message.textContent = errorText(error);
    }
  }

  async function close(p) {
    if (!window.confirm(t('billing.confirmClose', { month: p.month }))) return;
    try {
      const d = await api('/billing/declarations', { method: 'POST', body: { municipality_id: Number(municipality.value), month: month.value } });
      window.location.hash = `#/billing/declaration/${d.id}`;
    } catch (error) {
      message.className = 'notice error';
      message.textContent = errorText(error);
    }
  }

  const form = el('form', { class: 'card', novalidate: true }, el('label', {}, t('billing.month'), month), el('label', {}, t('billing.municipality'), municipality), el('button', { type: 'submit' }, t('billing.preview')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    preview();
    loadHistory();
  });
  municipality.addEventListener('change', loadHistory);
  container.replaceChildren(el('h1', {}, t('billing.title')), form, message, result, el('h2', {}, t('billing.history')), history);
  await loadHistory();
}

/** One declaration: its lines, downloads, and the answer form. */
export async function renderDeclaration(container, id) {
  const d = await api(`/billing/declarations/${id}`);
  const message = el('p', { role: 'status' });
  const answerable = d.pending > 0;
  const rows = d.lines.map((line) => {
    const reject = el('input', { type: 'checkbox', name: `reject-${line.reference}`, 'aria-label': t('billing.reject', { reference: line.reference }), disabled: !answerable });
    const code = el('input', { name: `code-${line.reference}`, maxlength: 4, size: 5, placeholder: '0000', 'aria-label': t('billing.code'), disabled: !answerable });
    return {
      line,
      reject,
      code,
      node: el(
        'li',
        { 'data-reference': line.reference },
        el('span', {}, `${line.reference} · ${line.debit ? t('billing.debit') : t('billing.credit', { previous: line.previous_reference ?? '' })} · ${line.product_code} · ${line.volume} · ${money(line.amount_cents)}`),
        el('span', { class: `status ${line.status}` }, t(`status.${line.status}`) + (line.rejection_code ? ` (${line.rejection_code})` : '')),
        answerable ? el('span', {}, reject, code) : null,
      ),
    };
  });
  const save = el('button', { type: 'button', hidden: !answerable }, t('billing.saveAnswer'));
  save.addEventListener('click', async () => {
    const rejected = rows.filter((r) => r.reject.checked).map((r) => ({ reference: r.line.reference, code: r.code.value.trim() || '0000' }));
    try {
      await api(`/billing/declarations/${id}/answer`, { method: 'POST', body: { rejected } });
      await renderDeclaration(container, id);
    } catch (error) {
      message.className = 'notice error';
      message.textContent = errorText(error);
    }
  });
  container.replaceChildren(
    el('p', {}, el('a', { href: `#/billing/${d.municipality_id}/${d.month}` }, t('billing.back'))),
    el('h1', {}, t('billing.declaration', { number: d.number, month: d.month })),
    el('p', {}, `${t('billing.total')}: ${money(d.total_cents)} · ${d.declaration_date}`),
    el(
      'p',
      {},
      el('a', { class: 'button', href: `/api/billing/declarations/${id}/wmo323`, download: `WMO323-${d.number}.xml` }, t('billing.downloadXml')),
      ' ',
      el('a', { class: 'button', href: `/api/billing/declarations/${id}/csv`, download: `declaratie-${d.number}.csv` }, t('billing.downloadCsv')),
    ),
    answerable ? el('p', { class: 'muted' }, t('billing.answerHelp')) : null,
    el('ul', { class: 'people card' }, rows.map((r) => r.node)),
    save,
    message,
  );
}
