// LoRa time on air (Semtech AN1200.13), for the fair-use budget and the README's airtime table.

/** LoRaWAN overhead around the application payload: MHDR 1 + FHDR 7 + FPort 1 + MIC 4. */
export const LORAWAN_OVERHEAD_BYTES = 13;

/** Maximum application payload per EU868 data rate DR0..DR5 (SF12..SF7, 125 kHz). */
export const EU868_MAX_PAYLOAD = [51, 51, 51, 115, 222, 222];

/** Airtime in ms of an uplink with `payloadBytes` of application payload at SF7..SF12, 125 kHz, CR 4/5. */
export function loraAirtimeMs(payloadBytes: number, sf: number): number {
  const bw = 125000;
  const pl = payloadBytes + LORAWAN_OVERHEAD_BYTES;
  const tSym = (Math.pow(2, sf) / bw) * 1000;
  const de = sf >= 11 ? 1 : 0; // low data rate optimisation, mandatory for SF11/12 at 125 kHz
  const crc = 1;
  const ih = 0;
  const cr = 1;
  const num = 8 * pl - 4 * sf + 28 + 16 * crc - 20 * ih;
  const payloadSymbols = 8 + Math.max(Math.ceil(num / (4 * (sf - 2 * de))) * (cr + 4), 0);
  return (8 + 4.25) * tSym + payloadSymbols * tSym;
}

/** EU868 data rate of a spreading factor at 125 kHz: SF12 -> DR0 ... SF7 -> DR5. */
export function dataRateOfSf(sf: number): number {
  return 12 - sf;
}
