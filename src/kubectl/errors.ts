// The one error type of the kubectl front end. `message` says what is wrong (in kubectl's words
// where kubectl has words for it); `hint` says what is allowed or what was probably meant.

export class KubectlParseError extends Error {
  readonly hint?: string;
  /** the command line being parsed, when known */
  readonly commandLine?: string;
  constructor(message: string, hint?: string, commandLine?: string) {
    super(message);
    this.name = 'KubectlParseError';
    this.hint = hint;
    this.commandLine = commandLine;
  }
}
