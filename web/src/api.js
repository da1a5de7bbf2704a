// Calls to the API of `weft serve`. Every call carries this launch's token, which the printed
// address brings after `#token=`: it is taken from the address once, kept in this tab's session
// storage (per origin, so no other server on 127.0.0.1 sees it) and sent as a bearer token.

const TOKEN_KEY = 'weft-launch-token';

/** Moves the token from the address into session storage; returns the token (or null). */
export function takeToken() {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** A refused call: `message` and `hint` from the server, `problems` at fields. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body.error || `HTTP ${status}`);
    this.status = status;
    this.hint = body.hint || '';
    this.problems = body.problems || [];
  }
}

/** Calls `method path` with an optional JSON body; resolves to the JSON answer. */
export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const answer = await response
    .json()
    .catch(() => ({ error: `HTTP ${response.status}`, hint: 'see the terminal running weft serve' }));
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}
