import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

// TEST DOUBLE of a Kubernetes API server's service-account issuer endpoints. No real cluster can
// run here, so this stands in for the two documents Ensign reads from one: the OIDC discovery
// document and the JWKS it names, served over HTTPS with a certificate from a CA generated for the
// test (the pod's ca.crt), and answered only to the bearer token in the pod's token file, as an
// API server with RBAC does. It also mints service-account tokens shaped like the projected
// tokens the kubelet writes, signed with its key or with a stranger's.

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

export interface ServiceAccountClaims {
  namespace?: string;
  pod?: { name: string; uid: string };
  serviceAccount?: { name: string; uid: string };
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with a key the cluster never published. */
  unknownKey?: boolean;
  /** Sign with a stranger's key under the cluster key's id. */
  forgedKey?: boolean;
}

export interface KubernetesDouble {
  url: string;
  caPath: string;
  /** This (Ensign's) pod's own service-account token file. */
  tokenPath: string;
  /** Bearer tokens discovery and JWKS requests arrived with. */
  seenBearers: string[];
  mint(claims?: ServiceAccountClaims): Promise<string>;
  close(): Promise<void>;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A CA, and a certificate for 127.0.0.1 that it signed. */
function makeCertificates(dir: string): { caPath: string; key: Buffer; cert: Buffer } {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caKey = join(dir, 'ca.key');
  const caPath = join(dir, 'ca.crt');
  openssl([
    'req',
    '-x509',
    ...ec,
    '-days',
    '1',
    '-subj',
    '/CN=test-cluster-ca',
    '-keyout',
    caKey,
    '-out',
    caPath,
  ]);
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const cert = join(dir, 'server.crt');
  const ext = join(dir, 'server.ext');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1\n');
  openssl(['req', ...ec, '-subj', '/CN=kube-apiserver', '-keyout', key, '-out', csr]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caPath,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    ext,
    '-out',
    cert,
  ]);
  return { caPath, key: readFileSync(key), cert: readFileSync(cert) };
}

export async function startKubernetesDouble(): Promise<KubernetesDouble> {
  const dir = mkdtempSync(join(tmpdir(), 'ensign-k8s-double-'));
  const { caPath, key, cert } = makeCertificates(dir);
  const clusterKeys = await generateKeyPair('RS256', { extractable: true });
  const strangerKeys = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = {
    ...(await exportJWK(clusterKeys.publicKey)),
    kid: 'cluster-key',
    alg: 'RS256',
    use: 'sig',
  };
  const podToken = 'ensign-pod-own-token';
  const tokenPath = join(dir, 'token');
  writeFileSync(tokenPath, `${podToken}\n`);
  const seenBearers: string[] = [];

  let base = '';
  const server: Server = createServer({ key, cert }, (req, res) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    seenBearers.push(bearer ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (bearer !== podToken) return send(401, { kind: 'Status', reason: 'Unauthorized', code: 401 });
    if (req.url === '/.well-known/openid-configuration') {
      return send(200, {
        issuer: ISSUER,
        jwks_uri: `${base}/openid/v1/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.url === '/openid/v1/jwks') return send(200, { keys: [publicJwk] });
    send(404, { kind: 'Status', reason: 'NotFound', code: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    caPath,
    tokenPath,
    seenBearers,
    async mint(claims = {}) {
      const account = claims.serviceAccount ?? { name: 'checkout', uid: 'sa-uid-1' };
      const pod = claims.pod ?? { name: 'checkout-7d9f', uid: 'pod-uid-1' };
      const namespace = claims.namespace ?? 'shop';
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({
        'kubernetes.io': { namespace, pod, serviceaccount: account },
      })
        .setProtectedHeader({ alg: 'RS256', kid: claims.unknownKey ? 'stranger-key' : 'cluster-key' })
        .setIssuer(claims.issuer ?? ISSUER)
        .setAudience(claims.audience ?? AUDIENCE)
        .setSubject(`system:serviceaccount:${namespace}:${account.name}`)
        .setIssuedAt(now - 60)
        .setNotBefore(now - 60)
        .setExpirationTime(now + (claims.expiresIn ?? 3600));
      return jwt.sign(
        claims.unknownKey || claims.forgedKey ? strangerKeys.privateKey : clusterKeys.privateKey,
      );
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
