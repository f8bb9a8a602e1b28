// Types of scripts/docs-schema.mjs, for the test that checks the generated doc.
export declare const SCHEMA_FILE: string;
export declare const DOC_FILE: string;
export declare function renderScenarioLanguage(schema: Record<string, unknown>): string;
export declare function typeText(node: Record<string, unknown>): string;
export declare function allowedText(node: Record<string, unknown>): string;
export declare function defaultText(node: Record<string, unknown>): string | undefined;
export declare function md(text: string): string;
