//! Migrations: `up → down → up` leaves exactly the schema of the first `up`,
//! and `down` removes everything the migrations created.

use conclave_db::migrate::{migrate, revert_all};
use conclave_db::testing::TestDb;
use diesel::sql_types::Text;
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Every schema object of `public`, one normalised text line each: columns
/// (position, type, nullability, default), constraints, indexes, sequences
/// with their owners, enum labels in order, functions and extensions.
const SNAPSHOT: &str = r#"
SELECT 'column ' || c.relname || '.' || a.attname || ' #' || a.attnum || ' '
       || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'sequence ' || s.relname || ' owned by ' || coalesce(t.relname || '.' || a.attname, '-')
  FROM pg_class s
  LEFT JOIN pg_depend dep ON dep.objid = s.oid AND dep.deptype = 'a'
  LEFT JOIN pg_class t ON t.oid = dep.refobjid
  LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
 WHERE s.relkind = 'S' AND s.relnamespace = 'public'::regnamespace
UNION ALL
SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
 WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname
UNION ALL
SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '
       || md5(pg_get_functiondef(p.oid))
  FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
UNION ALL
SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
ORDER BY 1
"#;

async fn snapshot(db: &TestDb) -> Vec<String> {
    let mut conn = db.connect().await;
    let lines: Vec<Line> = sql_query(SNAPSHOT)
        .load(&mut conn)
        .await
        .expect("schema snapshot");
    lines.into_iter().map(|l| l.line).collect()
}

fn ledger_or_builtin(line: &str) -> bool {
    line.contains("__diesel_schema_migrations") || line == "extension plpgsql 1.0"
}

#[tokio::test]
async fn up_down_up_restores_the_identical_schema() {
    let db = TestDb::empty().await;
    let applied = migrate(db.url()).await.unwrap();
    assert_eq!(applied.len(), 7, "{applied:?}");
    let first = snapshot(&db).await;
    assert!(
        first.iter().any(|l| l.starts_with("column users.email #4")),
        "snapshot sees tables"
    );
    assert!(
        first
            .iter()
            .any(|l| l.starts_with("function ot_patch_json(target jsonb, changeset jsonb)"))
    );

    let reverted = revert_all(db.url()).await.unwrap();
    assert_eq!(reverted.len(), applied.len());
    let leftovers: Vec<_> = snapshot(&db)
        .await
        .into_iter()
        .filter(|l| !ledger_or_builtin(l))
        .collect();
    assert!(
        leftovers.is_empty(),
        "down.sql left objects behind: {leftovers:#?}"
    );

    migrate(db.url()).await.unwrap();
    let second = snapshot(&db).await;
    let diff: Vec<_> = first
        .iter()
        .filter(|l| !second.contains(l))
        .map(|l| format!("- {l}"))
        .chain(
            second
                .iter()
                .filter(|l| !first.contains(l))
                .map(|l| format!("+ {l}")),
        )
        .collect();
    assert!(
        diff.is_empty(),
        "schema differs after up → down → up:\n{}",
        diff.join("\n")
    );
}

#[tokio::test]
async fn a_migrated_database_has_nothing_pending() {
    let db = TestDb::empty().await;
    migrate(db.url()).await.unwrap();
    assert!(
        conclave_db::migrate::pending(db.url())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        migrate(db.url()).await.unwrap().is_empty(),
        "a second run applies nothing"
    );
}
