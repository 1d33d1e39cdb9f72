// Shared browser helpers: the token (sessionStorage + SameSite=Strict cookie for page navigations) and
// a fetch wrapper that sends it as a Bearer header.
const KEY = "lockdesk_token";

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
  // biome-ignore lint/suspicious/noDocumentCookie: clears the cookie set above
  document.cookie = `${KEY}=; Path=/; Max-Age=0; SameSite=Strict`;
}

/** Calls the API; resolves to { ok, status, data } and sends the user to the login page on 401. */
export async function api(method, path, body) {
  const headers = { accept: "application/json" };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
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
