// A test CA and a server certificate it signed (CN localhost, SAN localhost and 127.0.0.1), made
// with openssl in dir, for brokers with TLS in the tests.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=liot-test-ca",
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.crt"),
  );
  ssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    f("server.key"),
    "-out",
    f("server.csr"),
  );
  const ext = f("ext.cnf");
  writeFileSync(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  ssl(
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.crt"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    ext,
    "-out",
    f("server.crt"),
  );
  return { ca: f("ca.crt"), cert: f("server.crt"), key: f("server.key") };
}
