// The tenant a platform administrator acts in (sent as X-Tenant): kept for the tab in
// sessionStorage (it is not a secret). A module of its own: the entry's first requests
// (api/prefetch.ts) send it too.
const TENANT_KEY = "spring.tenant";

/** The tenant a platform administrator acts in (kept for the tab: it is not a secret). */
export function actingTenant(): string | null {
  try {
    return sessionStorage.getItem(TENANT_KEY);
  } catch {
    return null;
  }
}

export function setActingTenant(slug: string | null): void {
  try {
    if (slug) sessionStorage.setItem(TENANT_KEY, slug);
    else sessionStorage.removeItem(TENANT_KEY);
  } catch {
    // storage unavailable: the choice lasts the page
  }
}
