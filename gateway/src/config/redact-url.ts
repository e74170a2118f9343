// Credentials in a URL (mqtt://user:password@host, mqtts://token@host) never reach a log line, an
// advice text, the health message or `config` output.
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i;

export function redactUrl(url: string): string {
  return url.replace(USERINFO, "$1***@");
}

export function hasUserInfo(s: string): boolean {
  return USERINFO.test(s);
}
