/**
 * Where the Temporal binaries installed by temporal/install.sh live, and the search attributes of
 * temporal/search-attributes.txt (the one list shared with temporal/start-dev.sh).
 * Nothing here downloads anything: a missing binary is an error that says what to run.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_BIN = path.join(REPO_ROOT, '.tools', 'bin');
export const SEARCH_ATTRIBUTES_FILE = path.join(REPO_ROOT, 'temporal', 'search-attributes.txt');

/** The value types `temporal server start-dev --search-attribute NAME=TYPE` accepts. */
export const SEARCH_ATTRIBUTE_TYPES = [
  'Text',
  'Keyword',
  'Int',
  'Double',
  'Bool',
  'Datetime',
  'KeywordList',
] as const;
export type SearchAttributeTypeName = (typeof SEARCH_ATTRIBUTE_TYPES)[number];

export interface SearchAttributeSpec {
  name: string;
  type: SearchAttributeTypeName;
}

function executable(envVar: string, fileName: string): string {
  const override = process.env[envVar];
  const file = override ? path.resolve(override) : path.join(TOOLS_BIN, fileName);
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new Error(
      `${fileName} not found at ${file}` +
        (override ? ` (from ${envVar})` : '') +
        '. Install the pinned Temporal tooling with `make tools` (or ./temporal/install.sh).',
    );
  }
  return file;
}

/** The Temporal CLI (`temporal server start-dev`); override with TEMPORAL_CLI_PATH. */
export function temporalCliPath(): string {
  return executable('TEMPORAL_CLI_PATH', 'temporal');
}

/** The Java time-skipping test server; override with TEMPORAL_TEST_SERVER_PATH. */
export function testServerPath(): string {
  return executable('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
}

/** Parses NAME=TYPE lines; `#` starts a comment; blank lines are skipped. */
export function parseSearchAttributes(text: string, source = 'search attributes'): SearchAttributeSpec[] {
  const specs: SearchAttributeSpec[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([A-Za-z]+)$/.exec(line);
    const type = match?.[2] as SearchAttributeTypeName | undefined;
    if (!match || !type || !SEARCH_ATTRIBUTE_TYPES.includes(type)) {
      throw new Error(
        `${source}:${i + 1}: expected NAME=TYPE with TYPE one of ${SEARCH_ATTRIBUTE_TYPES.join(', ')}; got '${raw}'`,
      );
    }
    const name = match[1] as string;
    if (specs.some((s) => s.name === name))
      throw new Error(`${source}:${i + 1}: duplicate search attribute ${name}`);
    specs.push({ name, type });
  });
  return specs;
}

/** Every custom search attribute Ordo registers, from temporal/search-attributes.txt. */
export function searchAttributes(): SearchAttributeSpec[] {
  return parseSearchAttributes(readFileSync(SEARCH_ATTRIBUTES_FILE, 'utf8'), SEARCH_ATTRIBUTES_FILE);
}

/** `--search-attribute NAME=TYPE` arguments for `temporal server start-dev`. */
export function searchAttributeArgs(specs: SearchAttributeSpec[] = searchAttributes()): string[] {
  return specs.flatMap((s) => ['--search-attribute', `${s.name}=${s.type}`]);
}
