// The test's clock, shared by the rig's bench, the observers and the simulator.

/** Test time in unix milliseconds: virtual in the simulator, the wall clock on the rig. */
export interface TestClock {
  now(): number;
  /** Lets ms pass: the simulator runs the device for ms of virtual time, the rig sleeps. */
  wait(ms: number): Promise<void>;
}
