// API errors shaped like the apiserver's Status responses (reason + message), with messages
// written as kubectl prints them.

export type StatusReason = 'NotFound' | 'AlreadyExists' | 'Invalid' | 'Conflict' | 'BadRequest' | 'Forbidden' | 'MethodNotAllowed' | 'TooManyRequests' | 'InternalError';

export class ApiError extends Error {
  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly causes: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Run an API write: the ApiError it fails with (a controller's `err != nil`), other throws rethrown. */
export function apiError(fn: () => unknown): ApiError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
}

/** Run an API write, treating NotFound as done (the object is already gone). */
export function ignoreNotFound(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
  }
}

/** The "resource" string kubectl prints in errors: `pods "x" not found`, `deployments.apps "x" ...`. */
export function resourceString(kind: string, apiVersion: string): string {
  const plural = pluralOf(kind);
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group ? `${plural}.${group}` : plural;
}

export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === 'endpoints') return lower;
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

export function notFound(kind: string, apiVersion: string, name: string): ApiError {
  return new ApiError('NotFound', `${resourceString(kind, apiVersion)} "${name}" not found`);
}

export function alreadyExists(kind: string, apiVersion: string, name: string): ApiError {
  return new ApiError('AlreadyExists', `${resourceString(kind, apiVersion)} "${name}" already exists`);
}

/** `Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, ...]` */
export function invalid(kind: string, apiVersion: string, name: string, causes: string[]): ApiError {
  const group = apiVersion.includes('/') ? `.${apiVersion.split('/')[0]}` : '';
  const body = causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`;
  return new ApiError('Invalid', `${kind}${group} "${name}" is invalid: ${body}`, causes);
}
