// What the lns-mqtt source needs from the gateway config (sources.lnsMqtt in config/schema.ts,
// whose type is assignable to this), and the default topic per network server.

export type LnsFlavour = "ttn" | "chirpstack";

export interface LnsMqttSettings {
  /** mqtt://host:1883, mqtts://host:8883 (TLS), ws:// or wss://. */
  url: string;
  /** "ttn": The Things Stack v3 (TTN, TTI); "chirpstack": ChirpStack v4. */
  flavour: LnsFlavour;
  topic?: string | undefined;
  /** TTS: <application>@<tenant>; ChirpStack: as set up on its broker. */
  username?: string | undefined;
  /** TTS: an API key with "Read application traffic". A secret: never logged. */
  password?: string | undefined;
  /** PEM file paths. */
  tls?:
    | {
        ca?: string | undefined;
        cert?: string | undefined;
        key?: string | undefined;
        rejectUnauthorized: boolean;
      }
    | undefined;
  /** A fixed client id makes the session persistent: the broker keeps QoS 1 uplinks while the
   * gateway is away (ChirpStack's Mosquitto does; TTS's MQTT server is QoS 0 only). */
  clientId?: string | undefined;
  /** Subscription QoS: default 1, but 0 for ttn (TTS's MQTT server offers QoS 0 only). */
  qos?: 0 | 1 | undefined;
}

/**
 * The topic filter the source subscribes to. TTS: the MQTT credentials are per application, so
 * "+" in the application part matches exactly that application (<app>@<tenant>).
 */
export function lnsTopic(c: Pick<LnsMqttSettings, "flavour" | "topic">): string {
  if (c.topic) return c.topic;
  return c.flavour === "ttn" ? "v3/+/devices/+/up" : "application/+/device/+/event/up";
}
