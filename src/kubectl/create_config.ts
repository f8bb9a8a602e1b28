// `kubectl create configmap NAME` and `kubectl create secret generic NAME` with --from-literal,
// --from-file=[key=]path and --from-env-file, after staging/src/k8s.io/kubectl/pkg/cmd/create/
// create_configmap.go, create_secret.go and pkg/util (ParseLiteralSource, ParseFileSource,
// env_file.go). Files are read when the scenario is compiled (paths relative to the scenario
// file), so a run never touches the disk; kubectl's own checks (key names, duplicates) run when
// the step runs, so `expectError:` can match them.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { KubectlParseError } from './errors.js';
import { flagList, flagString, type FlagSpec, type ParsedFlags } from './flags.js';
import type { Action } from './types.js';
import type { KubeObject } from '../api/types.js';
import { isConfigMapKey } from '../api/configsecret.js';
import { regexError } from '../api/validation.js';

/** A file named by --from-file/--from-env-file, read at compile time (bytes as base64). */
export type SourceContent = { file: string } | { dir: [name: string, base64: string][] } | { error: string };

export interface ConfigGenerator {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** secret --type (default Opaque) */
  secretType?: string;
  fromLiteral: string[];
  fromFile: string[];
  fromEnvFile: string[];
  /** path as written -> content, filled by readConfigSources */
  contents?: Record<string, SourceContent>;
}

export const CREATE_CONFIG_FLAGS: FlagSpec[] = [
  { name: 'from-literal', type: 'stringArray', help: 'Specify a key and literal value to insert in configmap/secret (i.e. mykey=somevalue)' },
  { name: 'from-file', type: 'stringSlice', help: 'Key file can be specified using its file path, in which case file basename will be used as configmap/secret key, or optionally with a key and file path, in which case the given key will be used.' },
  { name: 'from-env-file', type: 'stringSlice', help: 'Specify the path to a file to read lines of key=val pairs to create a configmap/secret.' },
  { name: 'type', type: 'string', help: 'The type of secret to create' },
];

const CONFIG_FLAG_NAMES = new Set(CREATE_CONFIG_FLAGS.map((f) => f.name));

/** Whether `kubectl create <args>` names a generator this module builds. */
export function isCreateConfig(args: string[]): boolean {
  return args[0] === 'configmap' || args[0] === 'secret';
}

/** Flags of the `create` row that only the generators take (so `create -f` can refuse them). */
export function usesConfigFlags(p: ParsedFlags): string | undefined {
  for (const name of p.values.keys()) if (CONFIG_FLAG_NAMES.has(name)) return name;
  return undefined;
}

export function buildCreateConfig(p: ParsedFlags, ctx: { commandLine: string }): Action {
  const fail = (msg: string, hint?: string): never => {
    throw new KubectlParseError(msg, hint, ctx.commandLine);
  };
  const args = [...p.args];
  const what = args.shift()!;
  let kind: ConfigGenerator['kind'] = 'ConfigMap';
  if (what === 'secret') {
    kind = 'Secret';
    const sub = args.shift();
    if (sub === 'docker-registry' || sub === 'tls') fail(`kubectl create secret ${sub} is not supported yet`, 'use kubectl create secret generic, or write the Secret manifest with its type and keys');
    if (sub !== 'generic') fail(sub === undefined ? 'kubectl create secret needs a subcommand' : `unknown command "${sub}" for "kubectl create secret"`, 'write: kubectl create secret generic NAME --from-literal=key=value');
  }
  for (const f of ['filename', 'recursive']) if (p.values.has(f)) fail(`unknown flag: --${f}`, `kubectl create ${what} builds the object from --from-literal, --from-file and --from-env-file`);
  if (kind === 'ConfigMap' && p.values.has('type')) fail('unknown flag: --type', '--type applies to kubectl create secret generic');
  // create_configmap.go / create_secret.go Complete: exactly one NAME
  if (args.length !== 1) fail(`exactly one NAME is required, got ${args.length}`, `write: kubectl create ${kind === 'Secret' ? 'secret generic' : 'configmap'} NAME [--from-literal=key=value] [--from-file=[key=]path] [--from-env-file=path]`);
  const gen: ConfigGenerator = {
    kind,
    name: args[0],
    fromLiteral: flagList(p, 'from-literal') ?? [],
    fromFile: flagList(p, 'from-file') ?? [],
    fromEnvFile: flagList(p, 'from-env-file') ?? [],
  };
  const type = flagString(p, 'type');
  if (type !== undefined) gen.secretType = type;
  // Validate: env files cannot be mixed with the other sources
  if (gen.fromEnvFile.length > 0 && (gen.fromFile.length > 0 || gen.fromLiteral.length > 0)) {
    fail('from-env-file cannot be combined with from-file or from-literal', 'use either --from-env-file or --from-file/--from-literal');
  }
  const a: Action = { verb: 'create', files: [], generate: gen, commandLine: ctx.commandLine };
  const ns = flagString(p, 'namespace');
  if (ns !== undefined) a.namespace = ns;
  return a;
}

/** ParseFileSource: `path` (the basename is the key) or `key=path` */
export function parseFileSource(source: string): { key: string; file: string } | { error: string } {
  const n = source.split('=').length - 1;
  if (n === 0) return { key: path.posix.basename(source.replace(/\\/g, '/')), file: source };
  if (n === 1 && source.startsWith('=')) return { error: `key name for file path ${source.slice(1)} missing` };
  if (n === 1 && source.endsWith('=')) return { error: `file path for key name ${source.slice(0, -1)} missing` };
  if (n > 1) return { error: "key names or file paths cannot contain '='" };
  const [key, file] = source.split('=');
  return { key, file };
}

/** Read every file a generator names (at compile time); unreadable paths are reported through `report`. */
export function readConfigSources(gen: ConfigGenerator, dir: string, report: (message: string) => void): void {
  const contents: Record<string, SourceContent> = {};
  const read = (file: string, allowDir: boolean) => {
    if (file in contents) return;
    const full = path.resolve(dir, file);
    try {
      const st = statSync(full);
      if (st.isDirectory()) {
        if (!allowDir) {
          contents[file] = { error: `read ${file}: is a directory` };
          return;
        }
        // handleFromFileSources: every regular file in the directory, by name
        const entries = readdirSync(full).sort();
        contents[file] = { dir: entries.filter((e) => statSync(path.join(full, e)).isFile()).map((e) => [e, readFileSync(path.join(full, e)).toString('base64')]) };
        return;
      }
      contents[file] = { file: readFileSync(full).toString('base64') };
    } catch {
      report(`cannot read ${file} (looked for ${full})`);
      contents[file] = { error: `stat ${file}: no such file or directory` };
    }
  };
  for (const src of gen.fromFile) {
    const parsed = parseFileSource(src);
    if ('file' in parsed) read(parsed.file, true);
  }
  for (const f of gen.fromEnvFile) read(f, false);
  gen.contents = contents;
}

const ENV_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** validation.go IsEnvVarName */
function isEnvVarName(v: string): string[] {
  const errs: string[] = [];
  if (!ENV_NAME_RE.test(v)) errs.push(regexError('a valid environment variable name must consist of alphabetic characters, digits, \'_\', \'-\', or \'.\', and must not start with a digit', '[-._a-zA-Z][-._a-zA-Z0-9]*', 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  return errs;
}

/** env_file.go processEnvFileLine over a whole file: KEY=VALUE lines, `#` comments, a UTF-8 BOM dropped */
export function parseEnvFile(text: string, file: string): [string, string][] | { error: string } {
  const out: [string, string][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/\r$/, '');
    if (i === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    const trimmed = line.trimStart();
    if (trimmed.length === 0 || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    const key = eq < 0 ? trimmed.trimEnd() : trimmed.slice(0, eq);
    const errs = isEnvVarName(key);
    if (errs.length) return { error: `${JSON.stringify(key)} is not a valid key name: ${errs.join(';')}` };
    // a line without `=` takes the value from kubectl's own environment: there is none here
    out.push([key, eq < 0 ? '' : trimmed.slice(eq + 1)]);
  }
  void file;
  return out;
}

/** ParseLiteralSource: split at the first `=`; surrounding quotes of the value are dropped */
export function parseLiteralSource(source: string): [string, string] | { error: string } {
  const eq = source.indexOf('=');
  if (eq <= 0) return { error: `invalid literal source ${source}, expected key=value` };
  return [source.slice(0, eq), source.slice(eq + 1).replace(/^["']+|["']+$/g, '')];
}

/**
 * The object kubectl sends: sources in kubectl's order (files, literals, env files), each key
 * checked with IsConfigMapKey and for duplicates. `fail` raises kubectl's error.
 */
export function configObjectFor(gen: ConfigGenerator, namespace: string | undefined, fail: (message: string) => never): KubeObject {
  const isSecret = gen.kind === 'Secret';
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const add = (key: string, bytes: Buffer) => {
    const errs = isConfigMapKey(key);
    if (errs.length) fail(`error: ${JSON.stringify(key)} is not a valid key name for a ${gen.kind}: ${errs.join(',')}`);
    if (key in data) fail(isSecret ? `error: cannot add key ${key}, another key by that name already exists in Data for Secret ${JSON.stringify(gen.name)}` : `error: cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(gen.name)}`);
    if (key in binaryData) fail(`error: cannot add key ${JSON.stringify(key)}, another key by that name already exists in BinaryData for ConfigMap ${JSON.stringify(gen.name)}`);
    if (isSecret) data[key] = bytes.toString('base64');
    else if (isUtf8(bytes)) data[key] = bytes.toString('utf8');
    // a ConfigMap keeps bytes that are not UTF-8 in binaryData
    else binaryData[key] = bytes.toString('base64');
  };
  const content = (file: string): SourceContent => gen.contents?.[file] ?? { error: `stat ${file}: no such file or directory` };
  for (const src of gen.fromFile) {
    const parsed = parseFileSource(src);
    if ('error' in parsed) fail(`error: ${parsed.error}`);
    const { key, file } = parsed as { key: string; file: string };
    const c = content(file);
    if ('error' in c) fail(`error: ${c.error}`);
    if ('dir' in c) {
      if (key !== path.posix.basename(file.replace(/\\/g, '/'))) fail(`error: cannot give a key name for a directory path`);
      for (const [name, b64] of c.dir) add(name, Buffer.from(b64, 'base64'));
    } else add(key, Buffer.from((c as { file: string }).file, 'base64'));
  }
  for (const lit of gen.fromLiteral) {
    const kv = parseLiteralSource(lit);
    if (!Array.isArray(kv)) fail(`error: ${kv.error}`);
    const [k, v] = kv as [string, string];
    add(k, Buffer.from(v, 'utf8'));
  }
  for (const file of gen.fromEnvFile) {
    const c = content(file);
    if ('error' in c) fail(`error: ${c.error}`);
    const pairs = parseEnvFile(Buffer.from((c as { file: string }).file, 'base64').toString('utf8'), file);
    if (!Array.isArray(pairs)) fail(`error: ${pairs.error}`);
    for (const [k, v] of pairs as [string, string][]) add(k, Buffer.from(v, 'utf8'));
  }
  const obj: KubeObject = { apiVersion: 'v1', kind: gen.kind, metadata: { name: gen.name, ...(namespace ? { namespace } : {}) } };
  if (isSecret) obj.type = gen.secretType ?? 'Opaque';
  if (Object.keys(data).length) obj.data = data;
  if (Object.keys(binaryData).length) obj.binaryData = binaryData;
  return obj;
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}
