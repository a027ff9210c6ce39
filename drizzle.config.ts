import { defineConfig } from 'drizzle-kit';

// Migrations are generated into drizzle/ and are append-only once released.
// Things drizzle cannot express (FTS5, triggers, expression indexes, seed rows)
// live in custom migrations made with `npx drizzle-kit generate --custom`.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/main/db/schema.ts',
  out: './drizzle',
});
