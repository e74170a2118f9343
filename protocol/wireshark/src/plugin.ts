// Entry of dist/wireshark/leiden-iot.lua, the Wireshark plugin: the thin Wireshark glue around
// present.ts. BLE: manufacturer data under company id 0x0590 (btcommon dissector table). LoRaWAN:
// a post-dissector that reads the FRMPayload Wireshark's LoRaWAN dissector decrypted (session keys
// in its "LoRaWAN Encryption Keys" table) and its FPort.
import "./lua-runtime.js";
import { COMPANY_ID } from "../../src/band-advert.js";
import { BLE_FIELDS, LORA_FIELDS } from "../../dist/wireshark/generated/fields.js";
import { allSpecs, type FieldSpec, type Leaf } from "./field-spec.js";
import { decodeLora, isClassroomFrame } from "./frames.js";
import { openDeployment, type Deployment } from "./keys.js";
import {
  IDENTITY_FIELDS,
  presentBle,
  presentLora,
  rejectionFields,
  type ExpertKind,
  type Presenter,
} from "./present.js";

const liot = Proto.new("liot", "Leiden IoT (healthcoin band, Meet de Klas classroom node)");
const liotLora = Proto.new("liot_lora", "Leiden IoT classroom node LoRaWAN payload");

function protoFieldOf(spec: FieldSpec): ProtoField {
  const blurb = spec.blurb === "" ? undefined : spec.blurb;
  if (spec.type === "number")
    return ProtoField.int64(spec.abbrev, spec.name, base.DEC, undefined, undefined, blurb);
  if (spec.type === "string") return ProtoField.string(spec.abbrev, spec.name, undefined, blurb);
  if (spec.type === "boolean")
    return ProtoField.bool(spec.abbrev, spec.name, base.NONE, undefined, undefined, blurb);
  return ProtoField.none(spec.abbrev, spec.name, blurb);
}

/** One ProtoField per abbreviation (a key shared by several frame kinds is one field). */
function registerFields(proto: Proto, specs: FieldSpec[]): Record<string, ProtoField> {
  const byAbbrev: Record<string, ProtoField> = {};
  const list: ProtoField[] = [];
  for (const spec of allSpecs(specs, [])) {
    if (byAbbrev[spec.abbrev] !== undefined) continue;
    const f = protoFieldOf(spec);
    byAbbrev[spec.abbrev] = f;
    list.push(f);
  }
  proto.fields = list;
  return byAbbrev;
}

const bleFields = registerFields(liot, [
  ...BLE_FIELDS,
  ...IDENTITY_FIELDS,
  ...rejectionFields("liot"),
]);
const loraFields = registerFields(liotLora, [...LORA_FIELDS, ...rejectionFields("liot.lora")]);

function experts(prefix: string): Record<ExpertKind, ProtoExpert> {
  return {
    rejected: ProtoExpert.new(
      prefix + ".rejected",
      "Frame rejected",
      expert.group.MALFORMED,
      expert.severity.ERROR,
    ),
    bad_mac: ProtoExpert.new(
      prefix + ".bad_mac",
      "MAC does not verify",
      expert.group.SECURITY,
      expert.severity.WARN,
    ),
    unverified: ProtoExpert.new(
      prefix + ".unverified",
      "MAC not checked",
      expert.group.SECURITY,
      expert.severity.NOTE,
    ),
  };
}
const bleExperts = experts("liot");
const loraExperts = experts("liot.lora");
liot.experts = [bleExperts.rejected, bleExperts.bad_mac, bleExperts.unverified];
liotLora.experts = [loraExperts.rejected, loraExperts.bad_mac, loraExperts.unverified];

liot.prefs["master_key"] = Pref.string(
  "Deployment master key",
  "",
  "32 hex digits. Resolves ephemeral ids to device ids and checks MACs; keep captures and this setting private",
);
liot.prefs["pseudonym_scope"] = Pref.string(
  "Pseudonym scope",
  "",
  "e.g. leiden-pilot-2027: shows each device's pseudonym",
);
liot.prefs["device_ids"] = Pref.string(
  "Device ids",
  "",
  "Ids to try, e.g. 257, 131072-131100 (at most 20000)",
);
liotLora.prefs["all_ports"] = Pref.bool(
  "Decode every fPort",
  false,
  "Also decode (and reject) LoRaWAN frames on fPorts the classroom node does not use",
);

let deployment: Deployment | undefined = undefined;
let deploymentError: string | undefined = undefined;
let deploymentLoaded = false;
liot.prefs_changed = () => {
  deploymentLoaded = false;
};

function currentDeployment(): Deployment | undefined {
  if (!deploymentLoaded) {
    deploymentLoaded = true;
    const d = openDeployment({
      masterKey: tostring(liot.prefs["master_key"] ?? ""),
      pseudonymScope: tostring(liot.prefs["pseudonym_scope"] ?? ""),
      deviceIds: tostring(liot.prefs["device_ids"] ?? ""),
    });
    deployment = typeof d === "string" ? undefined : d;
    deploymentError = typeof d === "string" ? d : undefined;
  }
  return deployment;
}

function bytesOf(range: TvbRange | undefined, ba: ByteArray | undefined): Uint8Array {
  const src = ba ?? (range === undefined ? undefined : range.bytes());
  const n = src === undefined ? 0 : src.len();
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = src!.get_index(i);
  return out;
}

function treePresenter(
  fields: Record<string, ProtoField>,
  ex: Record<ExpertKind, ProtoExpert>,
  range: TvbRange | undefined,
): Presenter<TreeItem> {
  // Wireshark counts a nil argument as a value: call with exactly the arguments that exist.
  const add = (parent: TreeItem, abbrev: string, value: unknown): TreeItem => {
    const field = fields[abbrev]!;
    if (range === undefined)
      return value === undefined ? parent.add(field) : parent.add(field, value);
    return value === undefined ? parent.add(field, range) : parent.add(field, range, value);
  };
  return {
    leaf: (spec: FieldSpec, value: Leaf, parent: TreeItem) => {
      if (typeof value === "number") add(parent, spec.abbrev, Int64.new(value));
      else if (typeof value === "boolean") add(parent, spec.abbrev, value ? 1 : 0);
      else add(parent, spec.abbrev, value);
    },
    group: (spec: FieldSpec, label: string, parent: TreeItem) =>
      add(parent, spec.abbrev, undefined).set_text(label),
    expert: (kind: ExpertKind, text: string, parent: TreeItem) => {
      parent.add_proto_expert_info(ex[kind], text);
    },
  };
}

liot.dissector = (tvb, pinfo, tree) => {
  const n = tvb.len();
  const range = n > 0 ? tvb.range(0, n) : undefined;
  const root = range === undefined ? tree.add(liot) : tree.add(liot, range);
  pinfo.cols.protocol = "LIOT";
  const d = currentDeployment();
  if (deploymentError !== undefined)
    root.add_proto_expert_info(bleExperts.unverified, deploymentError);
  const info = presentBle(
    bytesOf(range, undefined),
    pinfo.abs_ts,
    d,
    root,
    treePresenter(bleFields, bleExperts, range),
  );
  (pinfo.cols.info as Column).set("LIOT " + info);
  return n;
};

const lorawanFPort = Field.new("lorawan.fport");
const lorawanPayload = Field.new("lorawan.frmpayload_decrypted");
const lorawanMType = Field.new("lorawan.mhdr.mtype");

liotLora.dissector = (_tvb, pinfo, tree) => {
  const [port] = lorawanFPort();
  const [payload] = lorawanPayload();
  const [mtype] = lorawanMType();
  if (port === undefined || payload === undefined || mtype === undefined) return;
  const m = mtype.value as number;
  if (m !== 2 && m !== 3 && m !== 4 && m !== 5) return;
  const direction = m === 2 || m === 4 ? "up" : "down";
  const fPort = port.value as number;
  const bytes = bytesOf(payload.range, undefined);
  const allPorts = liotLora.prefs["all_ports"] === true;
  if (!allPorts && !isClassroomFrame(decodeLora(direction, fPort, bytes))) return;
  const root = tree.add(liotLora, payload.range);
  const p = treePresenter(loraFields, loraExperts, payload.range);
  const info = presentLora(direction, fPort, bytes, true, root, p);
  (pinfo.cols.info as Column).append(" LIOT " + (info ?? ""));
};

DissectorTable.get("btcommon.eir_ad.manufacturer_company_id")!.add(COMPANY_ID, liot);
register_postdissector(liotLora);
