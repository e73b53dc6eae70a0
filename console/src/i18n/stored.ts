// The language the user chose on this browser (localStorage: a preference, not a secret);
// French when none. A module of its own: the entry's first requests (api/prefetch.ts) send it
// as Accept-Language before i18next is loaded.
export const LANGUAGE_KEY = "spring.language";

export function storedLanguage(): "fr" | "en" {
  try {
    return localStorage.getItem(LANGUAGE_KEY) === "en" ? "en" : "fr";
  } catch {
    return "fr";
  }
}
