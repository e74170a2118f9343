// Bundle entry for `npm run bench:aes`: protocol's software AES-128 (what Bangle.js 2 signs with:
// its firmware has no crypto.AES) and the band frame encoder, as the firmware ships them, exposed
// as globals for the benchmark script on the real Espruino interpreter.
import { cmacKey, encodeBandAdvert, epochIdentity, softAes128 } from "@leiden-iot/protocol/device";

declare const global: {
  LIOT_AES: typeof softAes128;
  LIOT_CMAC_KEY: typeof cmacKey;
  LIOT_ENCODE: typeof encodeBandAdvert;
  LIOT_IDENTITY: typeof epochIdentity;
};
global.LIOT_AES = softAes128;
global.LIOT_CMAC_KEY = cmacKey;
global.LIOT_ENCODE = encodeBandAdvert;
global.LIOT_IDENTITY = epochIdentity;
