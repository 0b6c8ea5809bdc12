import type { Browser } from 'playwright-core';

export declare const CHROMIUM: string;
export declare function chromiumAvailable(): boolean;
export declare function launchChromium(): Promise<Browser>;
export declare function bundleForBrowser(
  entry: string,
  outfile: string,
  options?: { external?: string[]; alias?: Record<string, string>; builtins?: string[] },
): void;
export interface TestSite {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}
export declare function openSite(dir: string): Promise<TestSite>;
