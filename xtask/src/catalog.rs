//! Catalog introspection shared by the generators (`db-schema`, `er-diagram`),
//! plus the write-or-check helper both use for their output files.
//!
//! Everything is read from `pg_catalog` for schema `public`, so the generators
//! see exactly what PostgreSQL stores: physical column order, typmods, key
//! column positions. Sorting happens in Rust, so the result is byte-ordered
//! regardless of the database collation.

use std::path::Path;

use anyhow::Context as _;
use diesel::QueryableByName;
use diesel::sql_types::{Array, Bool, Integer, Nullable, SmallInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// One column of a table, in physical order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Physical position (`attnum`); may have gaps after dropped columns.
    pub attnum: i16,
    /// The type as `regtype` prints it: no typmod, e.g. `character varying`.
    pub regtype: String,
    /// `pg_type.typname` of the type, or of the element type for arrays.
    pub type_name: String,
    /// Whether the (element) type is an enum.
    pub is_enum: bool,
    /// Whether the column is an array.
    pub is_array: bool,
    /// Whether the column is NOT NULL.
    pub not_null: bool,
    /// Declared length of `varchar(n)`/`char(n)` columns.
    pub max_length: Option<i32>,
}

/// A table (or view) of schema `public` with its columns and primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// Columns in physical order.
    pub columns: Vec<Column>,
    /// Primary-key column positions in constraint order (empty without PK).
    pub primary_key: Vec<i16>,
}

impl Table {
    /// The column at physical position `attnum`, if any.
    pub fn column(&self, attnum: i16) -> Option<&Column> {
        self.columns.iter().find(|c| c.attnum == attnum)
    }

    /// Whether the column at `attnum` belongs to the primary key.
    pub fn is_pk(&self, attnum: i16) -> bool {
        self.primary_key.contains(&attnum)
    }
}

/// A foreign-key constraint, with column positions in constraint order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// Referencing table.
    pub source_table: String,
    /// Referencing column positions.
    pub source_attnums: Vec<i16>,
    /// Referenced table.
    pub target_table: String,
    /// Referenced column positions.
    pub target_attnums: Vec<i16>,
}

/// Tables (sorted by name in byte order) and foreign keys of schema `public`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// All tables, sorted by name in byte order.
    pub tables: Vec<Table>,
    /// All foreign keys between tables of the schema, in no particular order.
    pub foreign_keys: Vec<ForeignKey>,
}

impl Catalog {
    /// The table called `name`, if any.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = SmallInt)]
    attnum: i16,
    #[diesel(sql_type = Text)]
    regtype: String,
    #[diesel(sql_type = Text)]
    type_name: String,
    #[diesel(sql_type = Bool)]
    is_enum: bool,
    #[diesel(sql_type = Bool)]
    is_array: bool,
    #[diesel(sql_type = Bool)]
    not_null: bool,
    #[diesel(sql_type = Nullable<Integer>)]
    max_length: Option<i32>,
}

#[derive(QueryableByName)]
struct KeyRow {
    #[diesel(sql_type = Text)]
    source_table: String,
    #[diesel(sql_type = Array<SmallInt>)]
    source_attnums: Vec<i16>,
    #[diesel(sql_type = Nullable<Text>)]
    target_table: Option<String>,
    #[diesel(sql_type = Nullable<Array<SmallInt>>)]
    target_attnums: Option<Vec<i16>>,
}

/// Covers the relation kinds `information_schema.tables` lists (plain,
/// partitioned and foreign tables, and views), which is the set sqlant draws.
const COLUMNS_SQL: &str = "\
SELECT c.relname::text AS table_name, a.attname::text AS column_name, a.attnum,
       a.atttypid::regtype::text AS regtype,
       coalesce(elem.typname, t.typname)::text AS type_name,
       coalesce(elem.typtype, t.typtype) = 'e' AS is_enum,
       elem.oid IS NOT NULL AS is_array,
       a.attnotnull AS not_null,
       CASE WHEN a.atttypmod > 4 AND t.typname IN ('varchar', 'bpchar')
            THEN a.atttypmod - 4 END AS max_length
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type elem ON elem.oid = t.typelem AND t.typcategory = 'A'
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'f', 'p')
ORDER BY c.relname, a.attnum";

const KEYS_SQL: &str = "\
SELECT src.relname::text AS source_table, k.conkey AS source_attnums,
       dst.relname::text AS target_table, k.confkey AS target_attnums
FROM pg_constraint k
JOIN pg_class src ON src.oid = k.conrelid
LEFT JOIN pg_class dst ON dst.oid = k.confrelid
WHERE src.relnamespace = 'public'::regnamespace AND k.contype = $1";

/// Reads tables, columns, primary keys and foreign keys of schema `public`.
pub async fn load(conn: &mut AsyncPgConnection) -> anyhow::Result<Catalog> {
    let rows: Vec<ColumnRow> = diesel::sql_query(COLUMNS_SQL)
        .load(conn)
        .await
        .context("cannot read the columns from pg_catalog")?;
    let mut tables = group_columns(rows);
    for pk in load_keys(conn, "p").await? {
        if let Some(table) = tables.iter_mut().find(|t| t.name == pk.source_table) {
            table.primary_key = pk.source_attnums;
        }
    }
    let foreign_keys = load_keys(conn, "f")
        .await?
        .into_iter()
        .filter_map(|k| {
            Some(ForeignKey {
                source_table: k.source_table,
                source_attnums: k.source_attnums,
                target_table: k.target_table?,
                target_attnums: k.target_attnums?,
            })
        })
        .collect();
    Ok(Catalog {
        tables,
        foreign_keys,
    })
}

async fn load_keys(conn: &mut AsyncPgConnection, kind: &str) -> anyhow::Result<Vec<KeyRow>> {
    diesel::sql_query(KEYS_SQL)
        .bind::<Text, _>(kind)
        .load(conn)
        .await
        .with_context(|| format!("cannot read the constraints of kind {kind:?} from pg_catalog"))
}

fn group_columns(rows: Vec<ColumnRow>) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    for row in rows {
        let column = Column {
            name: row.column_name,
            attnum: row.attnum,
            regtype: row.regtype,
            type_name: row.type_name,
            is_enum: row.is_enum,
            is_array: row.is_array,
            not_null: row.not_null,
            max_length: row.max_length,
        };
        match tables.iter_mut().find(|t| t.name == row.table_name) {
            Some(table) => table.columns.push(column),
            None => tables.push(Table {
                name: row.table_name,
                columns: vec![column],
                primary_key: Vec::new(),
            }),
        }
    }
    // Byte order, independent of the database collation.
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    for table in &mut tables {
        table.columns.sort_by_key(|c| c.attnum);
    }
    tables
}

/// Describes the first line where `actual` differs from `expected`, or
/// `None` when both are byte-identical.
pub fn first_difference(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let mut expected_lines = expected.split_inclusive('\n');
    let mut actual_lines = actual.split_inclusive('\n');
    let mut line = 1usize;
    loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => line += 1,
            (e, a) => {
                let show = |s: Option<&str>| {
                    s.map_or_else(|| "<end of text>".to_owned(), |s| format!("{s:?}"))
                };
                return Some(format!(
                    "first difference at line {line}:\n  expected: {}\n  actual:   {}",
                    show(e),
                    show(a)
                ));
            }
        }
    }
}

/// Writes `content` to `path`, or with `check` compares it with the file and
/// fails, naming the first differing line, when they are not identical.
pub fn check_or_write(path: &Path, content: &str, check: bool) -> anyhow::Result<()> {
    if !check {
        return std::fs::write(path, content)
            .with_context(|| format!("cannot write {}", path.display()));
    }
    let current =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    match first_difference(content, &current) {
        None => Ok(()),
        Some(diff) => anyhow::bail!(
            "{} is out of date (expected = freshly generated, actual = file on disk); {diff}",
            path.display()
        ),
    }
}

/// A small catalog with the shapes the generators must handle: a ledger,
/// composite and shared primary keys, two keys to one table, an enum, an
/// array, a nullable varchar and a dropped-column gap.
#[cfg(test)]
pub(crate) mod fixture {
    use super::{Catalog, Column, ForeignKey, Table};

    fn col(attnum: i16, name: &str, regtype: &str, type_name: &str) -> Column {
        Column {
            name: name.to_owned(),
            attnum,
            regtype: regtype.to_owned(),
            type_name: type_name.to_owned(),
            is_enum: type_name == "room_kind",
            is_array: regtype.ends_with("[]"),
            not_null: true,
            max_length: None,
        }
    }

    fn uuid(attnum: i16, name: &str) -> Column {
        col(attnum, name, "uuid", "uuid")
    }

    fn table(name: &str, columns: Vec<Column>, primary_key: Vec<i16>) -> Table {
        Table {
            name: name.to_owned(),
            columns,
            primary_key,
        }
    }

    fn fk(source: &str, attnum: i16, target: &str) -> ForeignKey {
        ForeignKey {
            source_table: source.to_owned(),
            source_attnums: vec![attnum],
            target_table: target.to_owned(),
            target_attnums: vec![1],
        }
    }

    /// The fixture catalog; tables are in byte order as `load` returns them.
    pub(crate) fn catalog() -> Catalog {
        let version = Column {
            max_length: Some(50),
            ..col(1, "version", "character varying", "varchar")
        };
        let password = Column {
            not_null: false,
            max_length: Some(255),
            ..col(3, "password", "character varying", "varchar")
        };
        let email = Column {
            max_length: Some(255),
            ..col(3, "email", "character varying", "varchar")
        };
        let tables = vec![
            table(
                "__diesel_schema_migrations",
                vec![
                    version,
                    col(2, "run_on", "timestamp without time zone", "timestamp"),
                ],
                vec![1],
            ),
            table(
                "room_links",
                vec![uuid(1, "room_id"), uuid(2, "user_id")],
                vec![1, 2],
            ),
            table(
                "room_notes",
                vec![uuid(1, "room_id"), col(2, "body", "text", "text")],
                vec![1],
            ),
            table(
                "rooms",
                vec![
                    uuid(1, "id"),
                    uuid(2, "created_by"),
                    password,
                    uuid(5, "tenant_id"),
                    col(6, "kind", "room_kind", "room_kind"),
                    uuid(7, "updated_by"),
                ],
                vec![1],
            ),
            table("tenants", vec![uuid(1, "id")], vec![1]),
            table(
                "users",
                vec![
                    uuid(1, "id"),
                    uuid(2, "tenant_id"),
                    email,
                    col(4, "tags", "text[]", "text"),
                ],
                vec![1],
            ),
        ];
        // Deliberately unsorted: the generators must order them.
        let foreign_keys = vec![
            fk("users", 2, "tenants"),
            fk("rooms", 7, "users"),
            fk("rooms", 5, "tenants"),
            fk("rooms", 2, "users"),
            fk("room_notes", 1, "rooms"),
            fk("room_links", 2, "users"),
            fk("room_links", 1, "rooms"),
        ];
        Catalog {
            tables,
            foreign_keys,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expected: &str, actual: &str, want: Option<&str>) {
        assert_eq!(
            first_difference(expected, actual).as_deref(),
            want,
            "{expected:?} vs {actual:?}"
        );
    }

    #[test]
    fn first_difference_names_line_and_both_sides() {
        check("a\nb\n", "a\nb\n", None);
        check(
            "a\nb\n",
            "a\nc\n",
            Some("first difference at line 2:\n  expected: \"b\\n\"\n  actual:   \"c\\n\""),
        );
        check(
            "a\n",
            "a\nextra\n",
            Some(
                "first difference at line 2:\n  expected: <end of text>\n  actual:   \"extra\\n\"",
            ),
        );
        check(
            "a\n",
            "a",
            Some("first difference at line 1:\n  expected: \"a\\n\"\n  actual:   \"a\""),
        );
    }

    #[test]
    fn check_or_write_round_trip() {
        let dir = std::env::temp_dir().join(format!("xtask-catalog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.txt");
        check_or_write(&path, "one\n", false).unwrap();
        assert!(check_or_write(&path, "one\n", true).is_ok());
        let err = check_or_write(&path, "two\n", true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
