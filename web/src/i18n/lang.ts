// The associate's language: the one they switched to, else the browser's (French when the
// browser prefers it), else English.
import { en, type Messages } from "./en";
import { fr } from "./fr";

export type Lang = "en" | "fr";

const KEY = "storeapp.lang";
const BY_LANG: Record<Lang, Messages> = { en, fr };
let current: Lang = initialLang();

function initialLang(): Lang {
  const chosen = safeStorage()?.getItem(KEY);
  if (chosen === "en" || chosen === "fr") return chosen;
  return browserLang(navigator.languages ?? [navigator.language]);
}

/** The first of the browser's languages the app speaks; English otherwise. */
export function browserLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "fr" || base === "en") return base;
  }
  return "en";
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function lang(): Lang {
  return current;
}

/** The words of the current language. */
export function t(): Messages {
  return BY_LANG[current];
}

export function setLang(next: Lang): void {
  current = next;
  safeStorage()?.setItem(KEY, next);
  document.documentElement.lang = next;
}

/** A locale for numbers, money and times in the current language. */
export function locale(): string {
  return current === "fr" ? "fr-FR" : "en-GB";
}
