import { asc, eq } from 'drizzle-orm';
import { OutpostError } from '@outpost/shared';
import type { Db } from '../db/client.ts';
import { projectKeys, projects } from '../db/schema.ts';

export function createProjectStore(db: Db) {
  return {
    async create(id: string, now: number): Promise<void> {
      const inserted = await db.insert(projects).values({ id, createdAt: now }).onConflictDoNothing().returning();
      if (inserted.length === 0) {
        throw new OutpostError('CONFLICT', `project ${id} already exists`, { issues: [{ path: 'id', message: 'taken' }] });
      }
    },
    async list() {
      return db.select().from(projects).orderBy(asc(projects.id));
    },
    async require(id: string): Promise<void> {
      const rows = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, id));
      if (rows.length === 0) throw new OutpostError('NOT_FOUND', `no project ${id}`, { issues: [{ path: 'project', message: 'not found' }] });
    },
    async addKey(projectId: string, keyHash: string, now: number): Promise<void> {
      await db.insert(projectKeys).values({ projectId, keyHash, createdAt: now });
    },
    async projectOfKey(keyHash: string): Promise<string | null> {
      const rows = await db.select({ projectId: projectKeys.projectId }).from(projectKeys).where(eq(projectKeys.keyHash, keyHash));
      return rows[0]?.projectId ?? null;
    },
  };
}
export type ProjectStore = ReturnType<typeof createProjectStore>;
