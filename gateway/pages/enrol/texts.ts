// Every word of the enrolment page, Dutch (B1) first, English second.

const nlDevice = (k: string): string => (k === "classroom" ? "Meetkastje" : "Bandje");
const enDevice = (k: string): string => (k === "classroom" ? "Classroom node" : "Band");

export const TEXTS = {
  nl: {
    title: "Bandje koppelen",
    other: "English",
    browser:
      "Gebruik Chrome of Edge op een laptop. Firefox en Safari op iPhone of iPad hebben geen Web Bluetooth: daarmee lukt koppelen niet.",
    noBluetooth:
      "Deze browser heeft geen Web Bluetooth. Open deze pagina in Chrome of Edge op een laptop.",
    step1: "Zet het bandje in koppelstand",
    step1Text:
      "Een nieuw bandje knippert vanzelf blauw. Een gebruikt bandje: houd de knop 3 seconden in. Het lampje knippert dan 2 minuten.",
    step2: "Koppel het bandje",
    step2Text: "Druk op de knop en kies het bandje in de lijst (Puck.js LIOT).",
    connect: "Koppel bandje",
    busy: "Bezig met koppelen…",
    step3: "Klaar",
    step3Text: "Wacht tot de gateway het eerste bericht van het bandje ontvangt.",
    device: nlDevice,
    waiting: (id: number, k = "band") =>
      `${nlDevice(k)} ${id} is gekoppeld. Wachten op het eerste bericht…`,
    works: (id: number, k = "band") => `${nlDevice(k)} ${id} werkt`,
    roomBad: "Gebruik 1 tot 24 letters, cijfers of tekens, zonder aanhalingstekens of \\.",
    slow: (id: number) =>
      `Nog geen bericht van bandje ${id}. Leg het bandje naast de gateway en wacht nog even.`,
    label: "Label",
    print: "Print label",
    next: "Volgend bandje",
    resetTitle: (id: number | null) => `Dit bandje is al gekoppeld (bandje ${id ?? "?"}).`,
    resetText:
      "Opnieuw koppelen wist de stappen van de vorige drager. Het bandje krijgt een nieuw nummer.",
    resetCheck: "Ja, wis dit bandje",
    resetButton: "Wis en koppel opnieuw",
    room: "Naam van het lokaal",
    roomButton: "Koppel meetkastje",
    classroom: "Dit is een meetkastje voor een lokaal. Geef het lokaal een naam.",
    pending: (id: number) =>
      `Het koppelen van bandje ${id} is niet afgemaakt. Koppel het bandje opnieuw: de pagina kijkt of het de gegevens al heeft.`,
    errors: {
      cancelled: "Je hebt geen bandje gekozen. Probeer het opnieuw.",
      connect_failed:
        "Het bandje is niet bereikbaar. Houd het dicht bij de laptop. Knippert het lampje niet? Houd de knop 3 seconden in.",
      disconnected:
        "De verbinding viel weg. Koppel opnieuw: de pagina kijkt of het bandje de gegevens al heeft.",
      timeout: "Het bandje antwoordt niet. Houd het dicht bij de laptop en koppel opnieuw.",
      garbled: "Dit apparaat is geen bandje van dit project, of het heeft oude software.",
      unsupported: "Deze browser heeft geen Web Bluetooth. Gebruik Chrome of Edge op een laptop.",
      insecure: "Open de pagina via http://localhost (de link die de gateway gaf).",
      closed:
        "De koppelstand is voorbij. Houd de knop 3 seconden in tot het lampje knippert en probeer opnieuw.",
      refused: (f: string) =>
        `Het bandje weigerde de gegevens (${f}). Vraag hulp aan de beheerder.`,
      session:
        "Geen toegang. Open de link die de gateway bij het starten gaf. Is die al gebruikt? Start de gateway opnieuw.",
      bad_token: "Deze link klopt niet. Gebruik de link die de gateway bij het starten gaf.",
      token_used:
        "Deze link is al gebruikt. Start de gateway opnieuw voor een nieuwe link, of gebruik de browser waarin je hem opende.",
      gateway: (m: string) => `De gateway gaf een fout: ${m}`,
    },
  },
  en: {
    title: "Enrol a band",
    other: "Nederlands",
    browser:
      "Use Chrome or Edge on a laptop. Firefox and Safari on iPhone or iPad have no Web Bluetooth: enrolment does not work there.",
    noBluetooth: "This browser has no Web Bluetooth. Open this page in Chrome or Edge on a laptop.",
    step1: "Put the band in enrolment mode",
    step1Text:
      "A new band blinks blue by itself. A used band: hold the button for 3 seconds. The light then blinks for 2 minutes.",
    step2: "Connect the band",
    step2Text: "Press the button and choose the band in the list (Puck.js LIOT).",
    connect: "Connect band",
    busy: "Connecting…",
    step3: "Done",
    step3Text: "Wait until the gateway receives the band's first message.",
    device: enDevice,
    waiting: (id: number, k = "band") =>
      `${enDevice(k)} ${id} is enrolled. Waiting for its first message…`,
    works: (id: number, k = "band") => `${enDevice(k)} ${id} works`,
    roomBad: "Use 1 to 24 letters, digits or signs, without quotes or \\.",
    slow: (id: number) =>
      `No message from band ${id} yet. Put the band next to the gateway and wait a little longer.`,
    label: "Label",
    print: "Print label",
    next: "Next band",
    resetTitle: (id: number | null) => `This band is enrolled already (band ${id ?? "?"}).`,
    resetText: "Enrolling it again erases the previous wearer's steps. The band gets a new number.",
    resetCheck: "Yes, erase this band",
    resetButton: "Erase and enrol again",
    room: "Room name",
    roomButton: "Enrol classroom node",
    classroom: "This is a classroom node. Give the room a name.",
    pending: (id: number) =>
      `Enrolling band ${id} was not finished. Connect the band again: the page checks whether it has the data already.`,
    errors: {
      cancelled: "You did not choose a band. Try again.",
      connect_failed:
        "The band cannot be reached. Hold it close to the laptop. Not blinking? Hold the button for 3 seconds.",
      disconnected:
        "The connection dropped. Connect again: the page checks whether the band has the data already.",
      timeout: "The band does not answer. Hold it close to the laptop and connect again.",
      garbled: "This device is not a band of this project, or it has old software.",
      unsupported: "This browser has no Web Bluetooth. Use Chrome or Edge on a laptop.",
      insecure: "Open the page through http://localhost (the link the gateway printed).",
      closed:
        "Enrolment mode has ended. Hold the button for 3 seconds until the light blinks and try again.",
      refused: (f: string) => `The band refused the data (${f}). Ask the administrator.`,
      session:
        "No access. Open the link the gateway printed at start. Used already? Restart the gateway.",
      bad_token: "This link is wrong. Use the link the gateway printed at start.",
      token_used:
        "This link was used already. Restart the gateway for a new one, or use the browser you opened it in.",
      gateway: (m: string) => `The gateway reported an error: ${m}`,
    },
  },
};

export type Texts = (typeof TEXTS)["nl"];
