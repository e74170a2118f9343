// The one way a scenario says it could not run (as opposed to failing).

/**
 * Thrown when a scenario cannot run: missing serial port, BLE adapter, a device that does not
 * answer, a pin the rig config does not define. `fix` says what to do. Never reported as passed.
 */
export class NotRunError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = "NotRunError";
  }
}
