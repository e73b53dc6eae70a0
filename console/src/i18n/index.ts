// i18next: French by default, English on request (the choice is kept in localStorage: a
// preference, not a secret). The server's messages come in the language sent in
// Accept-Language (api/client.ts).
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en";
import fr from "./fr";
import { LANGUAGE_KEY, storedLanguage } from "./stored";

export const LANGUAGES = ["fr", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.includes(value as Language);
}

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // private mode: the choice lasts the page
  }
  void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

void i18next.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: "fr",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
