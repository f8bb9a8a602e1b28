// Errors a user can act on: where (file:line:col), what is wrong, what is allowed, a hint.

export interface SourcePosition {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export interface Diagnostic extends SourcePosition {
  /** what is wrong, one sentence, no trailing period needed */
  message: string;
  /** what is allowed / did-you-mean / how to fix */
  hint?: string;
  /** a stable machine code, e.g. "yaml", "schema.additionalProperties", "manifest.invalid" */
  code: string;
}

/** Thrown when input (a scenario file, a manifest, a flag) is invalid: the CLI exits 2. */
export class InputError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
    this.diagnostics = diagnostics;
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  return d.hint ? `${where}: ${d.message}\n  hint: ${d.hint}` : `${where}: ${d.message}`;
}
