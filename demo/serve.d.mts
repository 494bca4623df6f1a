// Types of serve.mjs (imported by the browser tests).
export function serveDemo(options?: {
  port?: number;
  host?: string;
}): Promise<{ url: string; port: number; stop: () => Promise<void> }>;
export function buildDemo(outdir?: string): Promise<string>;
