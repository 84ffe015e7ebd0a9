import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * There is no Docker engine in CI, so the deployment files are checked statically: the compose
 * file must parse, wire the services together by name, keep secrets out of the file and only
 * reference files that exist in the repository.
 */

const repoRoot = path.resolve(__dirname, '../..');
const readRepoFile = (relative: string): string =>
  readFileSync(path.join(repoRoot, relative), 'utf8');

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  ports?: Array<string | { target?: number; published?: number | string }>;
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: Array<string | { type?: string; source?: string; target?: string; read_only?: boolean }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  command?: string | string[];
}

interface ComposeFile {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = parse(readRepoFile('docker-compose.yml')) as ComposeFile;
const services = compose.services ?? {};

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** Environment as a map; list entries `KEY` without `=` become null (passed through). */
function environmentOf(name: string): Record<string, string | null> {
  const env = service(name).environment ?? {};
  const entries: Array<[string, string | null]> = Array.isArray(env)
    ? env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq === -1 ? [entry, null] : [entry.slice(0, eq), entry.slice(eq + 1)];
      })
    : Object.entries(env).map(([key, value]) => [key, value === null ? null : String(value)]);
  return Object.fromEntries(entries);
}

/** Host ports a service publishes, whichever of the short or long syntax is used. */
function publishedPorts(name: string): number[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port !== 'string') return Number(port.published);
    const parts = port.split('/')[0]!.split(':');
    return Number(parts.length >= 2 ? parts[parts.length - 2] : parts[0]);
  });
}

interface Mount {
  source: string;
  target: string;
  isBind: boolean;
  readOnly: boolean;
}

function mountsOf(name: string): Mount[] {
  return (service(name).volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') {
      const source = volume.source ?? '';
      return { source, target: volume.target ?? '', isBind: volume.type === 'bind', readOnly: volume.read_only === true };
    }
    const [source = '', target = '', mode = ''] = volume.split(':');
    return { source, target, isBind: /^[./~]/.test(source), readOnly: mode.split(',').includes('ro') };
  });
}

function buildOf(name: string): { context: string; dockerfile: string } {
  const build = service(name).build;
  if (build === undefined) throw new Error(`service "${name}" has no build`);
  if (typeof build === 'string') return { context: build, dockerfile: 'Dockerfile' };
  return { context: build.context ?? '.', dockerfile: build.dockerfile ?? 'Dockerfile' };
}

/** Host URL of a connection string such as mongodb://mongo:27017/smartlock. */
const hostOf = (url: string | null | undefined): string => new URL(url ?? '').hostname;

const SECRET_NAMES = /SECRET|PASSWORD|TOKEN$|_KEY$/;
const interpolation = /^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$/;

describe('docker-compose.yml', () => {
  it('parses as YAML with the mongo, redis, mosquitto and api services', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['mongo', 'redis', 'mosquitto', 'api']),
    );
    for (const name of ['mongo', 'redis', 'mosquitto']) {
      expect(service(name).image, name).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
    }
    expect(service('mongo').image).toBe('mongo:7');
    // A single-node replica set (docs/operations.md, backups): the api names it in its URI.
    expect(service('mongo').command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(new URL(environmentOf('api').MONGODB_URI!).searchParams.get('replicaSet')).toBe('rs0');
    expect(service('redis').image).toBe('redis:7-alpine');
    expect(service('mosquitto').image).toBe('eclipse-mosquitto:2');
  });

  it('builds the api from api/Dockerfile with the repository root as context', () => {
    const { context, dockerfile } = buildOf('api');
    expect(path.resolve(repoRoot, context)).toBe(repoRoot);
    expect(dockerfile).toBe('api/Dockerfile');
    expect(existsSync(path.join(repoRoot, context, dockerfile))).toBe(true);
  });

  it('publishes the api on 4000 and MQTT only over TLS, on 8883', () => {
    expect(publishedPorts('api')).toContain(4000);
    expect(publishedPorts('mosquitto')).toEqual([8883]);
    // Plain 1883 stays on the compose network, for the api and the healthcheck.
    expect(publishedPorts('mosquitto')).not.toContain(1883);
    expect(hostOf(environmentOf('api').MQTT_URL)).toBe('mosquitto');
    expect(new URL(environmentOf('api').MQTT_URL ?? '').port).toBe('1883');
  });

  it('keeps MongoDB and Redis off the host network', () => {
    expect(publishedPorts('mongo')).toEqual([]);
    expect(publishedPorts('redis')).toEqual([]);
  });

  it('points the api at the mongo, redis and mosquitto services by name', () => {
    const env = environmentOf('api');
    expect(env.MONGODB_URI).toMatch(/^mongodb:\/\//);
    expect(hostOf(env.MONGODB_URI)).toBe('mongo');
    expect(env.REDIS_URL).toMatch(/^rediss?:\/\//);
    expect(hostOf(env.REDIS_URL)).toBe('redis');
    expect(env.MQTT_URL).toMatch(/^mqtts?:\/\//);
    expect(hostOf(env.MQTT_URL)).toBe('mosquitto');
    expect(env.NODE_ENV).toBe('production');
    expect(env.DATA_DIR).toBe('/data');
    expect(mountsOf('api').map((mount) => mount.target)).toContain('/data');
  });

  it('requires JWT_SECRET, SECRETS_KEYS, the VAPID keys and subject, MQTT_PASSWORD and ALLOWED_ORIGINS from .env instead of defaulting them', () => {
    const env = environmentOf('api');
    for (const name of ['JWT_SECRET', 'SECRETS_KEYS', 'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT', 'MQTT_PASSWORD', 'ALLOWED_ORIGINS']) {
      expect(env[name], name).toMatch(new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`));
    }
  });

  it('holds no secret as a literal value in any service', () => {
    for (const name of Object.keys(services)) {
      for (const [key, value] of Object.entries(environmentOf(name))) {
        if (!SECRET_NAMES.test(key) || value === null) continue;
        expect(value, `${name}.${key}`).toMatch(interpolation);
        expect(value, `${name}.${key} must not carry a default`).not.toMatch(/^\$\{\w+:?-/);
      }
    }
  });

  it('starts the api only after mongo, redis and mosquitto report healthy', () => {
    const dependsOn = service('api').depends_on;
    expect(Array.isArray(dependsOn)).toBe(false);
    for (const name of ['mongo', 'redis', 'mosquitto']) {
      expect((dependsOn as Record<string, { condition?: string }>)[name]?.condition, name).toBe(
        'service_healthy',
      );
      expect(service(name).healthcheck?.test, `${name} healthcheck`).toBeTruthy();
    }
  });

  it('references only files that exist and volumes that are declared', () => {
    for (const name of Object.keys(services)) {
      for (const mount of mountsOf(name)) {
        if (mount.isBind) {
          expect(existsSync(path.resolve(repoRoot, mount.source)), `${name}: ${mount.source}`).toBe(
            true,
          );
        } else {
          expect(Object.keys(compose.volumes ?? {}), `${name}: volume ${mount.source}`).toContain(
            mount.source,
          );
        }
      }
      if (service(name).build !== undefined) {
        const { context, dockerfile } = buildOf(name);
        expect(existsSync(path.resolve(repoRoot, context, dockerfile)), `${name} build`).toBe(true);
      }
    }
  });

  it('documents in .env.example every variable the api service sets', () => {
    // .env.example may list a variable as KEY=value or as a commented-out # KEY=value.
    const example = readRepoFile('.env.example');
    const documented = new Set(
      [...example.matchAll(/^[#\s]*([A-Z][A-Z0-9_]*)\s*=/gm)].map((match) => match[1]),
    );
    const undocumented = Object.keys(environmentOf('api')).filter((key) => !documented.has(key));
    expect(undocumented).toEqual([]);
  });
});

describe('the Mosquitto configuration', () => {
  const mosquittoMounts = () => mountsOf('mosquitto');
  const conf = readRepoFile('deploy/mosquitto/mosquitto.conf');
  const script = readRepoFile('deploy/mosquitto/start-mosquitto.sh');
  const directive = (name: string, text = conf): string | undefined =>
    text.match(new RegExp(`^\\s*${name}\\s+(\\S+)\\s*$`, 'm'))?.[1];

  it('is mounted into the broker from deploy/mosquitto and started by its script', () => {
    expect(mosquittoMounts()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: './deploy/mosquitto/mosquitto.conf',
          target: '/mosquitto/config/mosquitto.conf',
        }),
        expect.objectContaining({
          source: './deploy/mosquitto/start-mosquitto.sh',
          target: '/mosquitto/config/start-mosquitto.sh',
        }),
      ]),
    );
    expect([service('mosquitto').command ?? ''].flat().join(' ')).toContain('/mosquitto/config/start-mosquitto.sh');
  });

  it('sends small packets without Nagle delay (about 40 ms on every command and status otherwise)', () => {
    expect(directive('set_tcp_nodelay')).toBe('true');
  });

  it('mounts the certificate folder read-only, and keeps keys out of the repository', () => {
    const certs = mosquittoMounts().find((mount) => mount.target === '/mosquitto/certs');
    expect(certs).toEqual({ source: './deploy/mosquitto/certs', target: '/mosquitto/certs', isBind: true, readOnly: true });
    // So are the config files; only the data volume is written.
    expect(mosquittoMounts().filter((mount) => mount.target.startsWith('/mosquitto/config/')).every((mount) => mount.readOnly)).toBe(true);
    expect(readRepoFile('deploy/mosquitto/certs/.gitignore').split('\n')).toEqual(expect.arrayContaining(['*', '!.gitignore']));
  });

  it('has a TLS listener on 8883 with the mounted certificate, TLS 1.2 at least', () => {
    const tls = conf.match(/^# tls:begin$([\s\S]*?)^# tls:end$/m)?.[1] ?? '';
    expect(directive('listener', tls)).toBe('8883');
    expect(directive('certfile', tls)).toBe('/mosquitto/certs/fullchain.pem');
    expect(directive('keyfile', tls)).toBe('/mosquitto/certs/privkey.pem');
    // In Mosquitto 2.0 the minimum version: 1.2 and 1.3 (api/test/mosquitto-tls.test.ts checks it).
    expect(directive('tls_version', tls)).toBe('tlsv1.2');
    // No other listener inside the section, which the script leaves out when the files are missing.
    expect(tls.match(/^\s*listener\s/gm)).toHaveLength(1);
    expect(conf.match(/^\s*listener\s+(\S+)/gm)).toEqual(['listener 1883', 'listener 8883']);
    expect(script).toContain("awk '/^# tls:begin/");
  });

  it('refuses anonymous clients and authenticates everyone through dynamic security', () => {
    expect(directive('listener')).toBe('1883');
    expect(directive('allow_anonymous')).toBe('false');
    expect(directive('plugin')).toMatch(/\/mosquitto_dynamic_security\.so$/);
    expect(directive('persistence')).toBe('true');
    // No hand-kept password file or ACL: the api keeps the lock accounts.
    expect(directive('password_file')).toBeUndefined();
    expect(directive('acl_file')).toBeUndefined();
  });

  it('keeps the dynamic-security file (hashed passwords) on a volume rather than in the repository', () => {
    const file = directive('plugin_opt_config_file') ?? '';
    expect(file).toBe('/mosquitto/data/dynamic-security.json');
    const holder = mosquittoMounts().find((mount) => mount.target === path.posix.dirname(file));
    expect(holder?.isBind).toBe(false);
    expect(script).toContain('DYNSEC=${DYNSEC_FILE:-/mosquitto/data/dynamic-security.json}');
  });

  it('has the api keep the lock accounts, with its own account set up from .env', () => {
    const api = environmentOf('api');
    expect(api.MQTT_BROKER_ADMIN).toBe('dynsec');
    expect(api.MQTT_USERNAME).toBe('smartlock-api');
    const broker = environmentOf('mosquitto');
    expect(broker.MQTT_PASSWORD).toBe(api.MQTT_PASSWORD);
    expect(broker.MQTT_ADMIN_PASSWORD).toMatch(/^\$\{MQTT_ADMIN_PASSWORD:\?[^}]+\}$/);
    expect(script).toContain('API=${MQTT_USERNAME:-smartlock-api}');
  });

  it('keeps a plain-ACL example that confines each lock to its own topics', () => {
    const acl = readRepoFile('deploy/mosquitto/plain-acl/acl');
    const patterns = acl.split('\n').filter((line) => line.startsWith('pattern '));
    expect(patterns).toEqual([
      'pattern read smartlock/%u/cmd',
      'pattern write smartlock/%u/status',
      'pattern write smartlock/%u/availability',
    ]);
    expect(directive('use_username_as_clientid', readRepoFile('deploy/mosquitto/plain-acl/mosquitto.conf'))).toBe('true');
  });
});

describe('api/Dockerfile', () => {
  const dockerfile = readRepoFile('api/Dockerfile');
  const apiPackage = JSON.parse(readRepoFile('api/package.json')) as { main?: string };

  it('runs the compiled api as a non-root user in production mode', () => {
    const baseImages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)/gm)].map((match) => match[1]);
    const externalImages = new Set(baseImages.filter((image) => !stages.includes(image)));
    expect([...externalImages]).toEqual(['node:20-bookworm-slim']);
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^EXPOSE 4000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(dockerfile).toContain(`CMD ["node", "api/${apiPackage.main ?? ''}"]`);
  });

  it('copies every workspace manifest (npm ci fails otherwise) and ships the built PWA', () => {
    const workspaces = (JSON.parse(readRepoFile('package.json')) as { workspaces: string[] }).workspaces;
    for (const workspace of workspaces) expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    expect(dockerfile).toContain('COPY --from=build /app/pwa/dist pwa/dist');
  });

  it('is not sent node_modules, build output, data or secrets in its build context', () => {
    const ignored = readRepoFile('.dockerignore').split('\n').map((line) => line.trim());
    for (const entry of ['.git', '**/node_modules', '**/dist', 'data', 'firmware/build', '.env']) {
      expect(ignored, entry).toContain(entry);
    }
  });
});
