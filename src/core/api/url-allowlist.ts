// Which `?url=` sources a Spanscope server lets the app open: its own origin and server.urlAllowlist.
// The server's CSP (connect-src) enforces the same list; the app checks first so a refused URL gets a
// message naming it and the setting, not a bare "Failed to fetch".

/** True when `url` (absolute, or relative to the page) is on the page's origin or an allowed origin. */
export function isUrlAllowed(url: string, pageOrigin: string, allowlist: readonly string[]): boolean {
  let origin: string;
  try {
    origin = new URL(url, pageOrigin).origin;
  } catch {
    return false;
  }
  return origin === pageOrigin || allowlist.includes(origin);
}

/** The load error the app shows for a refused `?url=`. */
export function urlRefusal(url: string, allowlist: readonly string[]): { readonly message: string; readonly detail: string } {
  return {
    message: `This server does not open traces from ${url}`,
    detail:
      `?url= opens only this server's own origin and the origins in server.urlAllowlist (spanscope.config.json, or SPANSCOPE_URL_ALLOWLIST); ` +
      `allowed now: ${allowlist.length ? allowlist.join(', ') : 'none besides this server'}. Add the origin there, or download the file and drop it on the page.`,
  };
}
