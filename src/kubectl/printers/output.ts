// kubectl get's non-table outputs: -o name (cli-runtime NamePrinter: "<resource>[.<group>]/<name>"),
// -o json (JSONPrinter: json.MarshalIndent with 4 spaces over the unstructured object, whose map
// keys encoding/json sorts, with <, >, & escaped as Go does) and -o yaml (YAMLPrinter:
// sigs.k8s.io/yaml, keys sorted, sequences not indented under their key, ambiguous strings
// double-quoted). Several objects, or a list request, print as a v1 List.

import { isScalar, visit, Document } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { resourceByKind } from '../resources.js';

/** "pod/web-abc", "deployment.apps/web" */
export function resourceName(o: KubeObject): string {
  return `${kindPrefix(o.kind)}/${o.metadata.name}`;
}

export function kindPrefix(kind: string): string {
  const r = resourceByKind(kind);
  if (!r) return kind.toLowerCase();
  return r.group ? `${r.singular}.${r.group}` : r.singular;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** A v1 List as kubectl prints several objects. */
export function asList(objects: readonly KubeObject[]): unknown {
  return { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
}

export function toJson(value: unknown): string {
  // Go's encoding/json escapes HTML-significant characters inside strings
  return JSON.stringify(sortKeys(value), null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

// go-yaml double-quotes a string that would read back as another type (a number, a bool, null,
// a YAML 1.1 timestamp such as an RFC 3339 time), single-quotes one that cannot be plain, and
// writes a multi-line one as a literal block
const TIMESTAMP = /^\d{4}-\d\d?-\d\d?([Tt ]|$)/;
const NON_STRING = /^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

export function toYaml(value: unknown): string {
  const doc = new Document(sortKeys(value));
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || !isScalar(node)) return;
      const v = node.value;
      if (typeof v === 'string' && (v === '' || TIMESTAMP.test(v) || NON_STRING.test(v))) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, singleQuote: true, lineWidth: 0 });
}
