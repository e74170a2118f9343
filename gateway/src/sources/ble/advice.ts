// What to tell an operator when Bluetooth is not usable.
export type BleProblem = "no_adapter" | "no_permission" | "no_module" | "powered_off" | "hci_error";

export function bluetoothAdvice(p: BleProblem): string {
  switch (p) {
    case "no_adapter":
      return "no Bluetooth adapter: plug in a USB dongle or enable the built-in one (`rfkill unblock bluetooth`, `hciconfig hci0 up`); the gateway runs without the ble source meanwhile";
    case "no_permission":
      return "the process may not open raw HCI sockets: run `sudo setcap cap_net_raw,cap_net_admin+eip $(eval readlink -f $(which node))` (or run as root), then restart";
    case "no_module":
      return "@stoprocent/noble is not installed (optional dependency; needs a C++ toolchain and libbluetooth-dev/libudev-dev): run `npm install -w gateway @stoprocent/noble`";
    case "powered_off":
      return "the Bluetooth adapter is powered off; scanning restarts as soon as it is powered on (`bluetoothctl power on`)";
    case "hci_error":
      return "the Bluetooth adapter reported an HCI error; scanning is restarted automatically";
  }
}
