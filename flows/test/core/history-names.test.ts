// The classroom names table (names.yaml): names per language, by pseudonym or a prefix, and
// errors that name the entry to fix.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { classroomLabel } from "../../src/core/history.js";
import { namesFromTable } from "../../src/core/history-names.js";

const P = "3f2a9c1e-7b4d-8e21-9a0f-112233445566";

describe("names table", () => {
  it("names rooms by pseudonym or prefix, in one or both languages", () => {
    const names = namesFromTable(
      parse(`classrooms:\n  ${P}: Aula\n  9b0c41d2: { nl: Gymzaal, en: Gym }\n`),
    );
    if (typeof names === "string") throw new Error(names);
    expect(classroomLabel(P, names)).toEqual({ nl: "Aula", en: "Aula" });
    expect(classroomLabel("9b0c41d2-0000-8000-8000-000000000000", names)).toEqual({
      nl: "Gymzaal",
      en: "Gym",
    });
    expect(classroomLabel("aaaabbbb-0000-8000-8000-000000000000", names)).toEqual({
      nl: "Lokaal aaaa",
      en: "Classroom aaaa",
    });
  });
  it("an empty file is an empty table", () => {
    expect(namesFromTable(parse(""))).toEqual({});
  });
  it.each([
    [`klassen:\n  ${P}: Aula\n`, /unknown key `klassen`/],
    [`classrooms:\n  9b0c: Aula\n`, /classrooms.9b0c: the key must be a pseudonym or its first 8/],
    [
      `classrooms:\n  ${P}: { nl: Aula, de: Aula }\n`,
      /give a name, or `\{ nl: \.\.\., en: \.\.\. \}`/,
    ],
    [`classrooms:\n  ${P}: 12\n`, /give a name/],
    [`- ${P}\n`, /expected `classrooms:`/],
  ])("rejects %j naming the entry", (text, message) => {
    expect(namesFromTable(parse(text))).toMatch(message);
  });
});
