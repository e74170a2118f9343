export const DEFAULT_PREFIX: string;
export function buildExamples(): Record<string, Record<string, unknown>[]>;
export function serialise(flow: unknown, file?: string): Promise<string>;
