// Test-only Web Bluetooth, injected into the page before its scripts run. It forwards the Nordic
// UART service to a stand-in device in the test process (ble-stand.ts: the firmware simulator
// running the shipped bundle) through the binding window.__liotBle, and is no kinder than a real
// Chrome on a real Puck.js:
// - requestDevice needs a user gesture (transient activation) and honours the filters; closing
//   the chooser is a NotFoundError, as in Chrome;
// - a write is at most 20 bytes (default ATT MTU), one at a time; notifications arrive as 20-byte
//   chunks, in their own tasks, only after the write's promise resolved;
// - the device can vanish mid-transfer: gattserverdisconnected fires and pending calls reject.
type Call = (op: string, args: unknown) => Promise<Record<string, unknown>>;
type Listener = (ev: { target: unknown }) => void;

interface Push {
  id: string;
  type: "notify" | "disconnected";
  data?: string;
}

const NUS = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";
const NUS_TX = "6e400002-b5a3-f393-e0a9-e50e24dcca9e"; // central writes
const NUS_RX = "6e400003-b5a3-f393-e0a9-e50e24dcca9e"; // device notifies
const w = window as unknown as {
  __liotBle: Call;
  __liotBlePush: (p: Push) => void;
};

function domError(name: string, message: string): Error {
  return new DOMException(message, name);
}

class Characteristic {
  value: DataView | null = null;
  private listeners: Listener[] = [];
  constructor(
    readonly device: Device,
    readonly uuid: string,
  ) {}
  toJSON(): object {
    return {}; // like Chrome's platform objects
  }
  addEventListener(type: string, fn: Listener): void {
    if (type === "characteristicvaluechanged") this.listeners.push(fn);
  }
  removeEventListener(type: string, fn: Listener): void {
    this.listeners = this.listeners.filter((l) => l !== fn);
  }
  async startNotifications(): Promise<this> {
    this.device.checkConnected();
    if (this.uuid !== NUS_RX) throw domError("NotSupportedError", "GATT operation not permitted.");
    this.device.notifying = this;
    return this;
  }
  async writeValue(buf: BufferSource): Promise<void> {
    return this.write(buf);
  }
  async writeValueWithResponse(buf: BufferSource): Promise<void> {
    return this.write(buf);
  }
  private async write(buf: BufferSource): Promise<void> {
    this.device.checkConnected();
    if (this.uuid !== NUS_TX) throw domError("NotSupportedError", "GATT operation not permitted.");
    const bytes =
      buf instanceof ArrayBuffer
        ? new Uint8Array(buf)
        : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    if (bytes.length > 20)
      throw domError("NetworkError", "GATT operation failed for unknown reason.");
    if (this.device.writing) throw domError("NetworkError", "GATT operation already in progress.");
    this.device.writing = true;
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    try {
      const r = await w.__liotBle("write", { id: this.device.id, data: s });
      if (!r.ok) {
        throw domError(String(r.name), String(r.message));
      }
      // Notifications of this write only after its promise resolved (queued, own tasks).
      for (const chunk of (r.notify as string[]) ?? []) this.device.queue(chunk);
    } finally {
      this.device.writing = false;
    }
  }
  deliver(chunk: string): void {
    const bytes = new Uint8Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) bytes[i] = chunk.charCodeAt(i) & 0xff;
    this.value = new DataView(bytes.buffer);
    for (const l of this.listeners.slice()) l({ target: this });
  }
}

class Service {
  readonly tx: Characteristic;
  readonly rx: Characteristic;
  constructor(readonly device: Device) {
    this.tx = new Characteristic(device, NUS_TX);
    this.rx = new Characteristic(device, NUS_RX);
  }
  toJSON(): object {
    return {};
  }
  async getCharacteristic(uuid: string): Promise<Characteristic> {
    this.device.checkConnected();
    if (uuid === NUS_TX) return this.tx;
    if (uuid === NUS_RX) return this.rx;
    throw domError(
      "NotFoundError",
      "No Characteristics matching UUID " + uuid + " found in Service.",
    );
  }
}

class Device {
  connected = false;
  writing = false;
  notifying: Characteristic | null = null;
  service: Service | null = null;
  private listeners: (() => void)[] = [];
  private pending: string[] = [];
  private draining = false;
  readonly gatt = {
    device: this as Device,
    get connected() {
      return this.device.connected;
    },
    connect: () => this.connect(),
    disconnect: () => {
      if (!this.connected) return;
      void w.__liotBle("disconnect", { id: this.id });
      this.dropped();
    },
    getPrimaryService: async (uuid: string) => {
      this.checkConnected();
      if (uuid !== NUS)
        throw domError("NotFoundError", "No Services matching UUID " + uuid + " found in Device.");
      return this.service!;
    },
  };
  constructor(
    readonly id: string,
    readonly name: string,
  ) {}
  toJSON(): object {
    return {};
  }
  addEventListener(type: string, fn: () => void): void {
    if (type === "gattserverdisconnected") this.listeners.push(fn);
  }
  removeEventListener(_type: string, fn: () => void): void {
    this.listeners = this.listeners.filter((l) => l !== fn);
  }
  checkConnected(): void {
    if (!this.connected)
      throw domError(
        "NetworkError",
        "GATT Server is disconnected. Cannot perform GATT operations.",
      );
  }
  private async connect() {
    const r = await w.__liotBle("connect", { id: this.id });
    if (!r.ok) throw domError(String(r.name), String(r.message));
    this.connected = true;
    this.service = new Service(this);
    return this.gatt;
  }
  queue(chunk: string): void {
    this.pending.push(chunk);
    if (!this.draining) {
      this.draining = true;
      setTimeout(() => this.drain(), 2);
    }
  }
  private drain(): void {
    const c = this.pending.shift();
    if (c === undefined || !this.connected) {
      this.draining = false;
      this.pending = [];
      return;
    }
    this.service?.rx.deliver(c);
    setTimeout(() => this.drain(), 2);
  }
  dropped(): void {
    if (!this.connected) return;
    this.connected = false;
    this.pending = [];
    for (const l of this.listeners.slice()) l();
  }
}

const devices = new Map<string, Device>();

w.__liotBlePush = (p: Push) => {
  const d = devices.get(p.id);
  if (!d) return;
  if (p.type === "notify" && p.data !== undefined) {
    if (d.connected) d.queue(p.data);
  } else if (p.type === "disconnected") {
    // let queued notifications that arrived before the drop go first
    setTimeout(() => d.dropped(), 20);
  }
};

const bluetooth = {
  async getAvailability() {
    return true;
  },
  async requestDevice(options: unknown) {
    const active = navigator.userActivation ? navigator.userActivation.isActive : true;
    if (!active)
      throw domError(
        "SecurityError",
        "Must be handling a user gesture to show a permission request.",
      );
    const r = await w.__liotBle("request", { options });
    if (!r.ok) throw domError(String(r.name), String(r.message));
    const id = String(r.id);
    let d = devices.get(id);
    if (!d) {
      d = new Device(id, String(r.name));
      devices.set(id, d);
    }
    return d;
  },
};

Object.defineProperty(navigator, "bluetooth", { value: bluetooth, configurable: true });
