export declare const NATIVES_DIR: string;
export declare const NODE_ARCHES: string[];
export declare function sharpNativePackages(arch: string): string[];
export declare function lockedPackage(name: string, lockText?: string): { version: string; integrity: string };
export declare function nativePackageDir(name: string, arch: string): string;
export declare function fetchNative(name: string, arch: string): string;
