import { describe, expect, it } from 'vitest';
import { advance, newCluster } from '../../test/helpers/cluster.js';
import { SIMULATED_CA_CRT } from './serviceaccount.js';

describe('serviceaccount controller and root-ca-cert-publisher', () => {
  // serviceaccounts_controller_test.go TestServiceAccountCreation: new and existing namespaces get `default`
  it('creates default in every namespace, existing and new, and re-creates it when deleted', () => {
    const c = newCluster();
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    advance(c, 1000);
    const nss = c.api.list('Namespace').map((n) => n.metadata.name).sort();
    const sas = c.api.list('ServiceAccount').filter((s) => s.metadata.name === 'default').map((s) => s.metadata.namespace).sort();
    expect(sas).toEqual(nss);
    c.api.delete('ServiceAccount', 'team-a', 'default');
    advance(c, 1000);
    expect(c.api.get('ServiceAccount', 'team-a', 'default')).toBeDefined();
  });

  // publisher_test.go TestConfigMapCreation: every namespace gets kube-root-ca.crt; edits are reverted
  it('publishes kube-root-ca.crt and puts it back after an edit', () => {
    const c = newCluster();
    advance(c, 1000);
    expect(c.api.get('ConfigMap', 'kube-system', 'kube-root-ca.crt')?.data).toEqual({ 'ca.crt': SIMULATED_CA_CRT });
    c.api.mutate('ConfigMap', 'default', 'kube-root-ca.crt', (d) => { d.data = { 'ca.crt': 'x' }; });
    advance(c, 1000);
    expect(c.api.get('ConfigMap', 'default', 'kube-root-ca.crt')?.data).toEqual({ 'ca.crt': SIMULATED_CA_CRT });
  });
});
