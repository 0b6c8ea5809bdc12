export declare const ROOT: string;
export interface PackageInfo {
  name: string;
  version: string;
  dir: string;
}
export declare function publishablePackages(): PackageInfo[];
export declare function packPackages(destination: string): (PackageInfo & {
  tarball: string;
  integrity: string;
  manifest: { dependencies?: Record<string, string>; bin?: Record<string, string>; [key: string]: unknown };
})[];
