// Ambient declarations of the Espruino globals the board adapters use. Only src/hal/* may use them.
/* eslint-disable @typescript-eslint/no-explicit-any */

export interface EspruinoPin {
  write(v: boolean | number): void;
  set(): void;
  reset(): void;
  read(): boolean;
}

declare global {
  // These exist on Espruino (and in the simulator's vm context), never on Node.
  const NRF: any;
  const E: any;
  const Puck: any;
  const Bangle: any;
  const Serial1: any;
  const I2C1: any;
  const LED1: EspruinoPin;
  const LED2: EspruinoPin;
  const LED3: EspruinoPin;
  const BTN: any;
  const D1: any;
  const D2: any;
  const D3: any;
  const D28: any;
  const D29: any;
  function getTime(): number;
  function setTime(t: number): void;
  function setWatch(fn: (e: any) => void, pin: any, opts: any): number;
  function digitalPulse(pin: any, value: boolean | number, ms: number): void;
  function digitalWrite(pin: any, value: boolean | number): void;
  function analogRead(pin: any): number;
}

export {};
