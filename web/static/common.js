// Shared browser helpers: the token (sessionStorage + SameSite=Strict cookie for page navigations) and
// a fetch wrapper that sends it as a Bearer header.
const KEY = "lockdesk_token";
/** The hosted sign-in's refresh token (AWS only), with where and for whom to use it. */
const REFRESH = "lockdesk_refresh";

/** The token cookie, if any (a page opened in a new tab has the cookie but an empty sessionStorage). */
function cookieToken() {
  const hit = document.cookie.split("; ").find((c) => c.startsWith(`${KEY}=`));
  return hit ? decodeURIComponent(hit.slice(KEY.length + 1)) || null : null;
}

export function getToken() {
  // Case page (ws-case): a case URL opened in a new tab keeps the session: take the token from the cookie the
  // page navigation already used, instead of calling the API without one (401 → logged out in every tab).
  const stored = sessionStorage.getItem(KEY);
  if (stored) return stored;
  const fromCookie = cookieToken();
  if (fromCookie) sessionStorage.setItem(KEY, fromCookie);
  return fromCookie;
}

export function setToken(token) {
  sessionStorage.setItem(KEY, token);
  const secure = location.protocol === "https:" ? "; Secure" : "";
  // biome-ignore lint/suspicious/noDocumentCookie: the scan <img> requests carry no Authorization header; a SameSite=Strict cookie authenticates them
  document.cookie = `${KEY}=${encodeURIComponent(token)}; Path=/; SameSite=Strict${secure}`;
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(REFRESH);
  // biome-ignore lint/suspicious/noDocumentCookie: clears the cookie set above
  document.cookie = `${KEY}=; Path=/; Max-Age=0; SameSite=Strict`;
}

/** Keeps the hosted sign-in's refresh token in this tab, to renew the hour-long ID token without a new sign-in. */
export function setRefresh(info) {
  sessionStorage.setItem(REFRESH, JSON.stringify(info));
}

/**
 * A new ID token from the refresh token (the ID token runs out mid-work after an hour); null when there is none or
 * the sign-in service refuses it (then the user signs in again).
 */
export async function refreshToken() {
  const info = JSON.parse(sessionStorage.getItem(REFRESH) || "null");
  if (!info) return null;
  const res = await fetch(info.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      client_id: info.clientId,
      refresh_token: info.refreshToken,
    }).toString(),
  }).catch(() => null);
  const token = res?.ok ? (await res.json()).id_token : undefined;
  if (!token) {
    sessionStorage.removeItem(REFRESH);
    return null;
  }
  setToken(token);
  return token;
}

/**
 * Calls the API; resolves to { ok, status, data }. On 401 the token is renewed once where the sign-in gave a refresh
 * token (and the call repeated); else the user is sent to the login page.
 */
export async function api(method, path, body, renewed = false) {
  const headers = { accept: "application/json" };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    if (!renewed && (await refreshToken())) return api(method, path, body, true);
    clearToken();
    location.assign("/login");
  }
  const type = res.headers.get("content-type") ?? "";
  const data = type.includes("application/json") ? await res.json() : await res.blob();
  return { ok: res.ok, status: res.status, data };
}

const logout = document.getElementById("logout");
if (logout) {
  logout.addEventListener("click", () => {
    clearToken();
    location.assign("/login");
  });
}
