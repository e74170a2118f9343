// The room-name rule the enrolment page, the gateway and the classroom node all apply.
import { describe, expect, it } from "vitest";
import { ROOM_NAME_MAX, validRoomName } from "../src/index.js";

describe("validRoomName", () => {
  it("takes what a teacher types: letters, digits, spaces and signs, 1 to 24 characters", () => {
    for (const ok of ["Lokaal 2.12", "Groep 7/8", "a", "x".repeat(ROOM_NAME_MAX), "Bieb #1 (oud)"])
      expect(validRoomName(ok), ok).toBe(true);
  });

  it("refuses what would break liot.cfg's JSON or the BLE name, and non-strings", () => {
    const bad: unknown[] = ["", "x".repeat(ROOM_NAME_MAX + 1), 'de "grote" zaal', "a\\b"];
    bad.push("tab\there", "regel\nbreuk", "Café", "\u007f", 12, null, undefined, ["Lokaal"]);
    for (const v of bad) expect(validRoomName(v), JSON.stringify(v)).toBe(false);
  });
});
