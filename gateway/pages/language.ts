// The pages' language: Dutch (B1) first, English second. The choice is kept for every page of the
// gateway (localStorage "liot-lang"); the #lang button switches it. Each page's texts.ts holds
// its words, elements with data-t="<key>" show the text of that key.
export type Lang = "nl" | "en";

const KEY = "liot-lang";

/** The language chosen last on any of the pages; Dutch when none was. */
export function savedLang(): Lang {
  return localStorage.getItem(KEY) === "en" ? "en" : "nl";
}

/** Puts the words in place: <html lang>, the title, the text of every [data-t] element. */
export function paintTexts(lang: Lang, texts: { title: string }): void {
  document.documentElement.lang = lang;
  document.title = texts.title;
  for (const el of Array.from(document.querySelectorAll<HTMLElement>("[data-t]"))) {
    const v = (texts as unknown as Record<string, unknown>)[el.dataset.t!];
    if (typeof v === "string") el.textContent = v;
  }
}

/** The #lang button: switches Dutch <-> English, remembers it, and hands the page the new one. */
export function onLanguageButton(current: () => Lang, switched: (lang: Lang) => void): void {
  document.getElementById("lang")!.addEventListener("click", () => {
    const next: Lang = current() === "nl" ? "en" : "nl";
    localStorage.setItem(KEY, next);
    switched(next);
  });
}
