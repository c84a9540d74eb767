import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bumpOf } from '../report.mjs';
import { sync } from '../sync.mjs';

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));
const docs = join(fixtures, 'docs');
const expectedDir = join(fixtures, 'expected');
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'restdocs-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const run = (schema: string, extra: Record<string, unknown> = {}) =>
  sync({ docs, schema, commit: COMMIT, changesetDir: join(tmp, '.changeset'), ...extra });

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const readYaml = (p: string) => parse(readFileSync(p, 'utf8'));

describe('sync from a fresh schema directory', () => {
  it('writes exactly the expected files (golden; UPDATE_GOLDEN=1 rewrites them)', () => {
    run(join(tmp, 'schema'));
    const got = listFiles(tmp);
    if (process.env.UPDATE_GOLDEN) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const f of got) {
        mkdirSync(dirname(join(expectedDir, f)), { recursive: true });
        writeFileSync(join(expectedDir, f), readFileSync(join(tmp, f)));
      }
    }
    expect(got).toEqual(listFiles(expectedDir));
    for (const f of got) expect(readFileSync(join(tmp, f), 'utf8'), f).toBe(readFileSync(join(expectedDir, f), 'utf8'));
  });

  it('infers metadata for new methods and keeps REST 2 for a name documented twice', () => {
    const r = run(join(tmp, 'schema'));
    const crm = readYaml(join(tmp, 'schema/crm/widget.yaml'));
    expect(crm.methods['crm.widget.list']).toMatchObject({
      idempotent: true,
      list: { rows: '', idField: 'ID', keyset: false },
      result: 'Widget[]',
    });
    expect(crm.methods['crm.widget.add'].idempotent).toBe(false);
    expect(crm.methods['crm.widget.add'].params.fields.open).toBe(true); // UF_CRM_* in the group
    // crm.widget.get's example shows OWNER: always returned (required-fields.mjs).
    expect(crm.types.Widget.fields.OWNER).toEqual({ type: 'Owner', required: true });
    const tasks = readYaml(join(tmp, 'schema/tasks/gizmo.yaml'));
    expect(tasks.methods['tasks.gizmo.add'].apiVersion).toBeUndefined();
    expect(Object.keys(tasks.methods['tasks.gizmo.add'].params)).toEqual(['TITLE']);
    expect(r.report.duplicates).toHaveLength(1);
    expect(r.report.added).toHaveLength(7);
    expect(bumpOf(r.report)).toBe('minor');
  });

  it('is stable: a second run changes nothing and writes no changeset', () => {
    const schema = join(tmp, 'schema');
    run(schema);
    rmSync(join(tmp, '.changeset'), { recursive: true });
    const before = listFiles(schema).map((f) => readFileSync(join(schema, f), 'utf8'));
    const r = run(schema);
    expect(bumpOf(r.report)).toBe('none');
    expect(r.changeset).toBeNull();
    expect(r.written).toEqual([]);
    expect(existsSync(join(tmp, '.changeset'))).toBe(false);
    expect(listFiles(schema).map((f) => readFileSync(join(schema, f), 'utf8'))).toEqual(before);
  });

  it('writes nothing on a dry run', () => {
    const r = run(join(tmp, 'schema'), { dryRun: true });
    expect(r.report.added).toHaveLength(7);
    expect(listFiles(tmp)).toEqual([]);
  });

  it('refuses a folder that is not a docs checkout, and an unknown commit', () => {
    expect(() => sync({ docs: tmp, schema: join(tmp, 's') })).toThrow(/no api-reference/);
    // The fixture sits inside this repository: its commit is not the docs' commit.
    expect(() => sync({ docs, schema: join(tmp, 's') })).toThrow(/--commit/);
  });
});

describe('sync and events', () => {
  it('reads event pages: an entry with no base keeps its values and gains what the docs add; a file of events alone gets no methods', () => {
    const schema = join(tmp, 'schema');
    cpSync(join(fixtures, 'hand-schema'), schema, { recursive: true });
    const events =
      '# events by hand\nevents:\n  onCrmWidgetAdd:\n    description: A widget was added.\n    data:\n      FIELDS: { type: object, required: true, fields: { ID: { type: string, required: true } } }\n';
    writeFileSync(join(schema, 'crm/events.yaml'), events);
    const widget = readFileSync(join(schema, 'crm/widget.yaml'), 'utf8');
    writeFileSync(join(schema, 'crm/widget.yaml'), `${widget}events:\n  onCrmWidgetDelete:\n    data: string\n`);
    const r = run(schema);
    const got = readYaml(join(schema, 'crm/events.yaml'));
    expect(readFileSync(join(schema, 'crm/events.yaml'), 'utf8').startsWith('# events by hand\n')).toBe(true);
    expect(got.methods).toBeUndefined();
    expect(got.events.onCrmWidgetAdd).toMatchObject({
      description: 'A widget was added.',
      data: { FIELDS: { type: 'object', required: true, fields: { ID: { type: 'string', required: true } } } },
      scope: 'crm',
      docUrl: 'https://apidocs.bitrix24.com/api-reference/crm/widgets/events/on-crm-widget-add.html',
    });
    expect(r.report.eventsAdded).toEqual([]);
    // Not in the docs and never synced: written by hand, kept.
    expect(readYaml(join(schema, 'crm/widget.yaml')).events).toEqual({ onCrmWidgetDelete: { data: 'string' } });
  });
});

describe('sync over a hand-written schema', () => {
  const setup = () => {
    const schema = join(tmp, 'schema');
    cpSync(join(fixtures, 'hand-schema'), schema, { recursive: true });
    const r = run(schema);
    return {
      r,
      schema,
      crm: readYaml(join(schema, 'crm/widget.yaml')),
      text: readFileSync(join(schema, 'crm/widget.yaml'), 'utf8'),
    };
  };

  it('keeps every hand-written part', () => {
    const { crm, text } = setup();
    expect(text.startsWith('# Widgets: written by hand')).toBe(true);
    const add = crm.methods['crm.widget.add'];
    expect(add).toMatchObject({
      description: 'Creates a widget.',
      batchable: false,
      idempotent: false,
      openParams: true,
      result: 'integer',
    });
    expect(add.params.fields).toMatchObject({
      type: 'object',
      required: true,
      description: 'What the widget is made of.',
    });
    expect(add.params.fields.fields.TITLE).toEqual({ type: 'string', required: true, description: 'Shown on top' });
    const get = crm.methods['crm.widget.get'];
    expect(get).toMatchObject({ positional: ['id'], deprecated: { replacement: 'crm.item.get' }, result: 'Widget' });
    expect(get.docUrl).toBe('https://apidocs.bitrix24.com/api-reference/crm/widgets/crm-widget-get.html');
    const list = crm.methods['crm.widget.list'];
    expect(list.list).toEqual({ rows: '', idField: 'ID', keyset: true });
    expect(list.params.filter.type).toBe('Record<string>');
    expect(crm.methods['crm.widget.secret'].description).toBe('Undocumented, known from the field.');
    expect(crm.types.Widget.description).toBe('A widget, as the hand describes it.');
    expect(crm.types.Widget.fields.ID).toEqual({ type: 'integer', wire: 'string', required: true });
    expect(crm.types.Widget.fields.EXTRA).toEqual({ type: 'string' });
  });

  it('takes the facts from the docs', () => {
    const { crm, schema } = setup();
    const add = crm.methods['crm.widget.add'];
    // No base yet (a schema written before any sync): ours wins where both say something, the
    // docs add what ours lacks.
    expect(add.params.mode).toEqual({ type: 'integer', required: true });
    expect(Object.keys(add.params.fields.fields)).toEqual(['TITLE', 'IS_ACTIVE', 'OWNER_ID', 'TAGS']);
    expect(add.params.params.fields.REGISTER_SONET_EVENT).toEqual({ type: 'boolean' });
    expect(Object.keys(crm.methods['crm.widget.list'].params)).toEqual(['filter', 'start', 'order']);
    expect(crm.methods['crm.widget.remove']).toBeUndefined();
    expect(crm.methods['crm.widget.get'].deprecated).toEqual({ replacement: 'crm.item.get' });
    expect(Object.keys(crm.types.Widget.fields)).toEqual(['ID', 'TITLE', 'OWNER', 'EXTRA']);
    expect(crm.types.Owner).toEqual({ fields: { ID: { type: 'integer', required: true } } });
    expect(readYaml(join(schema, 'SOURCE.yaml')).commit).toBe(COMMIT);
  });

  it('reports removals, new requirements and additions, and bumps major', () => {
    const { r } = setup();
    expect(r.report.removed).toEqual(['crm.widget.remove']);
    expect(r.report.kept).toEqual(['crm.widget.secret']);
    expect(r.report.paramsRemoved).toEqual([]);
    expect(r.report.madeRequired.sort()).toEqual(['crm.widget.add(fields.TITLE)', 'crm.widget.add(mode)']);
    expect(r.report.paramsAdded).toEqual(
      expect.arrayContaining(['crm.widget.add(params)', 'crm.widget.add(fields.IS_ACTIVE)', 'crm.widget.list(start)']),
    );
    expect(r.report.added).toEqual(['crm.widget.productrows.get', 'profile', 'tasks.gizmo.add', 'tasks.gizmo.ping']);
    expect(r.text).toContain(`docs commit: ${COMMIT} (was 1111111111111111111111111111111111111111)`);
    expect(r.text).toContain('bump: major');
    const cs = readFileSync(join(tmp, '.changeset', `restdocs-sync-${COMMIT.slice(0, 12)}.md`), 'utf8');
    expect(cs.startsWith('---\n"@b24kit/client": major\n---\n')).toBe(true);
    expect(cs).toContain('- crm.widget.remove');
  });

  it('puts a new method next to its hand-placed siblings', () => {
    const schema = join(tmp, 'schema');
    mkdirSync(join(schema, 'crm'), { recursive: true });
    writeFileSync(
      join(schema, 'crm', 'gadget.yaml'),
      'methods:\n  crm.widget.add:\n    scope: crm\n    params: {}\n    result: integer\n',
    );
    run(schema);
    const gadget = readYaml(join(schema, 'crm/gadget.yaml'));
    expect(Object.keys(gadget.methods)).toEqual(['crm.widget.add', 'crm.widget.get', 'crm.widget.list']);
    // crm.widget.productrows.get has no sibling in the schema: its file comes from the docs path.
    expect(Object.keys(readYaml(join(schema, 'crm/widget.yaml')).methods)).toEqual(['crm.widget.productrows.get']);
  });

  it('keeps all methods of one first name segment in one domain', () => {
    const schema = join(tmp, 'schema');
    mkdirSync(join(schema, 'work'), { recursive: true });
    writeFileSync(
      join(schema, 'work', 'thing.yaml'),
      'methods:\n  tasks.other.run:\n    scope: task\n    params: {}\n    result: any\n',
    );
    run(schema);
    expect(Object.keys(readYaml(join(schema, 'work/gizmo.yaml')).methods)).toEqual([
      'tasks.gizmo.add',
      'tasks.gizmo.ping',
    ]);
    expect(existsSync(join(schema, 'tasks'))).toBe(false);
  });
});

describe('sync keeps the list markers written by hand', () => {
  it('filterParam, selectParam and nameCase stay while the docs change the rest of the list shape', () => {
    const schema = join(tmp, 'schema');
    run(schema);
    rmSync(join(tmp, '.changeset'), { recursive: true });
    // The markers are hand edits; as if the last sync had seen idField OLD and the docs now say ID.
    const yamlPath = join(schema, 'crm/widget.yaml');
    const yaml = readFileSync(yamlPath, 'utf8');
    const shape = '    list: { rows: "", idField: ID, keyset: false }';
    expect(yaml).toContain(shape);
    writeFileSync(
      yamlPath,
      yaml.replace(
        shape,
        '    list: { rows: "", idField: OLD, keyset: false, filterParam: filter, selectParam: select, nameCase: upper }',
      ),
    );
    const factsPath = join(schema, 'crm/widget.docs.json');
    const facts = JSON.parse(readFileSync(factsPath, 'utf8'));
    facts.base.methods['crm.widget.list'].list.idField = 'OLD';
    writeFileSync(factsPath, JSON.stringify(facts, null, 2));
    const r = run(schema);
    expect(r.report.conflicts).toEqual([]);
    expect(readYaml(yamlPath).methods['crm.widget.list'].list).toEqual({
      rows: '',
      idField: 'ID',
      keyset: false,
      filterParam: 'filter',
      selectParam: 'select',
      nameCase: 'upper',
    });
  });
});
