// Helpers for the enrolment tests: a small HTTP client for the enrolment API that keeps its session cookie.
export class EnrolClient {
  cookie = "";
  constructor(readonly base: string) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: {
        "x-liot-enrol": "1",
        "content-type": "application/json",
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
}

export const NEW_BAND = { kind: "band", enrolled: false, id: null, fw: 1 };
