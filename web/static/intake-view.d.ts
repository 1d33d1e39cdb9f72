// Types of intake-view.js (a plain browser module shared with the tests).
export declare const STATUS_LABELS: Readonly<Record<string, string>>;
export declare function statusLabel(code: string): string;
export declare function originalFileName(name: string): string;
export declare const SCAN_EXTENSIONS: readonly string[];
export declare function unsupportedReason(name: string): string | null;
