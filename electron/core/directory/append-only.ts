/**
 * SQL that makes directory tables append-only: a trigger function refusing with `message`, and
 * row triggers on update and delete plus a statement trigger on truncate for each table. For new
 * migrations; released ones keep the SQL they were released with.
 */
export function appendOnlySql(fn: string, message: string, tables: readonly string[]): string {
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message.replace(/'/g, "''")}'; END $$;`,
    ...tables.flatMap((t) => [
      `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
      `CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
    ]),
  ].join('\n');
}
