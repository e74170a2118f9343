// The "Kijk mee" page for the classroom's digiboard: live CO2, temperature and humidity from the
// classroom node over Web Bluetooth (EspruinoLink.connectStream, gateway/src/pages/
// espruino-link.ts, on @espruino-tools/core), the node in live mode sending protocol live lines;
// without Web Bluetooth the same readings from the dashboard's MQTT feed (GET /feed, server-sent
// events from the gateway, gateway/src/kijk-mee/).
import { DEFAULT_CO2_PRESET, liveLineSplitter, parseLiveLine } from "@leiden-iot/protocol/device";
import type { FeedReading } from "../../src/kijk-mee/feed-reading.js";
import { EspruinoLink, LinkError } from "../../src/pages/espruino-link.js";
import { drawChart } from "./chart.js";
import { loadSession, saveSession, sessionCsv, type Mark, type Point } from "./session.js";
import { onLanguageButton, paintTexts, savedLang, type Lang } from "../language.js";
import { TEXTS, type Texts } from "./texts.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const LIVE_PREFIX = "LIOT live";
const LIMITS = { orangePpm: DEFAULT_CO2_PRESET.orangePpm, redPpm: DEFAULT_CO2_PRESET.redPpm };

let lang: Lang = savedLang();
let T: Texts = TEXTS[lang];
const session = loadSession();
let link: EspruinoLink | null = null;
let source: "bluetooth" | "dashboard" | null = null;
let feed: EventSource | null = null;
let feedRoom = localStorage.getItem("liot-kijk-mee-room") ?? "";
const feedRooms = new Set<string>();
let lastMessage: (() => string) | null = null;
let connecting = false;
/** Set when the node said it ends (stop/time/enrol): the drop that follows is no surprise. */
let ended: keyof Texts["errors"] | null = null;
/** Live stream timing: reading n was measured at seqZero + n * interval (ms). */
let seqZero: number | null = null;
let interval = 5000;

function show(text: (() => string) | null, ok = false): void {
  lastMessage = text;
  const m = $("message");
  m.hidden = !text;
  m.textContent = text ? text() : "";
  m.className = ok ? "message ok" : "message";
}

function paint(): void {
  T = TEXTS[lang];
  paintTexts(lang, T);
  const list = $("explain");
  list.replaceChildren(
    ...T.explain.map((s) => {
      const li = document.createElement("li");
      li.textContent = s;
      return li;
    }),
  );
  $("browser").textContent = browserNote();
  $("room").textContent = session.room ? T.room(session.room) : "";
  $("source").textContent = source ? T.source(source) : "";
  $<HTMLButtonElement>("connect").textContent = connecting ? T.connecting : T.connect;
  if (lastMessage) show(lastMessage);
  render();
}

function env() {
  return {
    bluetooth: navigator.bluetooth as never,
    document,
    hostname: location.hostname,
    protocol: location.protocol,
  };
}

function browserNote(): string {
  const why = EspruinoLink.unsupported(env());
  if (!why) return T.browser;
  return (why.code === "insecure" ? T.insecure : T.noBluetooth) + " " + T.browser;
}

function fmt(v: number | null, digits: number): string {
  return v === null
    ? "–"
    : v.toLocaleString(lang === "nl" ? "nl-NL" : "en-GB", {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        useGrouping: false, // "2100", not "2.100" (children would read 2.1)
      });
}

function render(): void {
  const pts = session.points.filter((p) => source === null || p.source === source);
  const last = pts[pts.length - 1];
  $("co2").textContent = fmt(last ? last.co2 : null, 0);
  $("temperature").textContent = fmt(last ? last.temperature : null, 1);
  $("humidity").textContent = fmt(last ? last.humidity : null, 0);
  $("co2Box").dataset.signal = last?.signal ?? "none";
  $("waiting").hidden = !!last || source === null;
  const now = Math.max(Date.now(), last ? last.t : 0);
  drawChart($<HTMLCanvasElement>("chart"), pts, session.marks, now, LIMITS, {
    co2: T.co2,
    temperature: T.temperature,
    humidity: T.humidity,
    mark: (k) => (k === "open" ? T.markOpen : T.markClosed),
    bands: T.bands,
  });
}

function add(p: Point): void {
  session.points.push(p);
  saveSession(session);
  render();
}

function setSource(s: "bluetooth" | "dashboard" | null): void {
  source = s;
  $("source").textContent = s ? T.source(s) : "";
  $("stop").hidden = s !== "bluetooth";
  document.body.dataset.source = s ?? "";
}

function onLiveLine(line: string): void {
  const r = parseLiveLine(line);
  if (!r.ok) return; // noise: the node sends only live lines in live mode
  const v = r.value;
  if (v.kind === "header") {
    interval = v.intervalS * 1000;
    seqZero = null;
    session.room = v.room;
    $("room").textContent = T.room(v.room);
    saveSession(session);
  } else if (v.kind === "reading") {
    const c = v.reading;
    // The node sends one line every intervalS: time from the sequence number, not from when the
    // notification arrived (Bluetooth delivers in bursts).
    if (seqZero === null) seqZero = Date.now() - v.seq * interval;
    add({
      t: seqZero + v.seq * interval,
      co2: c ? c.co2Ppm : null,
      temperature: c ? c.temperatureDeci / 10 : null,
      humidity: c ? c.humidityHalfPercent / 2 : null,
      signal: v.signal,
      source: "bluetooth",
    });
  } else {
    ended = v.reason === "stop" ? "stopped" : v.reason;
  }
}

async function connect(): Promise<void> {
  if (connecting) return;
  connecting = true;
  ended = null;
  show(null);
  $<HTMLButtonElement>("connect").disabled = true;
  $<HTMLButtonElement>("connect").textContent = T.connecting;
  try {
    link?.close();
    stopFeed();
    const l = new EspruinoLink(env(), { namePrefixes: [LIVE_PREFIX], connectTimeoutMs: 60_000 });
    link = l;
    await l.connectStream("start\n", liveLineSplitter(onLiveLine));
    session.linked = true;
    saveSession(session);
    setSource("bluetooth");
    l.onDisconnect(() => {
      if (link !== l) return;
      link = null;
      session.linked = false;
      saveSession(session);
      const why = ended ?? "disconnected";
      show(() => T.errors[why], why === "stopped");
      setSource(null);
      render();
    });
  } catch (e) {
    link = null;
    const code = e instanceof LinkError ? e.code : "connect_failed";
    show(() => T.errors[code]);
  } finally {
    connecting = false;
    $<HTMLButtonElement>("connect").disabled = !navigator.bluetooth;
    $<HTMLButtonElement>("connect").textContent = T.connect;
  }
}

function stopFeed(): void {
  feed?.close();
  feed = null;
}

/** The dashboard's readings (one per minute per room), for browsers without Web Bluetooth. */
function startFeed(): void {
  if (location.protocol === "file:") return show(() => T.errors.noFeed);
  link?.close();
  stopFeed();
  show(null);
  setSource("dashboard");
  render();
  const es = new EventSource("/feed");
  feed = es;
  es.addEventListener("hello", (ev) => {
    const h = JSON.parse((ev as MessageEvent).data) as { broker: boolean };
    show(h.broker ? null : () => T.errors.feedDown);
  });
  es.addEventListener("reading", (ev) => {
    const r = JSON.parse((ev as MessageEvent).data) as FeedReading;
    if (!feedRooms.has(r.room)) {
      feedRooms.add(r.room);
      const o = document.createElement("option");
      o.value = r.room;
      o.textContent = r.name ?? r.room.substring(0, 8);
      $("rooms").append(o);
      $("roomBox").hidden = feedRooms.size < 2;
      if (!feedRoom || !feedRooms.has(feedRoom)) feedRoom = r.room;
      $<HTMLSelectElement>("rooms").value = feedRoom;
    }
    if (r.room !== feedRoom) return;
    if (lastMessage && lastMessage() === T.errors.feedDown) show(null);
    add({
      t: r.t * 1000,
      co2: r.co2,
      temperature: r.temperature,
      humidity: r.humidity,
      signal: r.signal,
      source: "dashboard",
    });
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) show(() => T.errors.feedDown);
  };
}

function mark(kind: Mark["kind"]): void {
  // at the newest reading when that is ahead of this computer's clock (the node's time base)
  const last = session.points[session.points.length - 1];
  session.marks.push({ t: Math.max(Date.now(), last ? last.t : 0), kind });
  saveSession(session);
  render();
}

function downloadCsv(): void {
  const csv = sessionCsv(session, (k) => (k === "open" ? T.markOpen : T.markClosed));
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const d = new Date();
  const room = (session.room || "klas").replace(/[^A-Za-z0-9]+/g, "-");
  a.download = `kijk-mee-${room}-${d.toISOString().slice(0, 10)}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
}

onLanguageButton(
  () => lang,
  (next) => {
    lang = next;
    paint();
  },
);
$("connect").addEventListener("click", () => void connect());
$("feed").addEventListener("click", startFeed);
$("stop").addEventListener("click", () => {
  ended = "stopped";
  void link?.send("stop\n").catch(() => undefined);
});
$("open").addEventListener("click", () => mark("open"));
$("closed").addEventListener("click", () => mark("closed"));
$("csv").addEventListener("click", downloadCsv);
$("rooms").addEventListener("change", () => {
  feedRoom = $<HTMLSelectElement>("rooms").value;
  localStorage.setItem("liot-kijk-mee-room", feedRoom);
  session.points = session.points.filter((p) => p.source !== "dashboard");
  stopFeed();
  startFeed();
});
window.addEventListener("resize", render);
setInterval(render, 1000); // the chart moves even between readings

paint();
setSource(null);
if (session.linked) {
  // the page was reloaded (or the tab restored) while connected: Web Bluetooth dropped the link
  session.linked = false;
  saveSession(session);
  show(() => T.errors.reloaded);
}
if (EspruinoLink.unsupported(env())) {
  $<HTMLButtonElement>("connect").disabled = true;
  startFeed();
}
