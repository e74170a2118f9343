// The command-line options of the scripts that talk to a device (npm run flash, npm run
// provision): which firmware, which board, which port. One place, so both say the same.
export const DEVICE_OPTIONS = {
  device: { choices: ["band", "classroom"], default: "band", help: "which firmware / device" },
  board: {
    choices: ["puckjs2", "banglejs2"],
    default: "puckjs2",
    help: "the device's board (classroom: puckjs2 only)",
  },
  port: {
    value: "<ble-address|tty>",
    help: "the device: BLE address aa:bb:cc:dd:ee:ff or a serial port like /dev/ttyACM0 (required)",
  },
} as const;

export const PORT_REQUIRED =
  "--port is required: the device's BLE address (aa:bb:cc:dd:ee:ff) or /dev/ttyACM0";
