// Firmata pin names and ranges per board. A pin is a digital number (2..13 on an Uno; 0 and 1
// carry the Firmata serial link) or an analog name ("A0"). Pure, so the rig config can name the
// exact fix for a wrong pin.
export const BOARDS = {
  uno: { digital: [2, 13], analog: 6 },
  nano: { digital: [2, 13], analog: 8 },
  mega: { digital: [2, 53], analog: 16 },
} as const;

export type BoardName = keyof typeof BOARDS;

export type PinRole = "digital" | "analog";

/** Checks a pin against the board; returns an error message naming the fix, or null. */
export function pinProblem(board: BoardName, pin: number | string, role: PinRole): string | null {
  const b = BOARDS[board];
  const analogMax = b.analog - 1;
  if (role === "analog") {
    const m = typeof pin === "string" ? /^A(\d{1,2})$/.exec(pin) : null;
    if (!m)
      return `${JSON.stringify(pin)} is not an analog pin: use A0..A${analogMax} on a ${board}`;
    if (Number(m[1]) > analogMax)
      return `${pin} does not exist on a ${board}: use A0..A${analogMax}`;
    return null;
  }
  if (typeof pin !== "number" || !Number.isInteger(pin))
    return `${JSON.stringify(pin)} is not a digital pin: use a number ${b.digital[0]}..${b.digital[1]} on a ${board}`;
  if (pin === 0 || pin === 1)
    return `pin ${pin} carries the Firmata serial link: use ${b.digital[0]}..${b.digital[1]}`;
  if (pin < b.digital[0] || pin > b.digital[1])
    return `pin ${pin} does not exist on a ${board}: use ${b.digital[0]}..${b.digital[1]}`;
  return null;
}

/** Firmata pin number of an analog name on this board ("A0" on an Uno is pin 14). */
export function analogPinNumber(board: BoardName, name: string): number {
  const n = Number(name.slice(1));
  return BOARDS[board].digital[1] + 1 + n;
}
