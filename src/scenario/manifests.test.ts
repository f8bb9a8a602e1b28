import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, type SourcePosition } from './diagnostics.js';
import { loadManifestFiles } from './manifests.js';

const DIR = 'test/fixtures/loader';
const AT: SourcePosition = { file: 'steps.scenario.yaml', line: 12, col: 14 };

function names(pattern: string, base = DIR): string[] {
  return loadManifestFiles(pattern, base, AT).map((m) => `${m.object.kind}/${m.object.metadata.name ?? m.object.metadata.generateName}`);
}

describe('loadManifestFiles', () => {
  it('reads every document of a file, flattening List and skipping empty documents', () => {
    expect(names('manifests/multi.yaml')).toEqual(['ConfigMap/settings', 'Secret/token-', 'Deployment/web']);
  });

  it('flattens *List kinds (PodList) like kubectl', () => {
    expect(names('manifests/pods.yml')).toEqual(['Pod/solo']);
  });

  it('reads the .yaml, .yml and .json files of a directory, not its subdirectories, in name order', () => {
    expect(names('manifests/dir')).toEqual(['ConfigMap/one', 'ConfigMap/two']);
  });

  it('expands globs in sorted order, and accepts absolute paths', () => {
    expect(names('manifests/dir/**/*.yaml')).toEqual(['ConfigMap/one', 'ConfigMap/deeper']);
    expect(names(path.resolve(DIR, 'manifests/pods.yml'), '/nowhere')).toEqual(['Pod/solo']);
  });

  it('parses plain scalars as kubectl does: 0644 is octal', () => {
    const [pod] = loadManifestFiles('manifests/yaml-1-1.yaml', DIR, AT);
    expect(pod.object.spec.volumes[0].configMap.defaultMode).toBe(420);
    expect(pod.object.spec.enableServiceLinks).toBe(false);
    expect(pod.object.metadata.annotations).toEqual({ created: '2024-01-02T03:04:05Z', time: '1:30' });
  });

  it('reports a missing file and an empty glob at the position that named them', () => {
    for (const [pattern, message] of [
      ['manifests/none.yaml', 'manifest file not found: manifests/none.yaml'],
      ['manifests/*.toml', "no manifest files match 'manifests/*.toml'"],
    ]) {
      const err = (() => {
        try {
          loadManifestFiles(pattern, DIR, AT);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).diagnostics).toEqual([
        expect.objectContaining({ ...AT, message, code: 'manifest.notFound' }),
      ]);
    }
  });

  it('gives each manifest a locator into its own file', () => {
    const [, secret] = loadManifestFiles('manifests/multi.yaml', DIR, AT);
    expect(secret.source).toEqual({ file: path.join(DIR, 'manifests/multi.yaml'), line: 10, col: 5 });
    expect(secret.locate(['metadata', 'generateName'])).toEqual({ file: path.join(DIR, 'manifests/multi.yaml'), line: 12, col: 30 });
    // a path that does not exist falls back to the object
    expect(secret.locate(['spec', 'x'])).toEqual(secret.source);
  });
});
