// The classroom's three-colour signal: presets and rule live in protocol/ (co2-signal.ts), so the
// node's LED and the teacher dashboard cannot disagree.
export {
  findCo2Preset,
  nextLevel as nextSignal,
  presetThresholds,
  defaultCo2Preset,
  type SignalThresholds as Thresholds,
} from "@leiden-iot/protocol/device";
