// The text of `kubectl patch -p`: kubectl converts it with yaml.ToJSON (sigs.k8s.io/yaml, a YAML 1.1
// reader), so YAML is accepted as well as JSON (staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go
// RunPatch). Its shape is checked here so a malformed patch is a load-time error, not a failure at
// some virtual time in the middle of a run.

import { parse as parseYaml } from 'yaml';
import { KubectlParseError } from './errors.js';

export type PatchType = 'strategic' | 'merge' | 'json';

const JSON_PATCH_OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parsePatchText(text: string, type: PatchType): unknown {
  let value: unknown;
  try {
    value = parseYaml(text, { version: '1.1', prettyErrors: false });
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new KubectlParseError(
      `unable to parse "${text}": ${why}`,
      `the patch must be JSON or YAML; quote it in single quotes: -p '{"spec":{...}}'`,
    );
  }
  if (type === 'json') {
    if (!Array.isArray(value)) {
      throw new KubectlParseError(
        `unable to parse "${text}": a JSON patch (--type=json) must be a list of operations`,
        `e.g. -p '[{"op":"replace","path":"/spec/replicas","value":3}]'`,
      );
    }
    value.forEach((op, i) => {
      if (!isObject(op)) {
        throw new KubectlParseError(`invalid JSON patch operation ${i}: must be an object`, 'each operation is {"op": ..., "path": ...}');
      }
      const kind = op.op;
      if (typeof kind !== 'string' || !JSON_PATCH_OPS.includes(kind)) {
        throw new KubectlParseError(
          `Unexpected kind: ${typeof kind === 'string' ? kind : JSON.stringify(kind ?? null)}`,
          `operation ${i}: "op" must be one of ${JSON_PATCH_OPS.join(', ')}`,
        );
      }
      if (typeof op.path !== 'string') {
        throw new KubectlParseError(`invalid JSON patch operation ${i} (${kind}): missing "path"`, 'a path is a JSON pointer such as /spec/replicas');
      }
      if ((kind === 'move' || kind === 'copy') && typeof op.from !== 'string') {
        throw new KubectlParseError(`invalid JSON patch operation ${i} (${kind}): missing "from"`, `${kind} needs a "from" JSON pointer`);
      }
      if ((kind === 'add' || kind === 'replace' || kind === 'test') && !('value' in op)) {
        throw new KubectlParseError(`invalid JSON patch operation ${i} (${kind}): missing "value"`, `${kind} needs a "value"`);
      }
    });
    return value;
  }
  if (!isObject(value)) {
    throw new KubectlParseError(
      `unable to parse "${text}": a ${type === 'merge' ? 'JSON merge' : 'strategic merge'} patch must be an object`,
      type === 'merge' ? `e.g. -p '{"spec":{"replicas":3}}'` : `e.g. -p '{"spec":{"replicas":3}}', or use --type=json for a list of operations`,
    );
  }
  return value;
}
