/**
 * What a real caller makes or knows before calling a method that names another object. The
 * every-method test creates these objects through the portal's own methods (as a caller would),
 * then sends the params below over the minimal ones. What a fresh portal already has is used as
 * it is: user 1, the deals, contacts and companies the test seeds (ids 1..3), and the two fixture
 * tasks (ids 1 and 2, responsible user 1).
 */
import { createDomainFixtures, domainFixtureParams, type DomainFixtures } from './domain-fixtures.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of many shapes
export type Call = (method: string, params: Record<string, unknown>) => Promise<{ status: number; body: any }>;

export interface Fixtures {
  /** Calendar, drive, messenger, user and timeline fixtures: domain-fixtures.ts. */
  readonly domains?: DomainFixtures;
  /** A smart process made with crm.type.add: its entityTypeId. */
  readonly spaEntityTypeId?: number;
  /** A payment of deal 1 (crm.item.payment.add) and a product row of that deal. */
  readonly paymentId?: number;
  readonly paymentRowId?: number;
  /** A catalog product (catalog.product.add) for its images. */
  readonly productId?: number;
  /** A live feed post (log.blogpost.add) to comment on and share. */
  readonly postId?: number;
  /** A task comment (task.commentitem.add) turned into a task result by addFromComment. */
  readonly commentId?: number;
  /** A task stage of user 1's "My tasks" (task.stages.add) to move a task to. */
  readonly stageId?: number;
  /** Tasks in the state an action needs: in progress (pause), awaiting control (approve/disapprove). The
   * work day of user 1 is opened (timeman.open) so that timeman.close has one to close. */
  readonly startedTaskId?: number;
  readonly approveTaskId?: number;
  readonly disapproveTaskId?: number;
  /** Open tasks of their own for defer and delegate (the run completes the task its add made first). */
  readonly deferTaskId?: number;
  readonly delegateTaskId?: number;
  /** A stage that is not the first one, for task.stages.delete. */
  readonly spareStageId?: number;
  /** A second comment of task 1, for task.commentitem.delete. */
  readonly secondCommentId?: number;
  /** A drive file (disk.storage.uploadfile in storage 1) to attach to a task. */
  readonly fileId?: number;
  /** A to-do of deal 1 (crm.activity.todo.add) whose binding to deal 2 is added and removed. */
  readonly activityId?: number;
}

const idOf = (body: { result?: unknown }): number | undefined => {
  const r = body?.result;
  if (typeof r === 'number') return r;
  if (typeof r === 'string' && /^\d+$/.test(r)) return Number(r);
  if (r && typeof r === 'object') {
    const o = r as Record<string, unknown>;
    for (const v of [o['id'], o['ID'], ...Object.values(o)]) {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const inner = idOf({ result: v });
        if (inner !== undefined) return inner;
      }
    }
  }
  return undefined;
};

/** Objects made through the portal's own methods, as a caller would, before the run. */
export async function createFixtures(call: Call): Promise<Fixtures> {
  const id = async (method: string, params: Record<string, unknown>) => {
    const r = await call(method, params);
    if (r.status !== 200) throw new Error(`fixture ${method}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    return idOf(r.body);
  };
  const spa = await call('crm.type.add', { fields: { title: 'Fixture SPA' } });
  const spaEntityTypeId = spa.body?.result?.type?.entityTypeId as number | undefined;
  const paymentRowId = await id('crm.item.productrow.add', {
    fields: { ownerType: 'D', ownerId: 1, productName: 'Fixture row', price: 10, quantity: 2 },
  });
  const paymentId = await id('crm.item.payment.add', { entityId: 1, entityTypeId: 2 });
  const productId = await id('catalog.product.add', { fields: { iblockId: 1, name: 'Fixture product' } });
  const postId = await id('log.blogpost.add', { POST_MESSAGE: 'Fixture post', DEST: ['UA'] });
  const commentId = await id('task.commentitem.add', { TASKID: 1, FIELDS: { POST_MESSAGE: 'Fixture result' } });
  const secondCommentId = await id('task.commentitem.add', { TASKID: 1, FIELDS: { POST_MESSAGE: 'Fixture comment' } });
  await call('timeman.open', {});
  const stageId = await id('task.stages.add', { fields: { TITLE: 'Fixture stage' } });
  const spareStageId = await id('task.stages.add', { fields: { TITLE: 'Fixture stage to delete' } });
  const task = (title: string, extra: Record<string, unknown> = {}) =>
    id('tasks.task.add', { fields: { TITLE: title, RESPONSIBLE_ID: 1, ...extra } });
  const startedTaskId = await task('Fixture: in progress');
  await call('tasks.task.start', { taskId: startedTaskId });
  // Task control on, created by user 2: user 1 completing it leaves it awaiting the creator's review.
  const control = async () => {
    const t = await task('Fixture: awaiting control', { TASK_CONTROL: 'Y', CREATED_BY: 2 });
    await call('tasks.task.complete', { taskId: t });
    return t;
  };
  const approveTaskId = await control();
  const disapproveTaskId = await control();
  const deferTaskId = await task('Fixture: to defer');
  const delegateTaskId = await task('Fixture: to delegate');
  const fileId = await id('disk.storage.uploadfile', {
    id: 1,
    data: { NAME: 'task-attachment.txt' },
    fileContent: ['task-attachment.txt', Buffer.from('attachment').toString('base64')],
  });
  const activityId = await id('crm.activity.todo.add', {
    ownerTypeId: 2,
    ownerId: 1,
    deadline: '2025-01-15T10:00:00+00:00',
    title: 'Fixture to-do',
  });
  const domains = await createDomainFixtures(call);
  return {
    domains,
    ...(spaEntityTypeId !== undefined ? { spaEntityTypeId } : {}),
    ...(paymentId !== undefined ? { paymentId } : {}),
    ...(paymentRowId !== undefined ? { paymentRowId } : {}),
    ...(productId !== undefined ? { productId } : {}),
    ...(postId !== undefined ? { postId } : {}),
    ...(commentId !== undefined ? { commentId } : {}),
    ...(stageId !== undefined ? { stageId } : {}),
    ...(startedTaskId !== undefined ? { startedTaskId } : {}),
    ...(approveTaskId !== undefined ? { approveTaskId } : {}),
    ...(disapproveTaskId !== undefined ? { disapproveTaskId } : {}),
    ...(deferTaskId !== undefined ? { deferTaskId } : {}),
    ...(delegateTaskId !== undefined ? { delegateTaskId } : {}),
    ...(spareStageId !== undefined ? { spareStageId } : {}),
    ...(secondCommentId !== undefined ? { secondCommentId } : {}),
    ...(fileId !== undefined ? { fileId } : {}),
    ...(activityId !== undefined ? { activityId } : {}),
  };
}

/** Params for `method` that name a fixture (merged over the minimal params), or none. */
export function fixtureParams(method: string, f: Fixtures): Record<string, unknown> {
  return { ...domainFixtureParams(method, f.domains ?? ({} as DomainFixtures)), ...ownFixtureParams(method, f) };
}

function ownFixtureParams(method: string, f: Fixtures): Record<string, unknown> {
  const deal = { ownerType: 'D', ownerId: 1 };
  switch (method) {
    // Product rows of deal 1; `set` replaces the rows of deal 2, so the row the add made stays.
    case 'crm.item.productrow.add':
      return { fields: { ...deal, productName: 'Row', price: 5, quantity: 1 } };
    case 'crm.item.productrow.set':
      return { ownerType: 'D', ownerId: 2, productRows: [{ productName: 'Row', price: 5, quantity: 1 }] };
    case 'crm.item.productrow.getAvailableForPayment':
      return deal;
    case 'crm.item.productrow.list':
      return { filter: { '=ownerType': 'D', '=ownerId': 1 } };
    case 'crm.item.payment.add':
      return { entityId: 1, entityTypeId: 2 };
    case 'crm.item.payment.delivery.add':
    case 'crm.item.payment.product.add':
      return { paymentId: f.paymentId, rowId: f.paymentRowId, quantity: 1 };
    case 'crm.type.getByEntityTypeId':
      return { entityTypeId: f.spaEntityTypeId };
    case 'crm.deal.contact.items.set':
      return { id: 1, items: [{ CONTACT_ID: 1, IS_PRIMARY: 'Y' }] };
    case 'crm.activity.binding.add':
    case 'crm.activity.binding.delete':
      return { activityId: f.activityId, entityTypeId: 2, entityId: 2 };
    case 'catalog.productImage.add':
      return {
        fields: { productId: f.productId },
        fileContent: ['image.png', Buffer.from('fixture image').toString('base64')],
      };
    case 'catalog.productImage.get':
    case 'catalog.productImage.delete':
      return { productId: f.productId };
    case 'log.blogcomment.add':
      return { POST_ID: f.postId };
    case 'log.blogpost.share':
      return { POST_ID: f.postId, DEST: ['U1'] };
    case 'tasks.task.add':
      // The docs name TITLE and RESPONSIBLE_ID the required fields of a task (tasks-task-add.html).
      return { fields: { TITLE: 'Task', RESPONSIBLE_ID: 1 } };
    case 'task.dependence.add':
    case 'task.dependence.delete':
      return { taskIdFrom: 1, taskIdTo: 2, linkType: 0 };
    case 'task.item.userfield.add':
      return { PARAMS: { USER_TYPE_ID: 'string', FIELD_NAME: 'UF_FIXTURE' } };
    // The comment made in the run, not the one that became a task result.
    case 'task.commentitem.delete':
      return { TASKID: 1, ITEMID: f.secondCommentId };
    case 'task.stages.movetask':
      return { id: 1, stageId: f.stageId };
    case 'tasks.task.pause':
      return { taskId: f.startedTaskId };
    case 'tasks.task.approve':
      return { taskId: f.approveTaskId };
    case 'tasks.task.disapprove':
      return { taskId: f.disapproveTaskId };
    case 'tasks.task.defer':
      return { taskId: f.deferTaskId };
    case 'tasks.task.delegate':
      return { taskId: f.delegateTaskId, userId: 1 };
    case 'task.stages.delete':
      return { id: f.spareStageId };
    case 'tasks.task.files.attach':
      return { taskId: 1, fileId: f.fileId };
    case 'tasks.task.result.addFromComment':
    case 'tasks.task.result.deleteFromComment':
      return { commentId: f.commentId };
    case 'event.bind':
    case 'event.unbind':
      return { event: 'ONCRMDEALADD', handler: 'https://handler.example/b24' };
    default:
      return {};
  }
}
