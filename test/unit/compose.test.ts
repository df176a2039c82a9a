/**
 * The production stack (docker-compose.yml + Dockerfile) against the contract (DESIGN.md §3),
 * without Docker (none runs here): the compose file is parsed and interpolated the way Compose does
 * it, the worker's environment and configuration go through Ordo's own readers, and the one-shot
 * setup scripts run under /bin/sh with fake `temporal` / `temporal-sql-tool` commands that record
 * what they were asked to do.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { isSimulatorVenue, liveGatesFrom } from '../../src/domain/live-gates';
import { SA } from '../../src/workflows/search-attributes';
import { environment, parseWorkerConfig } from '../../src/workers/config';
import { ApiConfigError, apiConfig } from '../../src/api/config';
import { clientEnvironment } from '../../src/client/connection';
import { REPO_ROOT, searchAttributes } from '../support/temporal-binaries';

type Env = Record<string, string | undefined>;

interface Service {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  restart?: string;
  entrypoint?: string[];
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  configs?: { source: string; target: string }[];
}

interface ComposeFile {
  name?: string;
  services: Record<string, Service>;
  configs?: Record<string, { content?: string; file?: string }>;
}

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const DOCKERFILE = path.join(REPO_ROOT, 'Dockerfile');
const PASSWORD = 'pw0123456789abcdef';
const API_TOKEN = 'tok-0123456789abcdef';
/** The variables compose refuses to start without. */
const REQUIRED: Env = { POSTGRES_PASSWORD: PASSWORD, ORDO_API_TOKEN: API_TOKEN };

/** `$$`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}`, `${NAME?message}`, `$NAME`. */
const INTERPOLATION = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's variable interpolation of one value; a `$` it would not understand is an error, as in Compose. */
function interpolate(text: string, env: Env): string {
  if (text.replace(INTERPOLATION, '').includes('$'))
    throw new Error(`invalid interpolation (write $$ for a literal $): ${text}`);
  return text.replace(
    INTERPOLATION,
    (match, braced?: string, op?: string, arg?: string, bare?: string): string => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const value = env[name];
      const missing = op?.startsWith(':') ? value === undefined || value === '' : value === undefined;
      if (op?.endsWith('-')) return missing ? (arg ?? '') : (value as string);
      if (op?.endsWith('?')) {
        if (missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
        return value as string;
      }
      return value ?? '';
    },
  );
}

function interpolateAll(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, env));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  return value;
}

/** docker-compose.yml as Compose sees it with this environment (YAML merge keys included). */
function loadCompose(env: Env = REQUIRED): ComposeFile {
  const raw: unknown = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true });
  // The shape is what the assertions below check; the cast only names it.
  return interpolateAll(raw, env) as ComposeFile;
}

function service(compose: ComposeFile, name: string): Service {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as its process sees it (Compose passes every value as a string). */
function envOf(svc: Service): Env {
  return Object.fromEntries(
    Object.entries(svc.environment ?? {}).map(([k, v]) => [k, v === null ? undefined : String(v)]),
  );
}

/** The published port of a container port: `[ip:]host:container`. */
function published(svc: Service, containerPort: number): { ip?: string; host: number } | undefined {
  for (const spec of svc.ports ?? []) {
    const parts = spec.split(':');
    if (Number(parts.at(-1)) !== containerPort) continue;
    const host = Number(parts.at(-2));
    return parts.length === 3 ? { ip: parts[0], host } : { host };
  }
  return undefined;
}

/** The `/bin/sh -ec <script>` of a one-shot setup service. */
function scriptOf(svc: Service): string {
  expect(svc.entrypoint).toEqual(['/bin/sh', '-ec']);
  expect(Array.isArray(svc.command) && svc.command.length === 1).toBe(true);
  return (svc.command as string[])[0] as string;
}

interface ScriptRun {
  status: number | null;
  output: string;
  calls: string[][];
}

/** Runs a setup script under /bin/sh with fake commands (shell scripts) first on PATH. */
function runScript(script: string, env: Env, fakes: Record<string, string>): ScriptRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ordo-compose-'));
  try {
    for (const [name, body] of Object.entries(fakes)) {
      const file = path.join(dir, name);
      writeFileSync(file, `#!/bin/sh\necho "$*" >> "$FAKE_DIR/calls"\n${body}\n`);
      chmodSync(file, 0o755);
    }
    const result = spawnSync('/bin/sh', ['-ec', script], {
      env: { ...env, FAKE_DIR: dir, PATH: `${dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const callsFile = path.join(dir, 'calls');
    const calls = existsSync(callsFile)
      ? readFileSync(callsFile, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => l.split(' '))
      : [];
    return { status: result.status, output: `${result.stdout}${result.stderr}`, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value after `flag` in one recorded call. */
function arg(call: string[], flag: string): string | undefined {
  const i = call.indexOf(flag);
  return i < 0 ? undefined : call[i + 1];
}

/** `Keyword` → `KEYWORD`, `KeywordList` → `KEYWORD_LIST`: the file's type names in the SDK's spelling. */
function sdkTypeName(fileType: string): string {
  return fileType.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

const STACK = [
  'postgres',
  'temporal-schema',
  'temporal',
  'temporal-search-attributes',
  'temporal-ui',
  'simulator',
  'worker',
  'api',
];

describe('docker-compose.yml', () => {
  it('refuses to start without POSTGRES_PASSWORD', () => {
    expect(() => loadCompose({ ORDO_API_TOKEN: API_TOKEN })).toThrow(/POSTGRES_PASSWORD/);
    expect(() => loadCompose({ ...REQUIRED, POSTGRES_PASSWORD: '' })).toThrow(/POSTGRES_PASSWORD/);
    expect(loadCompose(REQUIRED).name).toBe('ordo');
  });

  it('has every part of the stack', () => {
    expect(Object.keys(loadCompose().services)).toEqual(expect.arrayContaining(STACK));
  });

  it('pins every image to a version, and builds (never pulls) the Ordo image', () => {
    const compose = loadCompose();
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const [name, svc] of Object.entries(compose.services)) {
      const image = svc.image ?? '';
      const tag = /^[a-z0-9./_-]+:([A-Za-z0-9._-]+)$/.exec(image)?.[1];
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^\d+\.\d+/) });
      if (svc.build !== undefined) {
        expect({ name, image, pull_policy: svc.pull_policy }).toEqual({
          name,
          image: `ordo:${version}`,
          pull_policy: 'build',
        });
      }
    }
    // The schema tool must be the server's own version.
    const versionOf = (svc: string) => service(compose, svc).image?.split(':')[1];
    expect(versionOf('temporal-schema')).toBe(versionOf('temporal'));
    expect(versionOf('temporal-search-attributes')).toBe(versionOf('temporal'));
  });

  it('publishes the frontend on 7233, the Web UI on 8233 and the simulator on 8300, on loopback by default', () => {
    const compose = loadCompose();
    expect(published(service(compose, 'temporal'), 7233)).toEqual({ ip: '127.0.0.1', host: 7233 });
    expect(published(service(compose, 'temporal-ui'), 8080)).toEqual({ ip: '127.0.0.1', host: 8233 });
    expect(published(service(compose, 'simulator'), 8300)).toEqual({ ip: '127.0.0.1', host: 8300 });
    expect(envOf(service(compose, 'simulator'))['SIM_PORT']).toBe('8300');

    const moved = loadCompose({
      ...REQUIRED,
      ORDO_PUBLISH_IP: '0.0.0.0',
      TEMPORAL_UI_PORT: '9233',
      SIM_PORT: '9300',
    });
    expect(published(service(moved, 'temporal-ui'), 8080)).toEqual({ ip: '0.0.0.0', host: 9233 });
    expect(published(service(moved, 'simulator'), 8300)).toEqual({ ip: '0.0.0.0', host: 9300 });
    // SIM_PORT moves the host side only: the worker still reaches the simulator on 8300.
    expect(envOf(service(moved, 'simulator'))['SIM_PORT']).toBe('8300');
  });

  it('gives the worker the contract environment: Temporal, task queue, Postgres ledger, DRY_RUN on', () => {
    const compose = loadCompose();
    const env = envOf(service(compose, 'worker'));
    const temporal = environment(env);
    expect(temporal).toMatchObject({
      temporalAddress: 'temporal:7233',
      namespace: 'default',
      taskQueue: 'execution',
    });
    expect(published(service(compose, 'temporal'), 7233)).toBeDefined();

    const ledger = new URL(env['ORDO_LEDGER_URL'] ?? '');
    const postgres = envOf(service(compose, 'postgres'));
    expect(ledger.protocol).toBe('postgres:');
    expect(compose.services[ledger.hostname]).toBe(service(compose, 'postgres'));
    expect(ledger.port).toBe('5432');
    expect(ledger.pathname).toBe(`/${postgres['POSTGRES_DB']}`);
    expect([ledger.username, ledger.password]).toEqual([postgres['POSTGRES_USER'], PASSWORD]);

    expect(env['DRY_RUN']).toBe('true');
    expect(liveGatesFrom(env)).toEqual({ dryRun: true, liveConfirmed: false });

    const overridden = envOf(
      service(
        loadCompose({
          ...REQUIRED,
          TEMPORAL_NAMESPACE: 'trading',
          DRY_RUN: 'false',
          LIVE_CONFIRM: 'YES',
        }),
        'worker',
      ),
    );
    expect(environment(overridden).namespace).toBe('trading');
    expect(liveGatesFrom(overridden)).toEqual({ dryRun: false, liveConfirmed: true });
  });

  it('gives the worker a configuration it accepts, its simulator venue on the simulator service', () => {
    const compose = loadCompose({ ...REQUIRED, SIM_API_KEY: 'k-1', SIM_API_SECRET: 's-1' });
    const worker = service(compose, 'worker');
    const env = envOf(worker);
    const mount = worker.configs?.find((c) => c.target === env['ORDO_CONFIG']);
    const content = compose.configs?.[mount?.source ?? '']?.content;
    expect(content).toBeDefined();

    const config = parseWorkerConfig(content as string, env);
    const sim = envOf(service(compose, 'simulator'));
    expect(Object.keys(config.venues)).toContain('sim');
    for (const [name, venue] of Object.entries(config.venues)) {
      expect({ name, simulator: isSimulatorVenue(venue) }).toEqual({ name, simulator: true });
      if (venue.kind !== 'ccxt') continue;
      expect(venue.simulatorUrl).toBe(`http://simulator:${sim['SIM_PORT']}`);
      expect([venue.apiKey, venue.secret]).toEqual([sim['SIM_API_KEY'], sim['SIM_API_SECRET']]);
    }
    expect(sim['SIM_API_KEY']).toBe('k-1');
    expect(sim['SIM_HOST']).toBe('0.0.0.0');
  });

  it("runs the HTTP API with a bearer token, on the worker's Temporal, task queue and ledger", () => {
    expect(() => loadCompose({ POSTGRES_PASSWORD: PASSWORD })).toThrow(/ORDO_API_TOKEN/);
    expect(() => loadCompose({ ...REQUIRED, ORDO_API_TOKEN: '' })).toThrow(/ORDO_API_TOKEN/);

    const compose = loadCompose();
    const api = service(compose, 'api');
    const env = envOf(api);
    const worker = envOf(service(compose, 'worker'));
    // Listening on every interface of its container is only accepted with the token.
    expect(apiConfig(env)).toEqual({ host: '0.0.0.0', port: 8080, token: API_TOKEN });
    expect(() => apiConfig({ ...env, ORDO_API_TOKEN: '' })).toThrow(ApiConfigError);
    expect(clientEnvironment(env)).toEqual(clientEnvironment(worker));
    expect(env['ORDO_LEDGER_URL']).toBe(worker['ORDO_LEDGER_URL']);
    expect(api.command).toEqual(['node', '--require', 'tsx/cjs', 'src/api/main.ts']);
    expect(existsSync(path.join(REPO_ROOT, 'src/api/main.ts'))).toBe(true);

    expect(published(api, 8080)).toEqual({ ip: '127.0.0.1', host: 8080 });
    const moved = loadCompose({ ...REQUIRED, ORDO_PUBLISH_IP: '0.0.0.0', ORDO_API_PORT: '9080' });
    expect(published(service(moved, 'api'), 8080)).toEqual({ ip: '0.0.0.0', host: 9080 });
    // The container port stays 8080 whatever the host port: the healthcheck asks there.
    expect(envOf(service(moved, 'api'))['ORDO_API_PORT']).toBe('8080');
    expect(JSON.stringify(api.healthcheck?.test)).toContain('http://127.0.0.1:8080/openapi.json');
  });

  it("serves each worker's Prometheus metrics inside the network only", () => {
    const worker = service(loadCompose(), 'worker') as Service & { expose?: string[] };
    expect(envOf(worker)['ORDO_METRICS_ADDRESS']).toBe('0.0.0.0:9464');
    expect(worker.expose).toEqual(['9464']);
    expect(published(worker, 9464)).toBeUndefined();
  });

  it('registers exactly the search attributes of the contract (src/workflows and temporal/ agree)', () => {
    const fromFile = searchAttributes();
    const fromCode = Object.values(SA).map((key) => ({ name: key.name, type: key.type }));
    expect(fromFile.map((s) => ({ name: s.name, type: sdkTypeName(s.type) }))).toEqual(fromCode);

    const compose = loadCompose({ ...REQUIRED, TEMPORAL_NAMESPACE: 'trading' });
    const svc = service(compose, 'temporal-search-attributes');
    const env = envOf(svc);
    const mounted = (svc.volumes ?? [])
      .map((v) => v.split(':'))
      .find(([, target]) => target === env['SEARCH_ATTRIBUTES_FILE']);
    expect(mounted?.[0]).toBe('./temporal/search-attributes.txt');

    const run = runScript(
      scriptOf(svc),
      { ...env, SEARCH_ATTRIBUTES_FILE: path.join(REPO_ROOT, mounted?.[0] as string) },
      {
        temporal: [
          'case "$*" in',
          '  "operator namespace describe"*) exit 1 ;;',
          '  "operator search-attribute list"*) cat "$FAKE_DIR/registered" ;;',
          '  "operator search-attribute create"*)',
          '    while [ $# -gt 0 ]; do [ "$1" = --name ] && echo "$2" >> "$FAKE_DIR/registered"; shift; done ;;',
          'esac',
          'exit 0',
        ].join('\n'),
      },
    );
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.any(String) });

    const create = (c: string[]) => c.slice(0, 3).join(' ') === 'operator search-attribute create';
    const created = run.calls.filter(create);
    expect(created.map((c) => ({ name: arg(c, '--name'), type: arg(c, '--type') }))).toEqual(fromFile);
    for (const call of created) {
      expect([arg(call, '--namespace'), arg(call, '--address')]).toEqual(['trading', 'temporal:7233']);
    }
    const nsCreate = run.calls.find((c) => c.slice(0, 3).join(' ') === 'operator namespace create');
    expect(nsCreate && arg(nsCreate, '--namespace')).toBe('trading');
    // The namespace exists before the first attribute is registered on it.
    expect(run.calls.indexOf(nsCreate as string[])).toBeLessThan(run.calls.indexOf(created[0] as string[]));
  });

  it("sets up Temporal's two databases before the server starts, on the server's Postgres", () => {
    const compose = loadCompose();
    const svc = service(compose, 'temporal-schema');
    const run = runScript(scriptOf(svc), envOf(svc), { 'temporal-sql-tool': 'exit 0' });
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.any(String) });

    for (const [db, dir] of [
      ['temporal', 'temporal'],
      ['temporal_visibility', 'visibility'],
    ] as const) {
      const steps = run.calls
        .filter((c) => arg(c, '--db') === db)
        .map((c) => c.slice(c.indexOf(db) + 1).join(' '));
      expect(steps).toEqual([
        'create',
        'setup-schema -v 0.0',
        `update-schema -d /etc/temporal/schema/postgresql/v12/${dir}/versioned`,
      ]);
    }
    for (const call of run.calls) {
      expect([arg(call, '--plugin'), arg(call, '--ep'), arg(call, '-p')]).toEqual([
        'postgres12',
        'postgres',
        '5432',
      ]);
    }

    const server = envOf(service(compose, 'temporal'));
    const postgres = envOf(service(compose, 'postgres'));
    expect(server).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', DB_PORT: '5432' });
    expect([server['POSTGRES_USER'], server['POSTGRES_PWD']]).toEqual([postgres['POSTGRES_USER'], PASSWORD]);
    expect(envOf(svc)['SQL_PASSWORD']).toBe(PASSWORD);
  });

  it('orders the start-up: Postgres, schema, Temporal, search attributes, then the worker', () => {
    const compose = loadCompose();
    const dependsOn = (name: string) =>
      Object.fromEntries(
        Object.entries(service(compose, name).depends_on ?? {}).map(([d, v]) => [d, v.condition]),
      );
    expect(dependsOn('temporal-schema')).toEqual({ postgres: 'service_healthy' });
    expect(dependsOn('temporal')).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(dependsOn('temporal-search-attributes')).toEqual({ temporal: 'service_healthy' });
    expect(dependsOn('temporal-ui')).toEqual({ temporal: 'service_healthy' });
    expect(dependsOn('api')).toEqual({
      'temporal-search-attributes': 'service_completed_successfully',
      postgres: 'service_healthy',
    });
    expect(dependsOn('worker')).toEqual({
      'temporal-search-attributes': 'service_completed_successfully',
      postgres: 'service_healthy',
      simulator: 'service_healthy',
    });

    const levels = new Map<string, number>();
    const level = (name: string, seen: string[] = []): number => {
      if (seen.includes(name)) throw new Error(`depends_on cycle: ${[...seen, name].join(' → ')}`);
      const known = levels.get(name);
      if (known !== undefined) return known;
      const deps = Object.keys(service(compose, name).depends_on ?? {});
      const mine = Math.max(-1, ...deps.map((d) => level(d, [...seen, name]))) + 1;
      levels.set(name, mine);
      return mine;
    };
    for (const [name, svc] of Object.entries(compose.services)) {
      level(name);
      for (const [dep, { condition }] of Object.entries(svc.depends_on ?? {})) {
        const target = service(compose, dep);
        if (condition === 'service_healthy')
          expect({ dep, healthcheck: target.healthcheck }).toEqual({
            dep,
            healthcheck: expect.objectContaining({ test: expect.anything() }),
          });
        // A job that is waited for must end: a restart-always policy would run it forever.
        if (condition === 'service_completed_successfully')
          expect({ dep, restart: target.restart }).toEqual({
            dep,
            restart: expect.stringMatching(/^(no|on-failure)/),
          });
      }
    }
    const order = ['postgres', 'temporal-schema', 'temporal', 'temporal-search-attributes', 'worker'];
    const ranks = order.map((name) => levels.get(name));
    expect(ranks).toEqual([...ranks].sort((a, b) => (a as number) - (b as number)));
    expect(new Set(ranks).size).toBe(order.length);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(DOCKERFILE, 'utf8');
  const args = Object.fromEntries(
    [...text.matchAll(/^ARG\s+([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]),
  );
  const froms = [...text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/gm)].map((m) => ({
    image: m[1] as string,
    stage: m[2],
  }));

  it('pins every base image by version and digest, on the Node major package.json asks for', () => {
    const stages = froms.map((f) => f.stage);
    const bases = froms
      .map((f) => f.image.replace(/^\$\{([A-Z_]+)\}$/, (_m, name: string) => args[name] ?? f.image))
      .filter((image) => !stages.includes(image));
    expect(bases.length).toBeGreaterThan(0);
    for (const image of bases) {
      expect(image).toMatch(/^node:20\.\d+\.\d+-[a-z-]+@sha256:[0-9a-f]{64}$/);
    }
    const { engines } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(engines.node).toBe('>=20');
  });

  it('runs the worker by default and the simulator where compose says, from files that exist', () => {
    const cmd = /^CMD\s+(\[.*\])$/m.exec(text)?.[1];
    const workerCmd = JSON.parse(cmd ?? '[]') as string[];
    const simCmd = service(loadCompose(), 'simulator').command as string[];
    for (const command of [workerCmd, simCmd]) {
      expect(command.slice(0, 3)).toEqual(['node', '--require', 'tsx/cjs']);
      expect(existsSync(path.join(REPO_ROOT, command[3] as string))).toBe(true);
    }
    expect(workerCmd[3]).toBe('src/workers/main.ts');
    expect(simCmd[3]).toBe('src/sim/main.ts');
    // The prebuilt workflow bundle is where the worker looks for it.
    const bundle = /ORDO_WORKFLOW_BUNDLE=(\S+)/.exec(text)?.[1];
    expect(bundle).toBe('/app/dist/workflow-bundle.js');
    expect(text).toContain("writeWorkflowBundle('dist/workflow-bundle.js')");
  });

  it('keeps installed files, local data and secrets out of the build context', () => {
    const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git', '.tools', '.data', '.env']));
  });
});
