// Every word of the "Kijk mee" page: Dutch at B1 first (children at the digiboard), English second.

export const TEXTS = {
  nl: {
    title: "Kijk mee: de lucht in de klas",
    other: "English",
    browser:
      "Verbinden met het meetkastje werkt in Chrome en Edge (op een laptop, digibord of Android). Firefox en Safari (ook op iPad en iPhone) hebben geen Web Bluetooth: daar zie je de metingen van het dashboard.",
    noBluetooth:
      "Deze browser heeft geen Web Bluetooth. Je ziet daarom de metingen van het dashboard (één per minuut).",
    insecure:
      "Web Bluetooth werkt hier niet: open de pagina via http://localhost of https. Je ziet nu de metingen van het dashboard.",
    connect: "Verbind met het meetkastje",
    connecting: "Bezig met verbinden…",
    feed: "Metingen van het dashboard",
    stop: "Stop met meten",
    step: "Druk 1 tot 3 seconden op de knop van het meetkastje. Knippert het lampje twee keer blauw? Druk dan hier op Verbind en kies het kastje van jullie lokaal.",
    co2: "CO2",
    temperature: "Temperatuur",
    humidity: "Vochtigheid",
    source: (s: string): string =>
      s === "bluetooth" ? "Live van het meetkastje" : "Van het dashboard",
    room: (r: string): string => `Lokaal ${r}`,
    roomPick: "Kies het lokaal:",
    experiment: "Proefje: raam open of dicht",
    experimentText:
      "Doe je het raam open? Druk op Raam open. Doe je het weer dicht? Druk op Raam dicht. Kijk wat de lijn doet.",
    open: "Raam open",
    closed: "Raam dicht",
    markOpen: "raam open",
    markClosed: "raam dicht",
    csv: "Download de metingen (CSV)",
    waiting: "Wachten op de eerste meting…",
    explainTitle: "Wat zie je?",
    explain: [
      "Het kastje meet CO2. Dat is een gas dat je uitademt. Hoe meer mensen in de klas, hoe sneller de lijn stijgt.",
      "Adem eens op de sensor! Zie je de lijn omhoog gaan?",
      "Buiten is het ongeveer 400 ppm. ppm betekent: deeltjes per miljoen.",
      "Boven 1000 ppm wordt de lucht muf. Je let dan minder goed op. Tijd voor frisse lucht: zet een raam open.",
      "Het kastje meet ook de temperatuur en hoe vochtig de lucht is.",
    ],
    bands: { green: "goed", orange: "lucht de klas", red: "nu luchten" },
    errors: {
      cancelled: "Je hebt geen meetkastje gekozen. Probeer het opnieuw.",
      connect_failed:
        "Het meetkastje is niet bereikbaar. Is het dichtbij? Druk 1 tot 3 seconden op de knop en probeer het opnieuw.",
      disconnected:
        "De verbinding met het meetkastje is weg. Is het te ver weg? Druk op Verbind om verder te kijken.",
      timeout:
        "Het meetkastje antwoordt niet. Druk 1 tot 3 seconden op de knop (het lampje knippert twee keer blauw) en verbind opnieuw.",
      garbled: "Dit apparaat is geen meetkastje van Meet de Klas.",
      unsupported: "Deze browser heeft geen Web Bluetooth. Gebruik Chrome of Edge.",
      insecure: "Open de pagina via http://localhost of https om te verbinden.",
      reloaded:
        "De pagina is opnieuw geladen. Daardoor is de verbinding met het meetkastje weg. Druk op Verbind om verder te kijken.",
      time: "Kijk mee is na een uur gestopt. Druk 1 tot 3 seconden op de knop van het meetkastje en verbind opnieuw.",
      enrol: "Het meetkastje is in de koppelstand gezet. Kijk mee is gestopt.",
      stopped: "Je bent gestopt met meten. Je kunt de metingen nog downloaden.",
      feedDown: "De metingen van het dashboard komen niet binnen. Is de gateway aan?",
      noFeed:
        "Geen Web Bluetooth en geen dashboard: open deze pagina via de gateway (Kijk mee-link) of in Chrome of Edge.",
    },
  },
  en: {
    title: "Look along: the air in the classroom",
    other: "Nederlands",
    browser:
      "Connecting to the classroom node works in Chrome and Edge (on a laptop, digiboard or Android). Firefox and Safari (also on iPad and iPhone) have no Web Bluetooth: there you see the dashboard's readings.",
    noBluetooth:
      "This browser has no Web Bluetooth, so you see the dashboard's readings (one per minute).",
    insecure:
      "Web Bluetooth does not work here: open the page through http://localhost or https. You now see the dashboard's readings.",
    connect: "Connect to the classroom node",
    connecting: "Connecting…",
    feed: "Dashboard readings",
    stop: "Stop measuring",
    step: "Press the classroom node's button for 1 to 3 seconds. Does the light blink blue twice? Then press Connect here and choose your room's node.",
    co2: "CO2",
    temperature: "Temperature",
    humidity: "Humidity",
    source: (s: string) =>
      s === "bluetooth" ? "Live from the classroom node" : "From the dashboard",
    room: (r: string): string => `Room ${r}`,
    roomPick: "Choose the room:",
    experiment: "Experiment: window open or closed",
    experimentText:
      "Opening the window? Press Window open. Closing it again? Press Window closed. Watch what the line does.",
    open: "Window open",
    closed: "Window closed",
    markOpen: "window open",
    markClosed: "window closed",
    csv: "Download the readings (CSV)",
    waiting: "Waiting for the first reading…",
    explainTitle: "What do you see?",
    explain: [
      "The node measures CO2. That is a gas you breathe out. The more people in the room, the faster the line rises.",
      "Breathe on the sensor! Do you see the line go up?",
      "Outside it is about 400 ppm. ppm means: parts per million.",
      "Above 1000 ppm the air gets stuffy. You concentrate less well. Time for fresh air: open a window.",
      "The node also measures the temperature and how humid the air is.",
    ],
    bands: { green: "good", orange: "air the room", red: "air it now" },
    errors: {
      cancelled: "You did not choose a classroom node. Try again.",
      connect_failed:
        "The classroom node cannot be reached. Is it close? Press its button for 1 to 3 seconds and try again.",
      disconnected:
        "The connection to the classroom node is lost. Too far away? Press Connect to continue.",
      timeout:
        "The classroom node does not answer. Press its button for 1 to 3 seconds (the light blinks blue twice) and connect again.",
      garbled: "This device is not a Meet de Klas classroom node.",
      unsupported: "This browser has no Web Bluetooth. Use Chrome or Edge.",
      insecure: "Open the page through http://localhost or https to connect.",
      reloaded:
        "The page was reloaded, so the connection to the classroom node is lost. Press Connect to continue.",
      time: "Look along stopped after an hour. Press the node's button for 1 to 3 seconds and connect again.",
      enrol: "The classroom node was put in enrolment mode. Look along stopped.",
      stopped: "You stopped measuring. You can still download the readings.",
      feedDown: "The dashboard's readings do not come in. Is the gateway running?",
      noFeed:
        "No Web Bluetooth and no dashboard: open this page through the gateway (the Kijk mee link) or in Chrome or Edge.",
    },
  },
};

export type Texts = (typeof TEXTS)["nl"];
