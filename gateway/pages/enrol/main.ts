// The enrolment page: three steps (enrolment mode -> "Koppel bandje" -> "Bandje 257 werkt").
// Talks to the gateway's enrolment API (gateway/src/enrol/enrol-server.ts) and to the band through
// EspruinoLink (@espruino-tools/core, gateway/src/pages/espruino-link.ts).
import { validRoomName } from "@leiden-iot/protocol/device";
import { EspruinoLink, LinkError } from "../../src/pages/espruino-link.js";
import { onLanguageButton, paintTexts, savedLang, type Lang } from "../language.js";
import { TEXTS, type Texts } from "./texts.js";

interface DeviceInfo {
  kind: "band" | "classroom";
  enrolled: boolean;
  id: number | null;
  open: boolean;
  fw: number;
}

interface Reservation {
  id: number;
  kind: "band" | "classroom";
  request: Record<string, unknown>;
  label: { id: number; date: string };
}

const PENDING = "liot-enrol-pending";
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let lang: Lang = savedLang();
let T: Texts = TEXTS[lang];
let link: EspruinoLink | null = null;
let info: DeviceInfo | null = null;
let busy = false;

function paint(): void {
  T = TEXTS[lang];
  paintTexts(lang, T);
  if (!navigator.bluetooth) $("browser").textContent = T.noBluetooth + " " + T.browser;
  if (lastMessage) show(lastMessage(), lastOk);
  if (lastStatus) $("status").textContent = lastStatus();
}

let lastMessage: (() => string) | null = null;
let lastOk = false;
let lastStatus: (() => string) | null = null;

function show(text: string | (() => string), ok = false): void {
  lastMessage = typeof text === "string" ? () => text : text;
  lastOk = ok;
  const m = $("message");
  m.textContent = lastMessage();
  m.className = ok ? "message ok" : "message";
  m.hidden = false;
}

function clearMessage(): void {
  lastMessage = null;
  $("message").hidden = true;
}

function status(text: () => string, works = false): void {
  lastStatus = text;
  const s = $("status");
  s.textContent = text();
  s.className = works ? "works" : "";
}

function current(step: 1 | 2 | 3): void {
  for (const n of [1, 2, 3]) {
    $("s" + n).classList.toggle("current", n === step);
    $("s" + n).classList.toggle("done", n < step);
  }
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.error));
  }
}

async function api<R = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<R> {
  const res = await fetch(path, {
    method,
    headers: { "content-type": "application/json", "x-liot-enrol": "1" },
    credentials: "same-origin",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new ApiError(res.status, json);
  return json as R;
}

/** A failure whose words the page knows (in the current language). */
class PageError extends Error {
  constructor(readonly text: () => string) {
    super("page");
  }
}

function errorText(e: unknown): () => string {
  if (e instanceof PageError) return e.text;
  if (e instanceof LinkError) return () => T.errors[e.code];
  if (e instanceof ApiError) {
    const code = String(e.body.error);
    if (code === "no_session") return () => T.errors.session;
    if (code === "bad_token" || code === "token_used") return () => T.errors[code];
    return () => T.errors.gateway(e.message);
  }
  return () => T.errors.gateway(String((e as Error)?.message ?? e));
}

function pending(): { id: number } | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as { id?: unknown } | null;
    return v && typeof v.id === "number" ? { id: v.id } : null;
  } catch {
    return null;
  }
}

function setBusy(b: boolean): void {
  busy = b;
  const c = $<HTMLButtonElement>("connect");
  c.disabled = b || !navigator.bluetooth;
  c.textContent = b ? T.busy : T.connect;
}

/** Step 2: connect, ask the band what it is, then enrol (or ask for a reset / a room). */
async function connectClicked(): Promise<void> {
  if (busy) return;
  clearMessage();
  $("reset").hidden = true;
  $("roomBox").hidden = true;
  setBusy(true);
  try {
    link?.close();
    link = new EspruinoLink({
      bluetooth: navigator.bluetooth as never,
      document,
      hostname: location.hostname,
      protocol: location.protocol,
    });
    await link.connect();
    info = await link.eval<DeviceInfo>("liot.info()");
    if (!info || typeof info !== "object" || typeof info.enrolled !== "boolean")
      throw new LinkError("garbled", "no liot.info()");
    const p = pending();
    if (p) {
      if (info.enrolled && info.id === p.id) {
        // The band stored it before the page lost the answer (reload, drop): record it now.
        sessionStorage.removeItem(PENDING);
        const e = await api<Reservation>("POST", `/api/enrolments/${p.id}/stored`);
        link.close();
        return waitForWorks(e.id, e.kind, e.label);
      }
      sessionStorage.removeItem(PENDING);
      await api("POST", `/api/enrolments/${p.id}/cancel`).catch(() => undefined);
    }
    if (info.enrolled) {
      $("resetTitle").textContent = T.resetTitle(info.id);
      $<HTMLInputElement>("resetCheck").checked = false;
      $<HTMLButtonElement>("resetButton").disabled = true;
      $("reset").hidden = false;
      return;
    }
    if (info.kind === "classroom") {
      $("roomBox").hidden = false;
      $("room").focus();
      return;
    }
    await enrol(false);
  } catch (e) {
    link?.close();
    show(errorText(e));
  } finally {
    setBusy(false);
  }
}

async function enrol(reset: boolean, room?: string): Promise<void> {
  if (!link || !info) return;
  const r = await api<Reservation>("POST", "/api/enrolments", {
    device: info,
    reset,
    ...(room ? { room } : {}),
  });
  sessionStorage.setItem(PENDING, JSON.stringify({ id: r.id }));
  const request = { ...r.request, t: Math.floor(Date.now() / 1000) };
  let answer: { ok?: boolean; error?: string; id?: number };
  try {
    answer = await link.call("liot.enrol", request);
  } catch (e) {
    // Unknown whether the band stored it: the pending id stays until the next connect tells.
    link.close();
    throw e;
  }
  if (!answer || answer.ok !== true || answer.id !== r.id) {
    sessionStorage.removeItem(PENDING);
    await api("POST", `/api/enrolments/${r.id}/cancel`).catch(() => undefined);
    link.close();
    const f = String(answer?.error ?? "?");
    if (f === "closed") throw new PageError(() => T.errors.closed);
    throw new PageError(() => T.errors.refused(f));
  }
  const e = await api<Reservation>("POST", `/api/enrolments/${r.id}/stored`);
  sessionStorage.removeItem(PENDING);
  link.close();
  waitForWorks(e.id, e.kind, e.label);
}

let pollTimer: ReturnType<typeof setTimeout> | null = null;

/** Step 3: poll until the gateway accepted the band's first authenticated advert. */
function waitForWorks(id: number, kind: string, label: { id: number; date: string }): void {
  current(3);
  clearMessage();
  $("labelId").textContent = T.device(kind) + " " + label.id;
  $("labelDate").textContent = label.date;
  $("labelBox").hidden = false;
  status(() => T.waiting(id, kind));
  const started = Date.now();
  const poll = async () => {
    try {
      const s = await api<{ state: string }>("GET", `/api/enrolments/${id}`);
      if (s.state === "works") {
        status(() => T.works(id, kind), true);
        return;
      }
    } catch (e) {
      show(errorText(e));
    }
    if (Date.now() - started > 90_000) status(() => T.slow(id));
    pollTimer = setTimeout(poll, 1000);
  };
  void poll();
}

async function start(): Promise<void> {
  paint();
  current(1);
  setBusy(false);
  const token = /^#token=([A-Za-z0-9_-]+)$/.exec(location.hash)?.[1];
  try {
    if (token) {
      history.replaceState(null, "", location.pathname);
      await api("POST", "/api/session", { token });
    } else await api("GET", "/api/session");
  } catch (e) {
    show(errorText(e));
    $<HTMLButtonElement>("connect").disabled = true;
    return;
  }
  const unsupported = EspruinoLink.unsupported({
    bluetooth: navigator.bluetooth as never,
    document,
    hostname: location.hostname,
    protocol: location.protocol,
  });
  if (unsupported) show(errorText(unsupported));
  const p = pending();
  if (p) show(() => T.pending(p.id));
  current(2);
}

onLanguageButton(
  () => lang,
  (next) => {
    lang = next;
    paint();
    setBusy(busy);
  },
);
$("connect").addEventListener("click", () => void connectClicked());
$("resetCheck").addEventListener("change", (ev) => {
  $<HTMLButtonElement>("resetButton").disabled = !(ev.target as HTMLInputElement).checked;
});
$("resetButton").addEventListener("click", () => {
  if (!$<HTMLInputElement>("resetCheck").checked) return;
  $("reset").hidden = true;
  setBusy(true);
  enrol(true)
    .catch((e) => {
      link?.close();
      show(errorText(e));
    })
    .finally(() => setBusy(false));
});
$("roomButton").addEventListener("click", () => {
  const room = $<HTMLInputElement>("room").value.trim();
  // protocol's rule, checked again by the gateway and by the node
  if (!validRoomName(room)) return show(() => T.roomBad);
  clearMessage();
  $("roomBox").hidden = true;
  setBusy(true);
  enrol(false, room)
    .catch((e) => {
      link?.close();
      show(errorText(e));
    })
    .finally(() => setBusy(false));
});
$("print").addEventListener("click", () => window.print());
$("next").addEventListener("click", () => {
  if (pollTimer) clearTimeout(pollTimer);
  lastStatus = null;
  $("status").className = "";
  $("labelBox").hidden = true;
  paint();
  $("status").textContent = T.step3Text;
  clearMessage();
  current(2);
});
void start();
