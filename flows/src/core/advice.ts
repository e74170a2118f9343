// Short advice for teachers and children: Dutch at language level B1 first, English second.

export type Lang = "nl" | "en";
export type AdviceKey = "green" | "orange" | "red" | "none" | "alert" | "fault";

const TEXT: Record<AdviceKey, { nl: string; en: string }> = {
  green: { nl: "De lucht is goed.", en: "The air is fine." },
  orange: {
    nl: "De lucht wordt slechter. Zet een raam of deur open.",
    en: "The air is getting stale. Open a window or a door.",
  },
  red: {
    nl: "Slechte lucht. Zet nu ramen en deuren open.",
    en: "Bad air. Open windows and doors now.",
  },
  none: { nl: "Geen meting.", en: "No reading." },
  alert: {
    nl: "Al lang te veel CO2. Ventileer nu: zet ramen en deuren wijd open.",
    en: "Too much CO2 for a long time. Ventilate now: open windows and doors wide.",
  },
  fault: {
    nl: "De sensor werkt niet goed. Vraag de beheerder om hulp.",
    en: "The sensor does not work well. Ask the caretaker for help.",
  },
};

export function advice(key: AdviceKey, lang: Lang): string {
  return TEXT[key][lang];
}

export function adviceBoth(key: AdviceKey): { nl: string; en: string } {
  return { nl: TEXT[key].nl, en: TEXT[key].en };
}

/** Dutch and English labels of the levels, for charts and screens. */
export const LEVEL_LABEL: Record<AdviceKey, { nl: string; en: string }> = {
  green: { nl: "Groen", en: "Green" },
  orange: { nl: "Oranje", en: "Orange" },
  red: { nl: "Rood", en: "Red" },
  none: { nl: "Geen meting", en: "No reading" },
  alert: { nl: "Alarm", en: "Alert" },
  fault: { nl: "Storing", en: "Fault" },
};
