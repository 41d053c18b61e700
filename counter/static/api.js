// The REST client of the counter screen: bearer token, JSON in and out, one error type for every failure.

export class ApiError extends Error {
  /** status 0 means the server could not be reached at all. */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const REQUEST_TIMEOUT_MS = 10000;

/** A function `call(method, path, body?)` that resolves to the JSON answer (null for 204) or throws ApiError. */
export function makeApi(base, token) {
  return async function call(method, path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, "network", "network");
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 204) return null;
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const err = (data && data.error) || {};
      throw new ApiError(response.status, err.code || `http_${response.status}`, err.message || response.statusText);
    }
    return data;
  };
}

let leaving = false;

/** Back to the login page, once: a failed request, a refetch and the socket may all see the ended session at the
 * same moment, and a second navigation would abort the first one half-way. */
export function toLogin(url) {
  if (leaving) return;
  leaving = true;
  window.location.assign(url);
}
