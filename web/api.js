// Talking to the dagstaat API: JSON in, JSON or problem details out.
import { t } from './i18n.js';

/** An error answer from the API (RFC 9457 problem details). */
export class ApiProblem extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || 'error');
    this.status = problem.status;
    this.code = problem.code || 'internal';
    this.errors = problem.errors || [];
    this.retryAfter = problem.retryAfter;
  }

  /** A Dutch (or English) sentence for the user. */
  userMessage() {
    if (this.code === 'validation') {
      return t('error.validation', { fields: this.errors.map((e) => e.field).join(', ') });
    }
    return t(`error.${this.code}`, { seconds: this.retryAfter ?? '' });
  }
}

/** The server could not be reached (offline, or the server is down). */
export class NetworkError extends Error {
  userMessage() {
    return t('error.network');
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  let response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new NetworkError('network');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiProblem({ ...(data || { status: response.status }), retryAfter: response.headers.get('retry-after') });
  }
  return data;
}
