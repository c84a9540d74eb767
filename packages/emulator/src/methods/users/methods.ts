/**
 * The company structure's methods: users (`user.get|search|current|add|update|fields`) and
 * departments (`department.get|add|update|delete|fields`), over the users store (./store.ts).
 */
import { RestError } from '../../errors.js';
import { offsetAnswer, readStart } from '../../paging.js';
import { param, type Params } from '../../params.js';
import { buildWhere } from '../listQuery.js';
import type { CallContext, DomainApi, MethodResult } from '../types.js';
import {
  ADMIN_ID,
  coreError,
  departmentDef,
  intOrUndefined,
  isObject,
  ROOT_DEPARTMENT_ID,
  userFieldTitles,
  type Row,
  type UserStore,
} from './store.js';

export function registerUserMethods(api: DomainApi, store: UserStore): void {
  const { portal } = api;
  api.event('ONUSERADD');

  const requireAdmin = (ctx: CallContext) => {
    if (ctx.auth.userId !== ADMIN_ID) throw coreError('access_denied');
  };

  const userList = (ctx: CallContext): MethodResult => {
    const where = store.userWhere(ctx.params);
    const column = store.userSortColumn(param(ctx.params, 'sort'));
    const dir = String(param(ctx.params, 'order') ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    const page = readStart(ctx);
    const rows = store.listUsers({ where, column, dir, page });
    const sel = param(ctx.params, 'select');
    const select = Array.isArray(sel) ? new Set(sel.map((s) => String(s).toUpperCase())) : undefined;
    return offsetAnswer(
      ctx,
      page,
      rows.map((r) => store.userWire(r, select)),
      () => store.countUsers(where),
    );
  };

  // Reading users needs any one of three scopes (user-get.md); the dispatcher accepts any listed scope.
  const reading = (name: string, handler: (ctx: CallContext) => MethodResult) =>
    api.method({ name, scope: 'user, user_brief, user_basic', handler });
  reading('user.fields', () => ({ result: userFieldTitles() }));
  reading('user.current', (ctx) => ({ result: store.userWire(store.ensureUser(ctx.auth.userId)) }));
  reading('user.get', userList);
  reading('user.search', userList);
  api.method({
    name: 'user.add',
    scope: 'user',
    handler: (ctx) => {
      requireAdmin(ctx);
      const fields = isObject(param(ctx.params, 'fields')) ? (param(ctx.params, 'fields') as Params) : ctx.params;
      const cols = store.userColumns(fields);
      const email = cols['EMAIL'];
      if (typeof email !== 'string' || email === '')
        throw new RestError('ERROR_ARGUMENT', 'wrong_email', 400, { argument: 'EMAIL' });
      if (store.emailTaken(email)) throw new RestError('ERROR_ARGUMENT', 'A user with this email already exists', 400);
      const extranet = ['Y', '1', 'true'].includes(String(param(fields, 'EXTRANET') ?? ''));
      if (cols['UF_DEPARTMENT'] === undefined && !extranet)
        cols['UF_DEPARTMENT'] = JSON.stringify([ROOT_DEPARTMENT_ID]);
      const t = store.now();
      // An invited user has registered but never logged in.
      Object.assign(cols, {
        DATE_REGISTER: t,
        TIMESTAMP_X: t,
        IS_ONLINE: 'N',
        USER_TYPE: extranet ? 'extranet' : 'employee',
      });
      const id = store.insertUser(cols);
      // The payload carries the new user's main fields (docs' onUserAdd sample).
      const u = store.getUser(id)!;
      const data: Row = {
        ID: id,
        ACTIVE: u['ACTIVE'],
        UF_DEPARTMENT: JSON.parse(String(u['UF_DEPARTMENT'])) as unknown,
      };
      for (const k of [
        'EMAIL',
        'NAME',
        'LAST_NAME',
        'PERSONAL_GENDER',
        'PERSONAL_BIRTHDAY',
        'DATE_REGISTER',
        'WORK_POSITION',
        'UF_EMPLOYMENT_DATE',
      ])
        if (u[k]) data[k] = u[k];
      portal.raiseEvent('ONUSERADD', data, ctx.auth);
      return { result: id };
    },
  });
  api.method({
    name: 'user.update',
    scope: 'user',
    handler: (ctx) => {
      const fields = isObject(param(ctx.params, 'fields'))
        ? { ...ctx.params, ...(param(ctx.params, 'fields') as Params) }
        : ctx.params;
      const id = intOrUndefined(param(fields, 'ID'));
      if (id === undefined) throw new RestError('ERROR_ARGUMENT', 'ID is required', 400, { argument: 'ID' });
      if (ctx.auth.userId !== ADMIN_ID && ctx.auth.userId !== id) throw coreError('access_denied');
      if (!store.getUser(id)) throw coreError('User not found');
      const cols = store.userColumns(fields);
      if (typeof cols['EMAIL'] === 'string' && cols['EMAIL'] !== '' && store.emailTaken(cols['EMAIL'], id))
        throw new RestError('ERROR_ARGUMENT', 'A user with this email already exists', 400);
      // Only the administrator can dismiss or rehire (ACTIVE).
      if ('ACTIVE' in cols && ctx.auth.userId !== ADMIN_ID) throw coreError('access_denied');
      cols['TIMESTAMP_X'] = store.now();
      store.updateUser(id, cols);
      return { result: true };
    },
  });
}

export function registerDepartmentMethods(api: DomainApi, store: UserStore): void {
  const departmentNotFound = () => coreError('Department not found');
  /** The department named by ID, for a change only the administrator may make. */
  const departmentForAdmin = (ctx: CallContext) => {
    if (ctx.auth.userId !== ADMIN_ID) throw coreError('Access denied');
    const id = intOrUndefined(param(ctx.params, 'ID'));
    const row = id === undefined ? undefined : store.getDepartment(id);
    if (id === undefined || !row) throw departmentNotFound();
    return { id, row };
  };

  api.method({
    name: 'department.fields',
    scope: 'department',
    handler: () => ({
      result: {
        ID: 'ID',
        NAME: 'Department Name',
        SORT: 'Sort Order',
        PARENT: 'Parent Department',
        UF_HEAD: 'Manager',
      },
    }),
  });
  api.method({
    name: 'department.get',
    scope: 'department',
    handler: (ctx) => {
      // Filter fields sit at the top level (ID, NAME, SORT, PARENT, UF_HEAD). Lowercase `sort` and
      // `order` choose the ordering, so here (only) the case of a name matters: SORT filters.
      const filter: Params = {};
      for (const [k, v] of Object.entries(ctx.params)) {
        if (k === 'sort' || k === 'order') continue;
        const bare = k.replace(/^[^A-Za-z_]+/, '').toUpperCase();
        if (bare in departmentDef.fields || bare === 'ID') filter[k] = v;
      }
      const where = buildWhere(departmentDef, filter);
      const sortField = String(ctx.params['sort'] ?? 'SORT').toUpperCase();
      const column = sortField in departmentDef.fields || sortField === 'ID' ? sortField : 'SORT';
      const dir = String(ctx.params['order'] ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
      const page = readStart(ctx, 'START');
      const rows = store.listDepartments({ where, column, dir, page });
      return offsetAnswer(
        ctx,
        page,
        rows.map((r) => store.departmentWire(r)),
        () => store.countDepartments(where),
      );
    },
  });
  api.method({
    name: 'department.add',
    scope: 'department',
    handler: (ctx) => {
      if (ctx.auth.userId !== ADMIN_ID) throw coreError('Access denied');
      const name = param(ctx.params, 'NAME');
      if (typeof name !== 'string' || name.trim() === '') throw coreError('Department name not provided.<br>');
      const rawParent = param(ctx.params, 'PARENT');
      if (rawParent === undefined || rawParent === null || rawParent === '' || rawParent === 0 || rawParent === '0') {
        throw coreError('There can only be one top-level department in the company structure');
      }
      const parent = store.readParent(rawParent);
      const sortRaw = param(ctx.params, 'SORT');
      const sort = sortRaw === undefined || sortRaw === '' ? 500 : store.readSort(sortRaw);
      const head = store.readHead(param(ctx.params, 'UF_HEAD'));
      return { result: store.insertDepartment(name.trim(), sort, parent, head) };
    },
  });
  api.method({
    name: 'department.update',
    scope: 'department',
    handler: (ctx) => {
      const { id, row } = departmentForAdmin(ctx);
      const set: Row = {};
      const name = param(ctx.params, 'NAME');
      if (name !== undefined) {
        if (typeof name !== 'string' || name.trim() === '') throw coreError('Department name not provided.<br>');
        set['NAME'] = name.trim();
      }
      const sort = param(ctx.params, 'SORT');
      if (sort !== undefined) set['SORT'] = store.readSort(sort);
      const parent = param(ctx.params, 'PARENT');
      if (parent !== undefined) {
        if (row['PARENT'] === null)
          throw coreError('There can only be one top-level department in the company structure');
        const p = store.readParent(parent);
        if (p === id || store.subtree(id).includes(p))
          throw coreError('A department cannot be moved into itself or one of its subdepartments');
        set['PARENT'] = p;
      }
      const head = param(ctx.params, 'UF_HEAD');
      if (head !== undefined) set['UF_HEAD'] = store.readHead(head);
      store.updateDepartment(id, set);
      return { result: true };
    },
  });
  api.method({
    name: 'department.delete',
    scope: 'department',
    handler: (ctx) => {
      const { id, row } = departmentForAdmin(ctx);
      if (row['PARENT'] === null) throw coreError('The top-level department cannot be deleted');
      // Like an information-block section, a department goes with its subdepartments.
      store.deleteDepartments([id, ...store.subtree(id)]);
      return { result: true };
    },
  });
}
