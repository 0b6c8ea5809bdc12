export declare const ROOT: string;
export interface PackageInfo {
  name: string;
  version: string;
  dir: string;
}
export declare function publishablePackages(): PackageInfo[];
export declare function packPackages(destination: string): (PackageInfo & { tarball: string })[];
