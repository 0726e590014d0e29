// The HTTP API as the pages use it: every request carries the bearer token when one is set, and every failure
// becomes an ApiError whose message a person can act on.

const TOKEN_KEY = 'ledgerstream.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: value => value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY),
};

/** What the API answered when it did not answer 2xx; status 0 means it could not be reached at all. */
export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get denied() {
    return this.status === 401 || this.status === 403;
  }
}

export function headers(extra = {}) {
  const all = {Accept: 'application/json', ...extra};
  const bearer = token.get();
  if (bearer) all.Authorization = `Bearer ${bearer}`;
  return all;
}

function describe(status, problem) {
  if (status === 401) return 'The API wants a token (401). Paste a bearer token in the Token field at the top.';
  if (status === 403) return 'The token is not allowed to do this (403). Use a token with the right role in the Token field at the top.';
  if (problem && problem.detail) return problem.detail;
  if (problem && problem.title) return problem.title;
  return `The API answered ${status}.`;
}

/** A request to the API; resolves to the JSON body, rejects with an ApiError. */
export async function api(path, {method = 'GET', body, signal} = {}) {
  const init = {method, signal, cache: 'no-store', headers: headers(body === undefined ? {} : {'Content-Type': 'application/json'})};
  if (body !== undefined) init.body = JSON.stringify(body);
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, null, `Cannot reach the API at ${location.origin}. Is the node running?`);
  }
  const servedBy = response.headers.get('X-Ledgerstream-Served-By');
  if (servedBy) document.dispatchEvent(new CustomEvent('served-by', {detail: servedBy}));
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, json, describe(response.status, json));
  return json;
}

/** The same request, or null when the API answers 404: for lookups where "not there" is an answer. */
export async function maybe(path, options) {
  try {
    return await api(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
