// Web Bluetooth is not in TypeScript's DOM lib; the pages only test for it and hand it on.
interface Navigator {
  bluetooth?: unknown;
}
