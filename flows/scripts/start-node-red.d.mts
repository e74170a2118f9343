import type { ChildProcess } from "node:child_process";

export interface StartOptions {
  port?: number;
  brokerUrl?: string;
  prefix?: string;
  userDir?: string;
  clientId?: string;
  rewardsUrl?: string;
  webhookUrl?: string;
  resetFlows?: boolean;
  env?: Record<string, string>;
  startTimeoutMs?: number;
  patchFlows?: (flows: Record<string, unknown>[]) => void;
  log?: (text: string) => void;
}

export interface RunningNodeRed {
  url: string;
  editorUrl: string;
  dashboardUrl: string;
  organisationUrl: string;
  userDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function deployableFlows(o: {
  brokerUrl: string;
  prefix: string;
  clientId: string;
}): Record<string, unknown>[];
export function startNodeRed(opts?: StartOptions): Promise<RunningNodeRed>;

export function ensureBuilt(force?: boolean): void;
export function startDemoRewardsApi(
  port?: number,
  log?: (line: string) => void,
): Promise<{ url: string; close(): Promise<void> }>;
