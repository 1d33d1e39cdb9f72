export declare const LAYER_NODEJS_DIR: string;
export declare function sharpVersion(): string;
export declare function npmInstallArgs(version: string, prefix: string): string[];
