// Building blocks of the example flows: the shared config nodes (broker, dashboard, theme) with
// fixed ids, and small node factories. Used by examples.mjs.

export const DEFAULT_PREFIX = "leiden/demo";

export const broker = {
  id: "liot-broker",
  type: "mqtt-broker",
  name: "Leiden IoT broker",
  broker: "127.0.0.1",
  port: "1883",
  clientid: "leiden-iot-flows",
  autoConnect: true,
  usetls: false,
  protocolVersion: "5",
  keepalive: "30",
  cleansession: false,
  autoUnsubscribe: false,
  sessionExpiry: "86400",
  birthTopic: "",
  closeTopic: "",
  willTopic: "",
};

export const uiBase = {
  id: "liot-ui-base",
  type: "ui-base",
  name: "Leiden IoT",
  path: "/dashboard",
  includeClientData: true,
  acceptsClientConfig: ["ui-notification", "ui-control"],
  showPathInSidebar: false,
  // the pages draw their own header, menu and language switch (every word follows the switch)
  headerContent: "none",
  navigationStyle: "none",
  titleBarStyle: "hidden",
  showReconnectNotification: true,
  notificationDisplayTime: 1,
  showDisconnectNotification: true,
  allowInstall: false,
};

export const uiTheme = {
  id: "liot-ui-theme",
  type: "ui-theme",
  name: "Leiden IoT",
  colors: {
    surface: "#1565c0",
    primary: "#1565c0",
    bgPage: "#eceff1",
    groupBg: "#eceff1",
    groupOutline: "#eceff1",
  },
  sizes: {
    density: "default",
    pagePadding: "16px",
    groupGap: "16px",
    groupBorderRadius: "8px",
    widgetGap: "12px",
  },
};

export function page(id, name, path, icon, order) {
  return {
    id,
    type: "ui-page",
    name,
    ui: "liot-ui-base",
    path,
    icon,
    layout: "grid",
    theme: "liot-ui-theme",
    breakpoints: [
      { name: "Default", px: "0", cols: "3" },
      { name: "Tablet", px: "576", cols: "6" },
      { name: "Desktop", px: "1024", cols: "12" },
    ],
    order,
    className: "",
    visible: "true",
    disabled: "false",
  };
}

export function group(id, name, pageId) {
  return {
    id,
    type: "ui-group",
    name,
    page: pageId,
    width: "12",
    height: "1",
    order: 1,
    showTitle: false,
    className: "",
    visible: "true",
    disabled: "false",
    groupType: "default",
  };
}

export function tab(id, label, info) {
  return { id, type: "tab", label, disabled: false, info };
}

export function mqttIn(id, z, topic, wire, x, y) {
  return {
    id,
    type: "mqtt in",
    z,
    name: "",
    topic,
    qos: "1",
    datatype: "buffer",
    broker: "liot-broker",
    nl: false,
    rap: true,
    rh: 0,
    inputs: 0,
    x,
    y,
    wires: [[wire]],
  };
}

export function catchAll(id, z, y) {
  return [
    {
      id,
      type: "catch",
      z,
      name: "errors",
      scope: null,
      uncaught: false,
      x: 120,
      y,
      wires: [[id + "-debug"]],
    },
    {
      id: id + "-debug",
      type: "debug",
      z,
      name: "error",
      active: true,
      tosidebar: true,
      console: false,
      tostatus: true,
      complete: "error",
      targetType: "msg",
      statusVal: "error.message",
      statusType: "msg",
      x: 300,
      y,
      wires: [],
    },
  ];
}
