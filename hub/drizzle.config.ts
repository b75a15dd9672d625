import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations to hub/drizzle; Node applies them at start,
// wrangler applies the same files to D1 (wrangler.toml migrations_dir).
export default defineConfig({
  dialect: 'sqlite',
  schema: './hub/src/db/schema.ts',
  out: './hub/drizzle',
});
