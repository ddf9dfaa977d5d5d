import { Chart } from 'cdk8s';
import { AbTest, AuthorizationAction, AuthorizationPolicy, BlueGreen, BlueGreenColour, Canary, CanaryTraffic, ClientTlsMode, DestinationRule, EndpointSecurity, EndpointSecurityProps, IstioApiVersion, IstioSidecar, JwtTokenLocation, MeshNamespace, MetricsScraping, ModelEndpoint, ModelServer, ModelVariant, PeerAuthentication, RequestAuthentication, Routing, RoutingMode, Shadow, TfServingServer } from '../src';
import { operatorPodLabels, selects } from './seldon-pods';
import { errorOf, only, routingFor, synth, testChart } from './util';

const ISSUER = { issuer: 'https://accounts.example.com', jwksUri: 'https://accounts.example.com/.well-known/jwks.json' };
const sklearn = (uri: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: uri } });
const v1 = sklearn('gs://models/iris/v1');
const v2 = sklearn('gs://models/iris/v2');
const SELDON_SCRAPE_RULE = { to: [{ operation: { methods: ['GET'], paths: ['/prometheus'], ports: ['6000', '8000', '6001'] } }] };
const TF_SCRAPE_RULE = { to: [{ operation: { methods: ['GET'], paths: ['/monitoring/prometheus/metrics'], ports: ['8501'] } }] };

const kinds = (manifests: any[], kind: string) => manifests.filter(m => m.kind === kind);

function tfServer(chart: Chart, name = 'inception'): TfServingServer {
  return new TfServingServer(chart, `Server-${name}`, {
    name,
    versions: [{ name: 'v1', modelBasePath: `gs://models/${name}/a` }, { name: 'v2', modelBasePath: `gs://models/${name}/b` }],
  });
}

/** Every pattern, in both modes, over Seldon predictors. */
const seldonPatterns: Array<[string, (chart: Chart, mode: RoutingMode) => ModelEndpoint]> = [
  ['Canary', (chart, mode) => new Canary(chart, 'E', { name: 'iris', routing: routingFor(mode), stable: v1, candidate: v2, traffic: CanaryTraffic.weight(10) })],
  ['BlueGreen', (chart, mode) => new BlueGreen(chart, 'E', { name: 'iris', routing: routingFor(mode), blue: v1, green: v2, active: BlueGreenColour.BLUE })],
  ['Shadow', (chart, mode) => new Shadow(chart, 'E', { name: 'iris', routing: routingFor(mode), stable: v1, shadow: v2, mirrorPercentage: 20 })],
  ['AbTest', (chart, mode) => new AbTest(chart, 'E', { name: 'iris', routing: routingFor(mode), variants: [{ name: 'a', model: v1, weight: 50 }, { name: 'b', model: v2, weight: 50 }] })],
];

describe('EndpointSecurity on Seldon endpoints', () => {
  describe.each(seldonPatterns)('%s', (_, make) => {
    test.each([RoutingMode.SELDON, RoutingMode.ISTIO])('mode %s: JWT, authorization and mTLS select exactly the operator\'s pods', mode => {
      const { app, chart } = testChart({ namespace: 'models' });
      const endpoint = make(chart, mode);
      // Another SeldonDeployment in the namespace, which the policies must leave alone.
      new Canary(chart, 'Other', { name: 'iris-other', routing: routingFor(mode), stable: v1 });
      new EndpointSecurity(chart, 'Sec', { endpoint, jwt: [ISSUER], mutualTls: true });
      const manifests = synth(app);
      const sdeps = kinds(manifests, 'SeldonDeployment');
      const ours = operatorPodLabels(sdeps.find(s => s.metadata.name === 'iris'));
      const theirs = operatorPodLabels(sdeps.find(s => s.metadata.name === 'iris-other'));
      expect(ours.length).toBe(2);
      for (const kind of ['RequestAuthentication', 'AuthorizationPolicy', 'PeerAuthentication']) {
        const policy = only(manifests, kind);
        expect(policy.apiVersion).toBe('security.istio.io/v1');
        expect(policy.metadata.namespace).toBe('models');
        const selector = policy.spec.selector.matchLabels;
        expect(selector).toEqual({ 'seldon-deployment-id': 'iris' });
        for (const pod of ours) expect(selects(selector, pod)).toBe(true);
        for (const pod of theirs) expect(selects(selector, pod)).toBe(false);
      }
    });
  });

  test('field by field: RequestAuthentication, AuthorizationPolicy with the scrape allowance, PeerAuthentication', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const endpoint = new Canary(chart, 'Iris', { name: 'iris', stable: v1, candidate: v2, traffic: CanaryTraffic.weight(10) });
    const security = new EndpointSecurity(chart, 'Sec', {
      endpoint,
      jwt: [{
        ...ISSUER,
        audiences: ['models'],
        tokenLocations: [JwtTokenLocation.header('x-jwt', 'Bearer '), JwtTokenLocation.queryParameter('token')],
        forwardOriginalToken: true,
      }],
      allow: [
        { requestPrincipals: ['https://accounts.example.com/*'], claims: { groups: ['ml-clients'], aud: ['models'] }, methods: ['POST'], paths: ['/seldon/models/iris/*'] },
        { sourceNamespaces: ['batch'], sourcePrincipals: ['cluster.local/ns/batch/sa/scorer'], ports: [8000] },
      ],
      mutualTls: true,
      labels: { team: 'ml' },
    });
    const manifests = synth(app);
    expect(only(manifests, 'RequestAuthentication')).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'iris-jwt', namespace: 'models', labels: { team: 'ml' } },
      spec: {
        selector: { matchLabels: { 'seldon-deployment-id': 'iris' } },
        jwtRules: [{
          issuer: 'https://accounts.example.com',
          jwksUri: 'https://accounts.example.com/.well-known/jwks.json',
          audiences: ['models'],
          fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }],
          fromParams: ['token'],
          forwardOriginalToken: true,
        }],
      },
    });
    expect(only(manifests, 'AuthorizationPolicy')).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'iris-authz', namespace: 'models', labels: { team: 'ml' } },
      spec: {
        selector: { matchLabels: { 'seldon-deployment-id': 'iris' } },
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { requestPrincipals: ['https://accounts.example.com/*'] } }],
            to: [{ operation: { methods: ['POST'], paths: ['/seldon/models/iris/*'] } }],
            when: [{ key: 'request.auth.claims[aud]', values: ['models'] }, { key: 'request.auth.claims[groups]', values: ['ml-clients'] }],
          },
          {
            from: [{ source: { namespaces: ['batch'], principals: ['cluster.local/ns/batch/sa/scorer'] } }],
            to: [{ operation: { ports: ['8000'] } }],
          },
          SELDON_SCRAPE_RULE,
        ],
      },
    });
    expect(only(manifests, 'PeerAuthentication').spec).toEqual({
      selector: { matchLabels: { 'seldon-deployment-id': 'iris' } },
      mtls: { mode: 'STRICT' },
    });
    expect(security.podSelectors).toEqual([{ 'seldon-deployment-id': 'iris' }]);
    expect(security.requestAuthentications.map(r => r.name)).toEqual(['iris-jwt']);
  });

  test('JWT alone: only requests with a valid token (any principal), plus the scrape allowance', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new EndpointSecurity(chart, 'Sec', { endpoint: new Canary(chart, 'Iris', { name: 'iris', stable: v1 }), jwt: [ISSUER] });
    expect(only(synth(app), 'AuthorizationPolicy').spec.rules).toEqual([
      { from: [{ source: { requestPrincipals: ['*'] } }] },
      SELDON_SCRAPE_RULE,
    ]);
  });

  test('the scrape allowance is present exactly when an ALLOW policy is written with the default scraping', () => {
    const build = (props: Omit<EndpointSecurityProps, 'endpoint'>) => {
      const { app, chart } = testChart({ namespace: 'models' });
      new EndpointSecurity(chart, 'Sec', { endpoint: new Canary(chart, 'Iris', { name: 'iris', stable: v1 }), ...props });
      return synth(app);
    };
    const scrapeRules = (manifests: any[]) => kinds(manifests, 'AuthorizationPolicy').flatMap(p => p.spec.rules)
      .filter((r: any) => r.to?.[0].operation.paths?.includes('/prometheus'));
    expect(scrapeRules(build({ jwt: [ISSUER] }))).toEqual([SELDON_SCRAPE_RULE]);
    expect(scrapeRules(build({ allow: [{ sourceNamespaces: ['apps'] }] }))).toEqual([SELDON_SCRAPE_RULE]);
    expect(scrapeRules(build({ jwt: [ISSUER], metricsScraping: MetricsScraping.none() }))).toEqual([]);
    // mTLS only: no AuthorizationPolicy, so nothing to allow.
    expect(kinds(build({ mutualTls: true }), 'AuthorizationPolicy')).toEqual([]);
    // A custom allowance replaces the server's.
    expect(only(build({ jwt: [ISSUER], metricsScraping: MetricsScraping.allow({ paths: ['/metrics'], ports: [9000] }) }), 'AuthorizationPolicy').spec.rules[1])
      .toEqual({ to: [{ operation: { methods: ['GET'], paths: ['/metrics'], ports: ['9000'] } }] });
  });

  test('the documented alternative: no rule, the operator copies the excludeOutboundPorts annotation onto the pods', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new EndpointSecurity(chart, 'Sec', {
      endpoint: new Canary(chart, 'Iris', { name: 'iris', stable: v1 }),
      jwt: [ISSUER],
      metricsScraping: MetricsScraping.excludeSidecarStatusPort(),
    });
    const manifests = synth(app);
    expect(only(manifests, 'AuthorizationPolicy').spec.rules).toEqual([{ from: [{ source: { requestPrincipals: ['*'] } }] }]);
    expect(only(manifests, 'SeldonDeployment').spec.annotations).toEqual({ 'traffic.sidecar.istio.io/excludeOutboundPorts': '15021' });
  });

  test('IstioApiVersion v1beta1 applies to the security objects', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    IstioApiVersion.use(chart, IstioApiVersion.V1BETA1);
    new EndpointSecurity(chart, 'Sec', { endpoint: new Canary(chart, 'Iris', { name: 'iris', stable: v1 }), jwt: [ISSUER], mutualTls: true });
    const versions = synth(app).filter(m => m.apiVersion.includes('istio.io')).map(m => `${m.kind} ${m.apiVersion}`);
    expect(versions).toEqual(expect.arrayContaining([
      'RequestAuthentication security.istio.io/v1beta1', 'AuthorizationPolicy security.istio.io/v1beta1', 'PeerAuthentication security.istio.io/v1beta1',
    ]));
  });
});

describe('mutual TLS and DestinationRules', () => {
  test('workload STRICT: every DestinationRule the Istio renderer writes carries ISTIO_MUTUAL merged into its policy', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const endpoint = new Canary(chart, 'Iris', { name: 'iris', routing: Routing.istio(), stable: v1, candidate: v2, traffic: CanaryTraffic.weight(10) });
    new EndpointSecurity(chart, 'Sec', { endpoint, mutualTls: true });
    const rules = kinds(synth(app), 'DestinationRule');
    expect(rules.map(r => r.metadata.name)).toEqual(['iris-stable-subsets', 'iris-canary-subsets']);
    for (const rule of rules) {
      expect(rule.spec.trafficPolicy).toEqual({ connectionPool: { http: { idleTimeout: '60s' } }, tls: { mode: 'ISTIO_MUTUAL' } });
    }
  });

  test('namespace STRICT (MeshNamespace) reaches every DestinationRule for a host of the namespace, and no other', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new MeshNamespace(chart, 'Ns', { name: 'models', mutualTls: true });
    const server = tfServer(chart);
    new Canary(chart, 'Rollout', { name: 'inception', routing: Routing.istio(), stable: ModelVariant.tfServing(server, 'v1'), candidate: ModelVariant.tfServing(server, 'v2'), traffic: CanaryTraffic.weight(5) });
    new DestinationRule(chart, 'Elsewhere', { name: 'elsewhere', host: 'api.other.svc.cluster.local' });
    const manifests = synth(app);
    const byName = (name: string) => kinds(manifests, 'DestinationRule').find(r => r.metadata.name === name);
    expect(byName('inception-subsets').spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
    expect(byName('elsewhere').spec.trafficPolicy).toBeUndefined();
    expect(only(manifests, 'PeerAuthentication')).toEqual({
      apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'models' }, spec: { mtls: { mode: 'STRICT' } },
    });
  });

  test('no STRICT policy: no TLS setting is added', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Iris', { name: 'iris', routing: Routing.istio(), stable: v1 });
    new PeerAuthentication(chart, 'Permissive', { mode: undefined, selector: { app: 'x' } });
    for (const rule of kinds(synth(app), 'DestinationRule')) expect(rule.spec.trafficPolicy.tls).toBeUndefined();
  });
});

describe('MeshNamespace and sidecars', () => {
  test('the namespace label, cluster-scoped; deny by default is an ALLOW policy without rules', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new MeshNamespace(chart, 'Ns', { name: 'models', denyByDefault: true, labels: { team: 'ml' } });
    new EndpointSecurity(chart, 'Sec', { endpoint: new Canary(chart, 'Iris', { name: 'iris', stable: v1 }), jwt: [ISSUER] });
    const manifests = synth(app);
    expect(only(manifests, 'Namespace').metadata).toEqual({ name: 'models', labels: { 'istio-injection': 'enabled', 'team': 'ml' } });
    const allowNothing = kinds(manifests, 'AuthorizationPolicy').find(p => p.metadata.name === 'allow-nothing');
    expect(allowNothing.spec).toEqual({ action: 'ALLOW' });
  });

  test('IstioSidecar: label and annotation; the legacy root proxy runs the pod as root but not TF Serving', () => {
    expect(IstioSidecar.inject().podLabels).toEqual({ 'sidecar.istio.io/inject': 'true' });
    expect(IstioSidecar.fromNamespace().podLabels).toEqual({});
    const { app, chart } = testChart({ namespace: 'models' });
    new TfServingServer(chart, 'S', { name: 'legacy', sidecar: IstioSidecar.injectWithRootProxy(), versions: [{ name: 'v1', modelBasePath: 'gs://m/legacy' }] });
    const pod = only(synth(app), 'Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true });
  });
});

describe('EndpointSecurity on TF Serving variants', () => {
  test('selectors match the pod template labels of every version, and not another server\'s', () => {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    const server = tfServer(chart);
    tfServer(chart, 'resnet');
    const rollout = new Canary(chart, 'Rollout', {
      name: 'inception', routing: Routing.istio(), stable: ModelVariant.tfServing(server, 'v1'), candidate: ModelVariant.tfServing(server, 'v2'), traffic: CanaryTraffic.weight(5),
    });
    new EndpointSecurity(chart, 'Sec', { endpoint: rollout, jwt: [ISSUER], mutualTls: true });
    const manifests = synth(app);
    const podsOf = (app_: string) => kinds(manifests, 'Deployment').filter(d => d.spec.template.metadata.labels.app === app_).map(d => d.spec.template.metadata.labels);
    expect(podsOf('inception').length).toBe(2);
    for (const kind of ['RequestAuthentication', 'AuthorizationPolicy', 'PeerAuthentication']) {
      const selector = only(manifests, kind).spec.selector.matchLabels;
      expect(selector).toEqual({ app: 'inception' });
      for (const pod of podsOf('inception')) expect(selects(selector, pod)).toBe(true);
      for (const pod of podsOf('resnet')) expect(selects(selector, pod)).toBe(false);
    }
    expect(only(manifests, 'AuthorizationPolicy').spec.rules).toEqual([{ from: [{ source: { requestPrincipals: ['*'] } }] }, TF_SCRAPE_RULE]);
    expect(only(manifests, 'DestinationRule').spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
  });

  test('excludeSidecarStatusPort annotates the TF Serving pods', () => {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    const server = tfServer(chart);
    const rollout = new Canary(chart, 'Rollout', { name: 'inception', routing: Routing.istio(), stable: ModelVariant.tfServing(server, 'v1') });
    new EndpointSecurity(chart, 'Sec', { endpoint: rollout, jwt: [ISSUER], metricsScraping: MetricsScraping.excludeSidecarStatusPort() });
    for (const d of kinds(synth(app), 'Deployment')) {
      expect(d.spec.template.metadata.annotations['traffic.sidecar.istio.io/excludeOutboundPorts']).toBe('15021');
    }
  });

  test('a plain Service variant with podSelector and a custom allowance', () => {
    const { app, chart } = testChart({ namespace: 'apps' });
    const variant = (version: string) => ModelVariant.service({ serviceName: 'flowers', labels: { version }, podSelector: { app: 'flowers' } });
    const ab = new AbTest(chart, 'AB', { name: 'flowers', routing: Routing.istio(), variants: [{ name: 'a', model: variant('a'), weight: 50 }, { name: 'b', model: variant('b'), weight: 50 }] });
    new EndpointSecurity(chart, 'Sec', { endpoint: ab, jwt: [ISSUER], metricsScraping: MetricsScraping.allow({ paths: ['/metrics'], ports: [9090] }) });
    const policy = only(synth(app), 'AuthorizationPolicy');
    expect(policy.spec.selector).toEqual({ matchLabels: { app: 'flowers' } });
    expect(policy.spec.rules[1]).toEqual({ to: [{ operation: { methods: ['GET'], paths: ['/metrics'], ports: ['9090'] } }] });
  });
});

describe('the L2 security constructs', () => {
  test('a DENY policy, a namespace-wide RequestAuthentication and rules on claims', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new RequestAuthentication(chart, 'Ra', { name: 'jwt', jwtRules: [{ issuer: 'https://issuer.example.com' }] });
    new AuthorizationPolicy(chart, 'Deny', { name: 'no-delete', action: AuthorizationAction.DENY, rules: [{ methods: ['DELETE'] }] });
    const manifests = synth(app);
    expect(only(manifests, 'RequestAuthentication').spec).toEqual({ jwtRules: [{ issuer: 'https://issuer.example.com' }] });
    expect(only(manifests, 'AuthorizationPolicy').spec).toEqual({ action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'] } }] }] });
  });
});

describe('security errors', () => {
  const canary = (chart: Chart) => new Canary(chart, 'Iris', { name: 'iris', stable: v1 });
  test.each<[string, (chart: Chart) => void, RegExp]>([
    ['SEC001 missing issuer', chart => new EndpointSecurity(chart, 'Sec', { endpoint: canary(chart), jwt: [{ issuer: '' }] }),
      /\[test\/Sec\/Jwt\] \[SEC001\] JWT rule 0: issuer '' is missing: set the token issuer/],
    ['SEC002 jwksUri not https', chart => new EndpointSecurity(chart, 'Sec', { endpoint: canary(chart), jwt: [{ issuer: 'https://a.example.com', jwksUri: 'http://a.example.com/jwks' }] }),
      /\[test\/Sec\/Jwt\] \[SEC002\] JWT rule 0: jwksUri 'http:\/\/a.example.com\/jwks' is not an https URL/],
    ['SEC002 jwksUri not a URL', chart => new EndpointSecurity(chart, 'Sec', { endpoint: canary(chart), jwt: [{ issuer: 'https://a.example.com', jwksUri: 'jwks.json' }] }),
      /\[SEC002\] .*jwksUri 'jwks.json' is not an https URL/],
    ['SEC003 empty audience', chart => new EndpointSecurity(chart, 'Sec', { endpoint: canary(chart), jwt: [{ ...ISSUER, audiences: [''] }] }),
      /\[SEC003\] .*audiences contain an empty string/],
    ['SEC004 DENY without rules', chart => new AuthorizationPolicy(chart, 'Deny', { action: AuthorizationAction.DENY }),
      /\[test\/Deny\] \[SEC004\] is a DENY policy without rules/],
    ['SEC005 lower-case method', chart => new EndpointSecurity(chart, 'Sec', { endpoint: canary(chart), jwt: [ISSUER], allow: [{ requestPrincipals: ['*'], methods: ['post'] }] }),
      /\[SEC005\] .*rule 0: method 'post' never matches \(HTTP methods are upper case\)/],
    ['SEC006 claims without RequestAuthentication', chart => new EndpointSecurity(chart, 'Sec', { endpoint: canary(chart), allow: [{ claims: { groups: ['ml'] } }] }),
      /\[test\/Sec\/Authz\] \[SEC006\] matches request principals or JWT claims, but no RequestAuthentication of this app validates tokens for its pods/],
    ['SEC007 a hand-written JWT policy on Seldon pods without scrape allowance', chart => {
      canary(chart);
      new RequestAuthentication(chart, 'Ra', { jwtRules: [ISSUER], selector: { 'seldon-deployment-id': 'iris' } });
      new AuthorizationPolicy(chart, 'Jwt', { selector: { 'seldon-deployment-id': 'iris' }, rules: [{ requestPrincipals: ['*'] }] });
    }, /\[test\/Jwt\] \[SEC007\] applies to SeldonDeployment 'iris' in namespace 'models' and leaves Prometheus unable to scrape it \(GET \/prometheus on port 6000, \/prometheus on port 8000, \/prometheus on port 6001 is refused\)/],
    ['SEC007 deny-by-default namespace with an unprotected TF Serving server', chart => {
      new MeshNamespace(chart, 'Ns', { name: 'models', denyByDefault: true });
      tfServer(chart);
    }, /\[test\/Ns\/DenyByDefault\] \[SEC007\] applies to TfServingServer 'inception' .* \(GET \/monitoring\/prometheus\/metrics on port 8501 is refused\)/],
    ['SEC008 Service variant without podSelector', chart => new EndpointSecurity(chart, 'Sec', {
      endpoint: new Canary(chart, 'C', { name: 'flowers', routing: Routing.istio(), stable: ModelVariant.service({ serviceName: 'flowers', labels: { version: 'v1' } }) }),
      jwt: [ISSUER],
    }), /\[test\/Sec\] \[SEC008\] cannot select the pods of Service 'flowers': give its ModelVariant.service a podSelector/],
    ['SEC009 JWT on a Service variant without scrape allowance', chart => new EndpointSecurity(chart, 'Sec', {
      endpoint: new Canary(chart, 'C', { name: 'flowers', routing: Routing.istio(), stable: ModelVariant.service({ serviceName: 'flowers', labels: { version: 'v1' }, podSelector: { app: 'flowers' } }) }),
      jwt: [ISSUER],
    }), /\[test\/Sec\] \[SEC009\] the pods of Service 'flowers' have no known metrics endpoint, .* MetricsScraping.allow\(\{ paths, ports \}\) or, if nothing scrapes them, MetricsScraping.none\(\)/],
    ['SEC009 excludeSidecarStatusPort on pods the library does not create', chart => new EndpointSecurity(chart, 'Sec', {
      endpoint: new Canary(chart, 'C', { name: 'flowers', routing: Routing.istio(), stable: ModelVariant.service({ serviceName: 'flowers', labels: { version: 'v1' }, podSelector: { app: 'flowers' } }) }),
      jwt: [ISSUER],
      metricsScraping: MetricsScraping.excludeSidecarStatusPort(),
    }), /\[SEC009\] .*MetricsScraping.excludeSidecarStatusPort\(\) needs to annotate the pods of Service 'flowers'/],
    ['SEC010 a user DestinationRule asks for plain text under STRICT mTLS', chart => {
      new MeshNamespace(chart, 'Ns', { name: 'models', mutualTls: true });
      new DestinationRule(chart, 'Mine', { host: 'iris-stable.models.svc.cluster.local', tlsMode: ClientTlsMode.DISABLE });
    }, /\[test\/Mine\] \[SEC010\] tlsMode 'DISABLE' conflicts with the STRICT mutual TLS that PeerAuthentication 'test\/Ns\/MutualTls' requires of host 'iris-stable.models.svc.cluster.local'/],
    ['XRS003 a second DestinationRule for a host of the endpoint (under STRICT mTLS too)', chart => {
      const endpoint = new Canary(chart, 'Iris', { name: 'iris', routing: Routing.istio(), stable: v1 });
      new EndpointSecurity(chart, 'Sec', { endpoint, mutualTls: true });
      new DestinationRule(chart, 'Mine', { host: 'iris-stable.models.svc.cluster.local', tlsMode: ClientTlsMode.ISTIO_MUTUAL });
    }, /\[XRS003\] host 'iris-stable.models.svc.cluster.local' also has the DestinationRule of test\/(Mine|Iris\/DestinationRule-stable): keep one DestinationRule per host/],
    ['SEC011 nothing to protect', chart => new EndpointSecurity(chart, 'Sec', { endpoint: canary(chart) }),
      /\[test\/Sec\] \[SEC011\] protects nothing: set jwt, allow or mutualTls/],
  ])('%s', (_, build, expected) => {
    const { app, chart } = testChart({ namespace: 'models' });
    build(chart);
    expect(errorOf(() => app.synthYaml())).toMatch(expected);
  });

  test('opting out: MetricsScraping.none() and blocksMetricsScraping silence SEC007', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new MeshNamespace(chart, 'Ns', { name: 'models', denyByDefault: true });
    new EndpointSecurity(chart, 'Sec', { endpoint: canary(chart), jwt: [ISSUER], metricsScraping: MetricsScraping.none() });
    new AuthorizationPolicy(chart, 'Mine', { selector: { 'seldon-deployment-id': 'iris' }, rules: [{ sourceNamespaces: ['apps'] }], blocksMetricsScraping: true });
    expect(() => synth(app)).not.toThrow();
  });
});
